#pragma once

#include "oauth/OAuthConfig.h"
#include "credentials/OAuthRecord.h"
#include "oauth/OAuthTypes.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace rbac {

class SecretStore;
class TokenClient;
class Workspace;

// The live connection after sign-in: hands out the access token (refreshing it shortly before it
// expires), refreshes on demand or after a 401, and disconnects (revoke, then delete). Every
// refresh stores the refresh token the server sent back (docs/klaviyo.md §4: rotation is undocumented,
// so always keep the newest). invalid_grant ends the connection as "reconnect required": the
// dead tokens are deleted and later calls fail at once, without a request (no silent loop).
class OAuthSession : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const OAuthResult&)>;
    using TokenDone = std::function<void(const OAuthResult&, QByteArray accessToken)>; // receiver wipes

    OAuthSession(Workspace* workspace, SecretStore* store, TokenClient* client, QObject* parent = nullptr);
    ~OAuthSession() override;

    // Settings come from the workspace each time (another program may have changed them).
    using ConfigSource = std::function<Expected<OAuthConfig>()>;
    void setConfigSource(ConfigSource source) { m_config = std::move(source); }

    void refresh(QObject* context, Done done);
    void accessToken(QObject* context, TokenDone done);
    // GET /api/accounts with the access token, refreshing once on a 401; updates the account name.
    void checkAccount(QObject* context, Done done);
    // Revokes the refresh token, then deletes both tokens and the workspace facts. `force` goes on
    // to forget the connection locally when the revoke cannot be done (offline, keychain locked).
    void disconnect(bool force, QObject* context, Done done);

    // A new connection's access token, so the first call needs no keychain read.
    void remember(const QByteArray& accessToken, const QDateTime& expiresAt);

signals:
    void connectionChanged();

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Done done;
    };
    void runRefresh();
    void finishRefresh(const OAuthResult& result);
    void onRefreshed(
        const OAuthConfig& config, OAuthConnection record, QByteArray oldRefresh, TokenSet tokens);
    void markReconnect(OAuthConnection record, const QString& message);
    void revokeAndForget(bool force,
        const OAuthConfig& config,
        QByteArray secret,
        QByteArray refreshToken,
        std::optional<OAuthConnection> record,
        Done done);
    void forget(bool revoked, std::optional<OAuthConnection> record, Done done);
    Status audit(const QString& action, bool success, const QJsonObject& details);
    Expected<std::optional<OAuthConnection>> load() const;
    void forgetAccessToken();

    Workspace* m_workspace;
    SecretStore* m_store;
    TokenClient* m_client;
    ConfigSource m_config;
    QVector<Waiter> m_waiters; // callers of refresh() while one is in flight: one request serves all
    bool m_refreshing = false;
    QByteArray m_accessToken; // memory only; the keychain copy is for the next process
    QDateTime m_accessExpiresAt;
};

} // namespace rbac
