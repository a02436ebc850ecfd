#include "oauth/LoopbackListener.h"

#include "oauth/CallbackPage.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace rbac {

namespace {

constexpr int replyGraceMs = 5000; // a browser that never reads its page must not keep a socket
int g_inFlight = 0;                // replies being sent, all listeners (GUI thread only)

// Printable ASCII plus the line breaks and tabs a request head may contain; anything else (NUL,
// invalid UTF-8, control bytes) is junk.
bool isCleanHead(const QByteArray& head)
{
    for (const char c : head) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\r' && c != '\n' && c != '\t') || u >= 0x7f)
            return false;
    }
    return true;
}

bool isToken(const QByteArray& word)
{
    if (word.isEmpty())
        return false;
    for (const char c : word) {
        if (c < 'A' || c > 'Z')
            return false;
    }
    return true;
}

} // namespace

LoopbackListener::LoopbackListener(QObject* parent)
    : QObject(parent)
{
}

LoopbackListener::~LoopbackListener()
{
    stop();
}

Status LoopbackListener::listen(const QUrl& redirectUri, Handler handler)
{
    stop();
    m_handler = std::move(handler);
    m_path = redirectUri.path(QUrl::FullyEncoded);
    m_host = redirectUri.host();
    m_port = quint16(redirectUri.port());
    m_addresses.clear();

    // Write QHostAddress(...) explicitly: QTcpServer-style (LocalHost, 0) overloads have bitten
    // others (docs/qt-notes.md §1). Never Any/AnyIPv6.
    QVector<QHostAddress> wanted {QHostAddress(QHostAddress::LocalHost)};
    if (m_host == QLatin1String("localhost"))
        wanted << QHostAddress(QHostAddress::LocalHostIPv6);
    for (const QHostAddress& address : std::as_const(wanted)) {
        auto* server = new QTcpServer(this);
        server->setMaxPendingConnections(maxConnections);
        if (!server->listen(address, m_port)) {
            const QAbstractSocket::SocketError error = server->serverError();
            const QString why = server->errorString();
            delete server;
            // No IPv6 on this machine: browsers cannot reach ::1 either, 127.0.0.1 is enough.
            if (address.protocol() == QAbstractSocket::IPv6Protocol
                && error != QAbstractSocket::AddressInUseError && error != QAbstractSocket::SocketAccessError)
                continue;
            const QUrl shown = redirectUri;
            stop();
            if (error == QAbstractSocket::AddressInUseError)
                return Status::error(ErrorKind::Environment,
                    QStringLiteral("port %1 on %2 is already in use by another program, so the "
                                   "console cannot receive the redirect to %3. Close that "
                                   "program, or register another port in Klaviyo and set the "
                                   "same redirect URI in the console")
                        .arg(m_port)
                        .arg(address.toString(), shown.toString()));
            return Status::error(ErrorKind::Environment,
                QStringLiteral("cannot listen on %1 port %2: %3")
                    .arg(address.toString())
                    .arg(m_port)
                    .arg(why));
        }
        connect(server, &QTcpServer::newConnection, this, [this, server] { onNewConnection(server); });
        m_servers << server;
        m_addresses << address;
    }
    return Status::ok();
}

void LoopbackListener::closeServers()
{
    for (QTcpServer* server : std::as_const(m_servers)) {
        // Connections the kernel queued but nobody took are refused with the listening socket.
        // deleteLater: this may run inside the server's own newConnection signal.
        server->close();
        server->deleteLater();
    }
    m_servers.clear();
}

bool LoopbackListener::isListening() const
{
    return !m_servers.isEmpty();
}

void LoopbackListener::stop()
{
    closeServers();
    const QList<QTcpSocket*> pending = m_pending.keys();
    for (QTcpSocket* socket : pending)
        drop(socket);
    if (m_held)
        answer(false, tr("Sign-in ended"), tr("The console is no longer waiting for this sign-in."));
}

void LoopbackListener::answer(bool success, const QString& title, const QString& message)
{
    QTcpSocket* socket = m_held;
    m_held = nullptr;
    if (!socket)
        return;
    send(socket, CallbackPage::response(success ? 200 : 400, CallbackPage::html(success, title, message)));
}

