#include "oauth/OAuthConfig.h"

#include "policy/PolicyEngine.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"
#include "klaviyo/KlaviyoConfig.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace rbac {

namespace {

Status invalid(const QString& message)
{
    return Status::error(ErrorKind::InvalidInput, message);
}

// The environment variable, else the setting, else the default; checked either way.
Expected<QUrl> endpoint(
    const Workspace& workspace, const char* env, const QString& key, const QString& fallback)
{
    QString text = qEnvironmentVariable(env);
    QString origin = QStringLiteral("$") + QLatin1String(env);
    if (text.isEmpty()) {
        text = workspace.setting(key);
        origin = QStringLiteral("workspace setting ") + key;
    }
    if (text.isEmpty()) {
        text = fallback;
        origin = QStringLiteral("the default");
    }
    return OAuthConfig::checkEndpoint(text, origin);
}

} // namespace

QString OAuthConfig::defaultRedirectUri()
{
    return QStringLiteral("http://localhost:%1/callback").arg(defaultPort);
}

Status OAuthConfig::checkClientId(const QString& clientId)
{
    if (clientId.isEmpty())
        return invalid(QStringLiteral("the OAuth client id is empty"));
    if (clientId.size() > 256)
        return invalid(QStringLiteral("the OAuth client id is longer than 256 characters"));
    for (const QChar c : clientId) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || c == QLatin1Char(':'))
            return invalid(QStringLiteral("the OAuth client id may only hold printable ASCII without spaces "
                                          "or ':'"));
    }
    return Status::ok();
}

Expected<QUrl> OAuthConfig::checkRedirectUri(const QString& text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const auto bad = [&text](const QString& why) {
        return invalid(QStringLiteral("the redirect URI '%1' %2").arg(text, why));
    };
    if (!url.isValid())
        return bad(QStringLiteral("is not a valid URL"));
    if (url.scheme() != QLatin1String("http"))
        return bad(QStringLiteral("must start with http:// (the console listens on this machine only)"));
    if (url.host() != QLatin1String("localhost") && url.host() != QLatin1String("127.0.0.1"))
        return bad(
            QStringLiteral("must use the host localhost or 127.0.0.1, exactly as registered in Klaviyo"));
    if (url.port() < 1)
        return bad(
            QStringLiteral("needs an explicit port, e.g. http://localhost:%1/callback").arg(defaultPort));
    if (url.path().isEmpty() || url.path() == QLatin1String("/"))
        return bad(QStringLiteral("needs a path, e.g. /callback"));
    if (url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
        return bad(QStringLiteral("must not have a query, fragment or user name"));
    return url;
}

Expected<QUrl> OAuthConfig::checkEndpoint(const QString& text, const QString& origin)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const auto bad = [&](const QString& why) {
        return invalid(QStringLiteral("the OAuth endpoint '%1' (from %2) %3").arg(text, origin, why));
    };
    if (!url.isValid() || url.host().isEmpty())
        return bad(QStringLiteral("is not a valid URL"));
    if (url.hasFragment() || !url.userInfo().isEmpty())
        return bad(QStringLiteral("must not have a fragment or user name"));
    const QString scheme = url.scheme().toLower();
    const bool loopback = url.host() == QLatin1String("localhost") || QHostAddress(url.host()).isLoopback();
    if (scheme != QLatin1String("https") && !(scheme == QLatin1String("http") && loopback))
        return bad(QStringLiteral("must use https (plain http only to this machine)"));
    return url;
}

QStringList OAuthConfig::roleScopes(const Workspace& workspace)
{
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    QStringList scopes;
    for (const Role& role : workspace.policy().roles)
        scopes += PolicyEngine::requiredScopeNames(workspace.policy(), role, catalog);
    scopes.removeAll(ScopeCatalog::baselineScope());
    scopes.removeDuplicates();
    scopes.sort();
    scopes.prepend(ScopeCatalog::baselineScope());
    return scopes;
}

Expected<QStringList> OAuthConfig::parseScopes(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    const QStringList names = text.split(separators, Qt::SkipEmptyParts);
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    QStringList unknown;
    QStringList scopes;
    for (const QString& name : names) {
        if (!catalog.hasScope(name))
            unknown << name;
        else if (name != ScopeCatalog::baselineScope() && !scopes.contains(name))
            scopes << name;
    }
    if (!unknown.isEmpty())
        return invalid(
            QStringLiteral("unknown Klaviyo scope(s): %1").arg(unknown.join(QStringLiteral(", "))));
    scopes.prepend(ScopeCatalog::baselineScope());
    return scopes;
}

Expected<OAuthConfig> OAuthConfig::fromWorkspace(const Workspace& workspace)
{
    OAuthConfig config;
    config.clientId = workspace.setting(clientIdKey()).trimmed();
    if (!config.clientId.isEmpty()) {
        if (Status s = checkClientId(config.clientId); !s)
            return Status::error(
                s.kind(), s.message() + QStringLiteral(" (workspace setting %1)").arg(clientIdKey()));
    }
    Expected<QUrl> redirect = checkRedirectUri(workspace.setting(redirectUriKey(), defaultRedirectUri()));
    if (!redirect)
        return redirect.status();
    config.redirectUri = *redirect;

    const QString scopeSetting = workspace.setting(scopesKey()).trimmed();
    config.defaultScopes = scopeSetting.isEmpty();
    if (config.defaultScopes) {
        config.scopes = roleScopes(workspace);
    } else {
        Expected<QStringList> scopes = parseScopes(scopeSetting);
        if (!scopes)
            return Status::error(scopes.status().kind(),
                scopes.status().message() + QStringLiteral(" (workspace setting %1)").arg(scopesKey()));
        config.scopes = *scopes;
    }

    const struct
    {
        QUrl* target;
        const char* env;
        QString key;
        QString fallback;
    } endpoints[] = {
        {&config.authorizeUrl, authorizeUrlEnv(), authorizeUrlKey(), defaultAuthorizeUrl()},
        {&config.tokenUrl, tokenUrlEnv(), tokenUrlKey(), defaultTokenUrl()},
        {&config.revokeUrl, revokeUrlEnv(), revokeUrlKey(), defaultRevokeUrl()},
    };
    for (const auto& e : endpoints) {
        Expected<QUrl> url = endpoint(workspace, e.env, e.key, e.fallback);
        if (!url)
            return url.status();
        *e.target = *url;
    }

    // The API base URL and revision follow the rest of the console (KlaviyoConfig).
    Expected<KlaviyoConfig> api = KlaviyoConfig::fromWorkspace(workspace);
    if (!api)
        return api.status();
    config.apiBaseUrl = api->baseUrl;
    config.revision = api->revision;
    return config;
}

Status OAuthConfig::requireClient() const
{
    if (clientId.isEmpty())
        return invalid(QStringLiteral("no OAuth client id is set: run 'klaviyo-rbac oauth client set "
                                      "--client-id ID --redirect-uri URI' or fill in the OAuth page"));
    return Status::ok();
}

} // namespace rbac
