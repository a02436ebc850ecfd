#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QStringList>
#include <QTcpServer>
#include <QUrl>
#include <QVector>

#include <deque>

namespace rbac::test {

// What GET /api/accounts tells about a key's account.
struct FakeAccount
{
    QString id = QStringLiteral("01FAKEACCOUNT");
    QString organizationName = QStringLiteral("Fake Shop Ltd");
    QString publicKey = QStringLiteral("AbC123");
    bool testAccount = true;
};

// A stand-in for Klaviyo's API on 127.0.0.1 (never any other interface), port chosen by the OS.
// It knows the endpoints of the scope catalog's probes, checks the headers every real request
// must carry, and answers per key: 200 when the key holds every scope the endpoint needs, 403
// when not, 401 for unknown keys. Tests can queue throttling (429), server errors, hangs and
// malformed bodies, and can make it enforce the published rate limits.
class FakeKlaviyoServer : public QObject
{
    Q_OBJECT

public:
    using Account = FakeAccount;

    struct Request
    {
        QByteArray method;
        QString path;
        QString query; // decoded
        QByteArray authorization;
        QByteArray revision;
        QByteArray accept;
        qint64 atMs = 0; // since the server started
        int status = 0;  // what it answered (0: no answer)
    };

    // A queued special answer for the next request(s) to one path ("" = any path).
    struct Injection
    {
        QString path;
        int status = 0;        // 429, 500, 503 …; 0 with hang = never answer
        QByteArray retryAfter; // header value, empty for none
        QByteArray headers;    // more raw header lines, each ending in \r\n
        QByteArray body;       // empty: a fitting JSON:API error body
        bool hang = false;
    };

    explicit FakeKlaviyoServer(QObject* parent = nullptr);
    ~FakeKlaviyoServer() override;

    bool listen(); // 127.0.0.1, port 0
    void close() { m_server.close(); }
    QUrl baseUrl() const;

    void addKey(const QByteArray& key, const QStringList& scopes, const Account& account = {});
    void removeKey(const QByteArray& key) { m_keys.remove(key); }
    void setAccountsBody(const QByteArray& body) { m_accountsBody = body; }
    void inject(const Injection& injection, int times = 1);
    // Answer 429 whenever a request would exceed the endpoint's published limit (sliding windows).
    void setEnforceRateLimits(bool enforce) { m_enforceLimits = enforce; }

    const QVector<Request>& requests() const { return m_requests; }
    // Header or protocol violations seen (wrong scheme, missing revision, wrong accept …).
    const QStringList& problems() const { return m_problems; }
    int count(const QString& path) const;
    void clearLog();
    void clearInjections() { m_injections.clear(); }

private:
    struct Endpoint
    {
        QStringList scopes;
        bool beta = false;
        QStringList limits; // "1/s", "15/m"
    };
    void onConnection();
    void onReadyRead(QTcpSocket* socket);
    void answer(QTcpSocket* socket, Request& request);
    void reply(QTcpSocket* socket,
        Request& request,
        int status,
        const QByteArray& body,
        const QByteArray& extraHeaders = {});
    bool overLimit(const QString& path, qint64 nowMs);

    QTcpServer m_server;
    QElapsedTimer m_clock;
    QHash<QString, Endpoint> m_endpoints;
    QHash<QByteArray, QPair<QSet<QString>, Account>> m_keys;
    QByteArray m_accountsBody;
    std::deque<Injection> m_injections;
    QVector<Request> m_requests;
    QStringList m_problems;
    QHash<QString, std::deque<qint64>> m_sends;
    QString m_stableRevision;
    QString m_betaRevision;
    bool m_enforceLimits = false;
};

} // namespace rbac::test
