#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QUrl>
#include <QVector>

class QTcpServer;
class QTcpSocket;

namespace rbac::test {

// An independent OAuth authorization server plus Klaviyo's GET /api/accounts, on 127.0.0.1 only
// (port chosen by the OS). It is strict where Klaviyo is documented to be (docs/klaviyo.md §1-5): PKCE S256
// only, the exact registered redirect_uri at authorize and token time, client authentication by
// Basic only, single-use codes, Bearer + revision on the API. Consent is approved at once: the
// authorize endpoint redirects straight to redirect_uri?code=…&state=….
class FakeAuthServer : public QObject
{
    Q_OBJECT

public:
    explicit FakeAuthServer(QObject* parent = nullptr);
    ~FakeAuthServer() override;

    bool listen();
    QUrl url(const QString& path) const;
    QUrl authorizeUrl() const { return url(QStringLiteral("/oauth/authorize")); }
    QUrl tokenUrl() const { return url(QStringLiteral("/oauth/token")); }
    QUrl revokeUrl() const { return url(QStringLiteral("/oauth/revoke")); }
    QUrl apiBaseUrl() const { return url(QString()); }

    // The registered app.
    QString clientId = QStringLiteral("fake-client-id");
    QByteArray clientSecret; // random per server
    QString redirectUri;     // must be set by the test

    // Behaviour.
    QStringList withheldScopes; // requested but not granted
    qint64 expiresIn = 3600;
    bool denyConsent = false; // authorize redirects with error=access_denied
    bool rotateRefreshTokens = true;
    bool refuseRefresh = false;     // refresh → 400 invalid_grant
    bool hangTokenEndpoint = false; // token requests are never answered
    bool failRevoke = false;        // revoke → 503
    QString organizationName = QStringLiteral("Fake Shop Ltd");

    // Observation.
    int requests(const QString& route) const { return m_counts.value(route); }
    // Every secret issued or seen: client secret, codes, tokens, verifiers, states.
    QList<QByteArray> secrets() const;
    QByteArray lastCode() const { return m_lastCode; }
    QByteArray lastRefreshToken() const { return m_lastRefresh; }
    QByteArray lastAccessToken() const { return m_lastAccess; }
    QString lastScopeRequested() const { return m_lastScope; }
    QStringList log() const { return m_log; }
    bool refreshTokenValid(const QByteArray& token) const { return m_refresh.contains(token); }
    bool accessTokenValid(const QByteArray& token) const { return m_access.contains(token); }
    // Every access token issued so far is answered 401 from now on (an early death).
    void killAccessTokens() { m_access.clear(); }

private:
    struct Code
    {
        QString redirectUri;
        QByteArray challenge;
        QStringList scopes;
        bool used = false;
    };
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QByteArray query;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    void onReadyRead(QTcpSocket* socket);
    void handle(QTcpSocket* socket, const Request& request);
    void authorize(QTcpSocket* socket, const Request& request);
    void token(QTcpSocket* socket, const Request& request);
    void revoke(QTcpSocket* socket, const Request& request);
    void accounts(QTcpSocket* socket, const Request& request);
    bool clientAuthenticated(QTcpSocket* socket, const Request& request);
    QByteArray issue(const char* prefix);
    void respond(QTcpSocket* socket,
        int status,
        const QByteArray& body,
        const QByteArray& contentType = "application/json",
        const QByteArray& extraHeaders = {});
    void oauthError(QTcpSocket* socket, int status, const QString& error, const QString& description);

    QTcpServer* m_server;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QVector<QPointer<QTcpSocket>> m_hanging;
    QHash<QByteArray, Code> m_codes;
    QHash<QByteArray, QStringList> m_refresh; // refresh token → granted scopes
    QSet<QByteArray> m_access;
    QList<QByteArray> m_seen;
    QHash<QString, int> m_counts;
    QByteArray m_lastCode;
    QByteArray m_lastRefresh;
    QByteArray m_lastAccess;
    QString m_lastScope;
    QStringList m_log;
};

} // namespace rbac::test
