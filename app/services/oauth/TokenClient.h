#pragma once

#include "oauth/OAuthTypes.h"

#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace rbac {

// One answer from the token or revoke endpoint.
struct TokenReply
{
    enum Outcome
    {
        Ok,
        OAuthError, // the server refused: `error` (invalid_grant, invalid_client …) and its description
        Failed,     // no usable answer: network, timeout, 5xx, redirect, malformed body
    };
    Outcome outcome = Failed;
    int httpStatus = 0;
    QString error;
    QString message; // for people, secrets taken out
    TokenSet tokens; // Ok from exchange/refresh only; the receiver wipes them
};

// The connected account, from GET /api/accounts. Not secret.
struct AccountReply
{
    enum Outcome
    {
        Ok,
        Unauthorized, // 401: the access token is not (or no longer) accepted
        Failed,
    };
    Outcome outcome = Failed;
    int httpStatus = 0;
    QString accountId;
    QString organizationName;
    QString message;
};

// The HTTP side of OAuth (docs/klaviyo.md §3-4): form POSTs with `Authorization: Basic` to the token and
// revoke endpoints, and the Bearer call that names the account. Never follows redirects (the
// requests carry secrets); every request has a transfer timeout.
class TokenClient : public QObject
{
    Q_OBJECT

public:
    using TokenCallback = std::function<void(TokenReply)>;
    using AccountCallback = std::function<void(AccountReply)>;

    explicit TokenClient(int timeoutMs, QObject* parent = nullptr);

    struct Client
    {
        QString id;
        QByteArray secret;
    };

    // grant_type=authorization_code with code, code_verifier and the same redirect_uri.
    void exchangeCode(const QUrl& tokenUrl,
        const Client& client,
        const QByteArray& code,
        const QByteArray& verifier,
        const QUrl& redirectUri,
        QObject* context,
        TokenCallback done);
    // grant_type=refresh_token. The reply's refreshToken is empty when the server did not rotate it.
    void refresh(const QUrl& tokenUrl,
        const Client& client,
        const QByteArray& refreshToken,
        QObject* context,
        TokenCallback done);
    // token=…&token_type_hint=refresh_token; Ok on any 2xx.
    void revoke(const QUrl& revokeUrl,
        const Client& client,
        const QByteArray& refreshToken,
        QObject* context,
        TokenCallback done);
    void fetchAccount(const QUrl& apiBaseUrl,
        const QString& revision,
        const QByteArray& accessToken,
        QObject* context,
        AccountCallback done);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

private:
    enum class Expect
    {
        NewTokens,     // code exchange: access and refresh token required
        RefreshTokens, // refresh: a refresh token is optional
        Nothing,       // revoke
    };
    void post(const QUrl& url,
        const Client& client,
        QByteArray form,
        QList<QByteArray> secrets,
        Expect expect,
        QObject* context,
        TokenCallback done);

    QNetworkAccessManager* m_network;
    int m_timeoutMs;
};

} // namespace rbac
