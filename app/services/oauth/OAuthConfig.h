#pragma once

#include "base/Status.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace rbac {

class Workspace;

// The Klaviyo OAuth app the console connects through, and where it talks to. Nothing here is
// secret: the client secret lives in the keychain only (OAuthKeychain).
struct OAuthConfig
{
    // Below Linux's ephemeral range (32768-60999), so an outgoing connection never holds it, and not
    // a port common dev servers use (Klaviyo's samples use 5000, 5001, 3001). Register
    // http://localhost:28761/callback on the Klaviyo app, or set your own redirect URI.
    static constexpr quint16 defaultPort = 28761;
    static QString defaultRedirectUri();
    static QString defaultAuthorizeUrl() { return QStringLiteral("https://www.klaviyo.com/oauth/authorize"); }
    static QString defaultTokenUrl() { return QStringLiteral("https://a.klaviyo.com/oauth/token"); }
    static QString defaultRevokeUrl() { return QStringLiteral("https://a.klaviyo.com/oauth/revoke"); }

    // Workspace settings (plain, audited by Workspace::setSetting).
    static QString clientIdKey() { return QStringLiteral("oauth.clientId"); }
    static QString redirectUriKey() { return QStringLiteral("oauth.redirectUri"); }
    static QString scopesKey() { return QStringLiteral("oauth.scopes"); } // empty: the roles' scopes
    static QString authorizeUrlKey() { return QStringLiteral("oauth.authorizeUrl"); }
    static QString tokenUrlKey() { return QStringLiteral("oauth.tokenUrl"); }
    static QString revokeUrlKey() { return QStringLiteral("oauth.revokeUrl"); }

    // Environment overrides, stronger than the settings (tests, proxies).
    static const char* authorizeUrlEnv() { return "KLAVIYO_OAUTH_AUTHORIZE_URL"; }
    static const char* tokenUrlEnv() { return "KLAVIYO_OAUTH_TOKEN_URL"; }
    static const char* revokeUrlEnv() { return "KLAVIYO_OAUTH_REVOKE_URL"; }

    static constexpr int defaultBrowserTimeoutMs = 5 * 60 * 1000;
    static constexpr int defaultRequestTimeoutMs = 30000;
    // Refresh when the access token has less than this left, so a call never starts with a token
    // that dies on the way.
    static constexpr int refreshLeadSeconds = 120;

    QString clientId;
    QUrl redirectUri;
    QStringList scopes;        // what to request; accounts:read first
    bool defaultScopes = true; // scopes follow the roles (no oauth.scopes setting)
    QUrl authorizeUrl;
    QUrl tokenUrl;
    QUrl revokeUrl;
    QUrl apiBaseUrl;  // KlaviyoConfig: $KLAVIYO_API_BASE_URL, setting, default
    QString revision; // the revision header for GET /api/accounts
    int browserTimeoutMs = defaultBrowserTimeoutMs;
    int requestTimeoutMs = defaultRequestTimeoutMs;

    // Reads everything; InvalidInput names the setting or variable that is wrong. A missing
    // client id is not an error here (status works without one); `requireClient` checks it.
    static Expected<OAuthConfig> fromWorkspace(const Workspace& workspace);
    Status requireClient() const;

    // http, host `localhost` or `127.0.0.1` (Klaviyo matches redirect URIs exactly and treats the
    // two as different, docs/klaviyo.md §5), an explicit fixed port, a path, nothing else.
    static Expected<QUrl> checkRedirectUri(const QString& text);
    // Printable ASCII without spaces or ':' (it goes into the Basic header as "id:secret").
    static Status checkClientId(const QString& clientId);
    // Endpoints carry secrets: https, or plain http to this machine only.
    static Expected<QUrl> checkEndpoint(const QString& text, const QString& origin);
    // accounts:read plus every scope any role's key needs (PolicyEngine::requiredScopeNames).
    static QStringList roleScopes(const Workspace& workspace);
    // Space- or comma-separated scope names, each known to the scope catalog; accounts:read is
    // always added and put first; duplicates dropped.
    static Expected<QStringList> parseScopes(const QString& text);
};

} // namespace rbac
