// setting list / setting set: the workspace's non-secret settings (Klaviyo endpoints, API
// revision, OAuth app, rotation reminder). Secrets never go here: they have their own commands
// that read them from stdin into the keychain.
#include "CliContext.h"
#include "Command.h"
#include "credentials/KeyStatus.h"
#include "klaviyo/KlaviyoConfig.h"
#include "TextTable.h"
#include "workspace/Workspace.h"
#include "oauth/OAuthConfig.h"

#include <QRegularExpression>

namespace rbac::cli {

namespace {

struct SettingSpec
{
    QString key;
    QString meaning;
    QString fallback; // what applies while the setting is not set
    std::function<Status(const QString& value)> check;
};

Status checked(const Expected<QUrl>& url)
{
    return url ? Status::ok() : url.status();
}

QVector<SettingSpec> specs()
{
    const QString origin = QStringLiteral("the value");
    return {
        {KlaviyoConfig::baseUrlSettingKey(),
            QStringLiteral("Klaviyo API base URL ($KLAVIYO_API_BASE_URL wins)"),
            KlaviyoConfig::defaultBaseUrl(),
            [origin](const QString& v) {
                return checked(KlaviyoConfig::checkBaseUrl(v, origin));
            }},
        {KlaviyoConfig::revisionSettingKey(), QStringLiteral("revision header sent to Klaviyo (YYYY-MM-DD)"),
            QStringLiteral("the scope catalog's revision"),
            [](const QString& v) {
                static const QRegularExpression form(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}(\\.pre)?$"));
                return form.match(v).hasMatch()
                    ? Status::ok()
                    : Status::error(ErrorKind::InvalidInput,
                        QStringLiteral("'%1' is not a Klaviyo revision (YYYY-MM-DD)").arg(v));
            }},
        {OAuthConfig::clientIdKey(), QStringLiteral("OAuth app client id"), QStringLiteral("not set"),
            [](const QString& v) {
                return OAuthConfig::checkClientId(v);
            }},
        {OAuthConfig::redirectUriKey(), QStringLiteral("OAuth redirect URI, exactly as registered"),
            OAuthConfig::defaultRedirectUri(),
            [](const QString& v) {
                return checked(OAuthConfig::checkRedirectUri(v));
            }},
        {OAuthConfig::scopesKey(), QStringLiteral("scopes to request, space-separated"),
            QStringLiteral("the roles' scopes"),
            [](const QString& v) {
                const Expected<QStringList> scopes = OAuthConfig::parseScopes(v);
                return scopes ? Status::ok() : scopes.status();
            }},
        {OAuthConfig::authorizeUrlKey(),
            QStringLiteral("OAuth authorize URL ($KLAVIYO_OAUTH_AUTHORIZE_URL wins)"),
            OAuthConfig::defaultAuthorizeUrl(),
            [origin](const QString& v) {
                return checked(OAuthConfig::checkEndpoint(v, origin));
            }},
        {OAuthConfig::tokenUrlKey(), QStringLiteral("OAuth token URL ($KLAVIYO_OAUTH_TOKEN_URL wins)"),
            OAuthConfig::defaultTokenUrl(),
            [origin](const QString& v) {
                return checked(OAuthConfig::checkEndpoint(v, origin));
            }},
        {OAuthConfig::revokeUrlKey(), QStringLiteral("OAuth revoke URL ($KLAVIYO_OAUTH_REVOKE_URL wins)"),
            OAuthConfig::defaultRevokeUrl(),
            [origin](const QString& v) {
                return checked(OAuthConfig::checkEndpoint(v, origin));
            }},
        {KeyStatusRules::rotationSettingKey(),
            QStringLiteral("remind to rotate keys older than this many days"),
            QString::number(KeyStatusRules::defaultRotationDays),
            [](const QString& v) {
                bool ok = false;
                const int days = v.toInt(&ok);
                return ok && days >= 1 && days <= 3650
                    ? Status::ok()
                    : Status::error(ErrorKind::InvalidInput,
                        QStringLiteral("'%1' is not a number of days from 1 to 3650").arg(v));
            }},
    };
}

int list(CliContext& ctx, const QCommandLineParser&, const QStringList&)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    TextTable table({QStringLiteral("SETTING"), QStringLiteral("VALUE"), QStringLiteral("MEANING")});
    for (const SettingSpec& spec : specs()) {
        const QString value = ws->setting(spec.key);
        table.addRow(
            {spec.key, value.isEmpty() ? QStringLiteral("(%1)").arg(spec.fallback) : value, spec.meaning});
    }
    table.print(ctx.out);
    return ExitOk;
}

int set(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    const QString key = args.at(0);
    const QString value = args.at(1).trimmed();
    const QVector<SettingSpec> all = specs();
    const auto spec
        = std::find_if(all.cbegin(), all.cend(), [&key](const SettingSpec& s) { return s.key == key; });
    if (spec == all.cend()) {
        QStringList keys;
        for (const SettingSpec& s : all)
            keys << s.key;
        return ctx.usage(
            QStringLiteral("no setting '%1'; settings: %2").arg(key, keys.join(QStringLiteral(", "))));
    }
    if (Status s = spec->check(value); !s)
        return ctx.usage(QStringLiteral("%1: %2").arg(key, s.message()));
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    if (Status s = ws->setSetting(key, value); !s)
        return ctx.fail(s);
    ctx.out << QStringLiteral("%1 = %2").arg(key, value) << Qt::endl;
    return ExitOk;
}

} // namespace

void addSettingCommands(QVector<Command>& commands)
{
    commands.append({{QStringLiteral("setting"), QStringLiteral("list")}, QString(),
        QStringLiteral("The workspace's settings, with what applies while one is not set."), {}, 0, 0, list});
    commands.append({{QStringLiteral("setting"), QStringLiteral("set")}, QStringLiteral("KEY VALUE"),
        QStringLiteral("Change a setting (validated; audited). Never a secret: those go to the keychain."),
        {}, 2, 2, set});
}

} // namespace rbac::cli
