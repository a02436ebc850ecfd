#pragma once

#include "base/Status.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QUrlQuery>
#include <QVector>

#include <functional>

class QTcpServer;
class QTcpSocket;

namespace rbac {

// The local end of the redirect: a tiny HTTP listener on the loopback interface only, for the one
// redirect URI registered in Klaviyo. It never binds a wildcard address (NetworkAuth 6.4 binds all
// interfaces, docs/qt-notes.md §1) and counts only `GET <registered path>` with a loopback Host;
// everything else gets an error page and the listener keeps waiting.
//
// Whether a callback is genuine (state, code) is the handler's call. An accepted callback stops
// the listener at once (RFC 8252 §8.3); its browser connection is held open until answer(), so
// the page tells the real outcome of the token exchange instead of an early "success".
class LoopbackListener : public QObject
{
    Q_OBJECT

public:
    static constexpr int maxRequestBytes = 8192;
    static constexpr int maxConnections = 16;
    static constexpr int defaultIdleTimeoutMs = 10000;

    struct Decision
    {
        enum Kind
        {
            Reject, // answer now with `status`, keep listening
            Accept, // stop listening, hold the connection for answer()
        };
        Kind kind = Reject;
        int status = 400;
        QString title;
        QString message;
    };
    using Handler = std::function<Decision(const QUrlQuery& query)>;

    explicit LoopbackListener(QObject* parent = nullptr);
    ~LoopbackListener() override;

    // Binds 127.0.0.1 (and ::1 when the host is `localhost`: browsers may try either) on the URI's
    // port. Environment error when the port is taken, naming it.
    Status listen(const QUrl& redirectUri, Handler handler);
    // Stops accepting and drops connections that have not been answered; an accepted callback's
    // connection gets a neutral page unless answered first.
    void stop();
    // Answers the accepted callback's browser connection, if it is still there.
    void answer(bool success, const QString& title, const QString& message);

    bool isListening() const;
    quint16 port() const { return m_port; } // kept after stop(): QTcpServer reports 0 once closed
    QVector<QHostAddress> addresses() const { return m_addresses; }
    void setIdleTimeoutMs(int ms) { m_idleTimeoutMs = ms; }
    // Replies written but not yet fully sent, by every listener of the process: a CLI waits for
    // 0 before it exits, so the browser gets its page even after the listener is gone.
    static int repliesInFlight();

signals:
    // A request that did not count, with a reason safe to show (no query values).
    void requestIgnored(const QString& reason);

private:
    void onNewConnection(QTcpServer* server);
    void onReadyRead(QTcpSocket* socket);
    void handleRequest(QTcpSocket* socket, const QByteArray& head);
    void reject(QTcpSocket* socket,
        int status,
        const QString& reason,
        const QString& message = {},
        const QByteArray& extraHeaders = {});
    void send(QTcpSocket* socket, const QByteArray& bytes);
    void drop(QTcpSocket* socket);
    void closeServers();
    bool hostAllowed(const QByteArray& host) const;

    QVector<QTcpServer*> m_servers;
    QVector<QHostAddress> m_addresses;
    QHash<QTcpSocket*, QByteArray> m_pending; // connections still reading their request
    QPointer<QTcpSocket> m_held;
    Handler m_handler;
    QString m_path;
    QString m_host;
    quint16 m_port = 0;
    int m_idleTimeoutMs = defaultIdleTimeoutMs;
};

} // namespace rbac
