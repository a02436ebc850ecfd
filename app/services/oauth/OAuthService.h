#pragma once

#include "oauth/OAuthConfig.h"
#include "oauth/OAuthFlow.h"
#include "credentials/OAuthRecord.h"
#include "oauth/OAuthSession.h"
#include "oauth/OAuthTypes.h"
#include "oauth/TokenClient.h"
#include "keychain/SecretStore.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace rbac {

class Workspace;

// The console's and the CLI's one entry point to the Klaviyo OAuth connection: app settings,
// sign-in (an OAuthFlow per attempt), then the session (refresh, account check, disconnect).
// Secrets go to `store` only; the workspace gets the non-secret facts and an audit entry for
// every change and every failed attempt.
class OAuthService : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const OAuthResult&)>;

    OAuthService(Workspace* workspace, SecretStore* store, QObject* parent = nullptr);
    ~OAuthService() override;

    Workspace* workspace() const { return m_workspace; }
    SecretStore* store() const { return m_store; }
    OAuthSession& session() { return *m_session; }

    // Test seams and CLI options: 0 keeps the default.
    void setBrowserTimeoutMs(int ms) { m_browserTimeoutMs = ms; }
    void setRequestTimeoutMs(int ms);

    Expected<OAuthConfig> config() const;
    Expected<std::optional<OAuthConnection>> connection() const;

    // Client id, redirect URI and scopes (empty text: follow the roles) into workspace settings.
    // Everything is checked before anything is written.
    Status saveSettings(const QString& clientId, const QString& redirectUri, const QString& scopes);
    // The client secret into the keychain; the audit entry says only that it was replaced.
    void storeClientSecret(const QByteArray& secret, QObject* context, Done done);
    // Whether the keychain holds a client secret: Ok, NotFound, or why it cannot say.
    void checkClientSecret(QObject* context, std::function<void(SecretResult::Code, QString)> done);

    // Starts a sign-in: emits authorizationUrlReady (open it in the browser), progress, and at the
    // end connectFinished. Fails at once (and still emits connectFinished) without settings or
    // secret, or when the port is taken.
    void connectAccount();
    void cancelConnect();
    bool isConnecting() const;
    OAuthFlow* currentFlow() const { return m_flow; }

    void refresh(QObject* context, Done done) { m_session->refresh(context, std::move(done)); }
    void checkAccount(QObject* context, Done done) { m_session->checkAccount(context, std::move(done)); }
    void disconnectAccount(bool force, QObject* context, Done done)
    {
        m_session->disconnect(force, context, std::move(done));
    }

signals:
    void authorizationUrlReady(const QUrl& url);
    void progress(const QString& message);
    void requestIgnored(const QString& reason);
    void connectFinished(const rbac::OAuthResult& result);
    void connectionChanged();

private:
    void startFlow(const OAuthConfig& config, QByteArray secret);
    void storeConnection(const OAuthConfig& config);
    void recordConnection(const OAuthConfig& config, const TokenSet& tokens, const AccountReply& account);
    void endConnect(const OAuthResult& result);

    Workspace* m_workspace;
    SecretStore* m_store;
    TokenClient* m_client;
    OAuthSession* m_session;
    QPointer<OAuthFlow> m_flow;
    bool m_starting = false;
    int m_browserTimeoutMs = 0;
    int m_requestTimeoutMs = 0;
};

} // namespace rbac