void LoopbackListener::onNewConnection(QTcpServer* server)
{
    while (QTcpSocket* socket = server->nextPendingConnection()) {
        // Unparented: a reply being written must survive the server (and this listener) going away.
        socket->setParent(nullptr);
        if (m_pending.size() >= maxConnections || !isListening()) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        m_pending.insert(socket, {});
        socket->setReadBufferSize(maxRequestBytes + 1); // a client that keeps sending cannot grow memory
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (m_pending.remove(socket))
                socket->deleteLater();
        });
        // A connection that never completes its request (a speculative browser socket, a slow
        // sender) is closed after a while instead of being held forever.
        QTimer::singleShot(m_idleTimeoutMs, socket, [this, socket] {
            if (m_pending.contains(socket))
                reject(socket, 408, tr("an incomplete request timed out"));
        });
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void LoopbackListener::onReadyRead(QTcpSocket* socket)
{
    auto it = m_pending.find(socket);
    if (it == m_pending.end())
        return;
    // Read no more than the limit plus one byte: enough to know the request is too large.
    it->append(socket->read(maxRequestBytes + 1 - it->size()));
    qsizetype end = it->indexOf("\r\n\r\n");
    if (end < 0)
        end = it->indexOf("\n\n");
    if (end < 0) {
        if (it->size() > maxRequestBytes)
            reject(socket, 431, tr("a request larger than %1 bytes").arg(maxRequestBytes));
        return;
    }
    const QByteArray head = it->left(end);
    socket->readAll(); // a body, if any, is not ours to read; drain it so close() sends FIN, not RST
    handleRequest(socket, head);
}

bool LoopbackListener::hostAllowed(const QByteArray& host) const
{
    // Only names that mean this machine: a page that rebinds its own DNS name to 127.0.0.1 sends
    // its own name here, and is refused.
    const QByteArray port = ':' + QByteArray::number(m_port);
    return host == "localhost" + port || host == "127.0.0.1" + port || host == "[::1]" + port;
}

void LoopbackListener::handleRequest(QTcpSocket* socket, const QByteArray& head)
{
    if (!isCleanHead(head))
        return reject(socket, 400, tr("a request with bytes that are not HTTP"));
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray& line : lines)
        line = line.trimmed();
    const QList<QByteArray> requestLine = lines.constFirst().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || !requestLine.at(2).startsWith("HTTP/1.")
        || !requestLine.at(1).startsWith('/'))
        return reject(socket, 400, tr("a malformed request line"));
    if (requestLine.at(0) != "GET")
        return reject(socket, 405,
            tr("a %1 request (only GET counts)").arg(QString::fromLatin1(requestLine.at(0))), {},
            "Allow: GET\r\n");

    const QByteArray target = requestLine.at(1);
    const qsizetype question = target.indexOf('?');
    const QByteArray path = question < 0 ? target : target.left(question);
    if (QString::fromLatin1(path) != m_path)
        return reject(socket, 404, tr("a request for another path"));

    QByteArray host;
    int hostLines = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "host") {
            host = line.mid(colon + 1).trimmed().toLower();
            ++hostLines;
        }
    }
    if (hostLines != 1 || !hostAllowed(host))
        return reject(socket, 400, tr("a request with an unexpected Host header"));

    const QUrlQuery query(QString::fromLatin1(question < 0 ? QByteArray() : target.mid(question + 1)));
    const Decision decision = m_handler ? m_handler(query) : Decision {};
    if (decision.kind == Decision::Reject)
        return reject(socket, decision.status, decision.title, decision.message);

    // Genuine: nobody else gets through any more, and this browser waits for the outcome.
    m_pending.remove(socket);
    disconnect(socket, nullptr, this, nullptr);
    closeServers();
    const QList<QTcpSocket*> others = m_pending.keys();
    for (QTcpSocket* other : others)
        drop(other);
    m_held = socket;
    // The browser may give up; the held connection must not leak then.
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void LoopbackListener::reject(QTcpSocket* socket,
    int status,
    const QString& reason,
    const QString& message,
    const QByteArray& extraHeaders)
{
    m_pending.remove(socket);
    disconnect(socket, nullptr, this, nullptr);
    const QString title = status == 404 ? tr("Not found") : tr("Not a valid sign-in callback");
    const QString text = message.isEmpty()
        ? tr("The console ignored this request (%1) and is still waiting for "
             "the sign-in to finish.")
              .arg(reason)
        : message;
    send(socket, CallbackPage::response(status, CallbackPage::html(false, title, text), extraHeaders));
    emit requestIgnored(reason);
}

int LoopbackListener::repliesInFlight()
{
    return g_inFlight;
}

void LoopbackListener::send(QTcpSocket* socket, const QByteArray& bytes)
{
    ++g_inFlight;
    auto done = std::make_shared<bool>(false);
    const auto finish = [socket, done] {
        if (*done)
            return;
        *done = true;
        --g_inFlight;
        socket->deleteLater();
    };
    connect(socket, &QTcpSocket::disconnected, socket, finish);
    // Whatever the client still sends is read and dropped: unread data would turn the close into
    // a reset, and the browser might lose the page.
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    socket->skip(socket->bytesAvailable());
    QTimer::singleShot(replyGraceMs, socket, [socket, finish] {
        socket->abort();
        finish();
    });
    socket->write(bytes);
    socket->flush();
    socket->disconnectFromHost();
    if (socket->state() == QAbstractSocket::UnconnectedState)
        finish();
}

void LoopbackListener::drop(QTcpSocket* socket)
{
    m_pending.remove(socket);
    disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

} // namespace rbac
