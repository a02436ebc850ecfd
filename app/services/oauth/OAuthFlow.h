#pragma once

#include "oauth/LoopbackListener.h"
#include "oauth/OAuthTypes.h"
#include "base/Status.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

namespace rbac {

class TokenClient;

// One authorization attempt, start to end, as an explicit state machine (docs/qt-notes.md §2):
//
//   Idle → WaitingForBrowser → ExchangingCode → Completing → Succeeded
//                 │                  │              └──────→ Failed
//                 ├→ TimedOut        └→ Failed
//                 └→ Failed (error= from the server) / Cancelled (from any live state)
//
// Each attempt has its own state, PKCE verifier and listener, made in start() and wiped when it
// ends. Completing is the owner's turn: it takes the tokens (takeTokens), stores them and calls
// complete(), whose outcome is what the waiting browser is told.
class OAuthFlow : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Idle,
        WaitingForBrowser,
        ExchangingCode,
        Completing,
        Succeeded,
        Failed,
        TimedOut,
        Cancelled,
    };
    Q_ENUM(State)

    struct Params
    {
        QUrl authorizeUrl;
        QUrl tokenUrl;
        QUrl redirectUri;
        QString clientId;
        QByteArray clientSecret; // wiped by the flow when it ends
        QStringList scopes;
        int browserTimeoutMs = 5 * 60 * 1000;
    };

    OAuthFlow(Params params, TokenClient* client, QObject* parent = nullptr);
    ~OAuthFlow() override;

    // Makes state and verifier, binds the listener, arms the browser timeout and announces the
    // authorization URL. An error (port taken …) leaves the flow Failed without finished().
    Status start();
    void cancel();
    // The owner's verdict after tokensReceived(): ends the attempt and answers the browser.
    void complete(const OAuthResult& result, const QString& pageMessage);

    State state() const { return m_state; }
    bool isActive() const;
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    const OAuthResult& result() const { return m_result; }
    // The tokens from the exchange, once; the caller wipes them.
    TokenSet takeTokens();
    LoopbackListener& listener() { return m_listener; }

    static QString stateName(State state);

signals:
    void stateChanged(rbac::OAuthFlow::State state);
    void authorizationUrlReady(const QUrl& url);
    void requestIgnored(const QString& reason);
    void tokensReceived();
    void finished(const rbac::OAuthResult& result);

private:
    LoopbackListener::Decision onCallback(const QUrlQuery& query);
    void exchange();
    void finish(State state, const OAuthResult& result, const QString& pageTitle, const QString& pageMessage);
    void setState(State state);
    void wipeSecrets();

    Params m_params;
    TokenClient* m_client;
    LoopbackListener m_listener;
    QTimer m_timeout;
    State m_state = State::Idle;
    QByteArray m_stateToken;
    QByteArray m_verifier;
    QByteArray m_code;
    TokenSet m_tokens;
    QUrl m_authorizationUrl;
    OAuthResult m_result;
};

} // namespace rbac
