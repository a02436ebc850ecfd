#pragma once

// Helpers shared by the OAuth tests: free loopback ports, raw HTTP to the listener, following the
// fake server's redirect like a browser would.

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace rbac::test {

// A port free on both 127.0.0.1 and ::1 right now (tests run in parallel: never a fixed port).
inline quint16 freeLoopbackPort()
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        QTcpServer v4;
        if (!v4.listen(QHostAddress(QHostAddress::LocalHost), 0))
            continue;
        QTcpServer v6;
        const quint16 port = v4.serverPort();
        if (v6.listen(QHostAddress(QHostAddress::LocalHostIPv6), port)
            || v6.serverError() != QAbstractSocket::AddressInUseError)
            return port;
    }
    return 0;
}

struct RawResult
{
    bool connected = false;
    QByteArray response;
    int status() const
    {
        const QList<QByteArray> words = response.left(response.indexOf('\n')).split(' ');
        return words.size() > 1 ? words.at(1).toInt() : 0;
    }
    QByteArray body() const { return response.mid(response.indexOf("\r\n\r\n") + 4); }
};

// Sends `bytes` and collects everything until the server closes. Runs an event loop, so a
// listener in this same thread keeps serving (never waitForReadyRead here).
inline RawResult rawRequest(
    const QHostAddress& address, quint16 port, const QByteArray& bytes, int timeoutMs = 5000)
{
    RawResult result;
    QTcpSocket socket;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] {
        result.connected = true;
        socket.write(bytes);
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] { result.response += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, [&](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            loop.quit();
    });
    socket.connectToHost(address, port);
    loop.exec();
    result.response += socket.readAll();
    return result;
}

inline QByteArray getRequest(const QUrl& url, const QByteArray& method = "GET", const QByteArray& host = {})
{
    const QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    const QByteArray hostHeader
        = host.isEmpty() ? url.host().toUtf8() + ':' + QByteArray::number(url.port()) : host;
    return method + ' ' + (target.isEmpty() ? QByteArray("/") : target) + " HTTP/1.1\r\nHost: " + hostHeader
        + "\r\nUser-Agent: test\r\n\r\n";
}

// GET without following redirects: the status and the Location header.
inline QPair<int, QUrl> getNoRedirect(const QUrl& url, int timeoutMs = 5000)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = network.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
        QUrl::fromEncoded(reply->rawHeader("Location"))};
}

} // namespace rbac::test
