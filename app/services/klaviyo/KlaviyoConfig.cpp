#include "klaviyo/KlaviyoConfig.h"

#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace rbac {

QString KlaviyoConfig::betaRevision() const
{
    return revision.endsWith(QLatin1String(".pre")) ? revision : revision + QStringLiteral(".pre");
}

Expected<QUrl> KlaviyoConfig::checkBaseUrl(const QString& text, const QString& origin)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const auto bad = [&](const QString& why) {
        return Status::error(ErrorKind::InvalidInput,
            QStringLiteral("the Klaviyo base URL '%1' (from %2) %3").arg(text, origin, why));
    };
    if (!url.isValid() || url.host().isEmpty())
        return bad(QStringLiteral("is not a valid URL"));
    if (url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty())
        return bad(QStringLiteral("must not have a query, fragment or user name"));
    const QString scheme = url.scheme().toLower();
    const QHostAddress address(url.host());
    const bool loopback = url.host() == QLatin1String("localhost") || address.isLoopback();
    if (scheme != QLatin1String("https") && !(scheme == QLatin1String("http") && loopback))
        return bad(QStringLiteral("must use https (plain http only to this machine)"));
    QUrl clean = url.adjusted(QUrl::StripTrailingSlash);
    return clean;
}

Expected<KlaviyoConfig> KlaviyoConfig::fromWorkspace(const Workspace& workspace)
{
    KlaviyoConfig config;
    QString base = qEnvironmentVariable(qPrintable(baseUrlEnvironmentVariable()));
    QString origin = QStringLiteral("$") + baseUrlEnvironmentVariable();
    if (base.isEmpty()) {
        base = workspace.setting(baseUrlSettingKey());
        origin = QStringLiteral("workspace setting %1").arg(baseUrlSettingKey());
    }
    if (base.isEmpty()) {
        base = defaultBaseUrl();
        origin = QStringLiteral("the default");
    }
    Expected<QUrl> url = checkBaseUrl(base, origin);
    if (!url)
        return url.status();
    config.baseUrl = *url;

    config.revision
        = workspace.setting(revisionSettingKey(), ScopeCatalog::builtin().stableRevision()).trimmed();
    static const QRegularExpression revisionForm(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}(\\.pre)?$"));
    if (!revisionForm.match(config.revision).hasMatch())
        return Status::error(ErrorKind::InvalidInput,
            QStringLiteral("the workspace setting %1 = '%2' is not a Klaviyo revision "
                           "(YYYY-MM-DD)")
                .arg(revisionSettingKey(), config.revision));
    return config;
}

} // namespace rbac
