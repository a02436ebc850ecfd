#include "workspace/WorkspaceLocation.h"

#include <QUrlQuery>

#include <algorithm>

namespace rbac {

namespace {

// libpq parameters that are safe to pass through; anything else is refused by name.
const QStringList allowedParameters = {QStringLiteral("sslmode"), QStringLiteral("sslrootcert"),
    QStringLiteral("sslcert"), QStringLiteral("sslkey"), QStringLiteral("connect_timeout"),
    QStringLiteral("application_name"), QStringLiteral("target_session_attrs")};

} // namespace

bool WorkspaceLocation::looksLikeUri(const QString& text)
{
    return text.startsWith(QLatin1String("postgresql://")) || text.startsWith(QLatin1String("postgres://"));
}

Expected<WorkspaceLocation> WorkspaceLocation::parse(const QString& text)
{
    WorkspaceLocation location;
    if (!looksLikeUri(text)) {
        if (text.isEmpty())
            return Status::error(ErrorKind::InvalidInput, QStringLiteral("no workspace path given"));
        location.filePath = text;
        return location;
    }
    const QUrl url(text, QUrl::StrictMode);
    const auto invalid = [](const QString& why) {
        return Status::error(ErrorKind::InvalidInput, QStringLiteral("workspace URI: %1").arg(why));
    };
    if (!url.isValid())
        return invalid(url.errorString());
    if (!url.password().isEmpty())
        return invalid(
            QStringLiteral("remove the password from the URI; put it in ~/.pgpass (or the file named "
                           "by PGPASSFILE) so it never lands in shell history, settings or logs"));
    location.engine = SqlEngine::PostgreSQL;
    location.host = url.host();
    if (location.host.isEmpty())
        return invalid(QStringLiteral("no host, e.g. postgresql://admin@db.example.com:5432/rbac"));
    location.port = url.port(5432);
    location.database = url.path().mid(1);
    if (location.database.isEmpty() || location.database.contains(QLatin1Char('/')))
        return invalid(QStringLiteral("no database name, e.g. postgresql://admin@db.example.com/rbac"));
    location.user = url.userName();
    QStringList options {QStringLiteral("connect_timeout=10")};
    const QList<QPair<QString, QString>> items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto& [key, value] : items) {
        if (!allowedParameters.contains(key))
            return invalid(QStringLiteral("unsupported parameter '%1' (use %2)")
                               .arg(key, allowedParameters.join(QStringLiteral(", "))));
        if (value.contains(QLatin1Char(';')) || value.contains(QLatin1Char('=')))
            return invalid(QStringLiteral("parameter '%1' has an invalid value").arg(key));
        const QString prefix = key + QLatin1Char('='); // C++17 lambdas cannot capture a structured binding
        options.removeIf([&prefix](const QString& o) { return o.startsWith(prefix); });
        options << key + QLatin1Char('=') + value;
    }
    if (std::none_of(options.cbegin(), options.cend(),
            [](const QString& o) { return o.startsWith(QLatin1String("application_name=")); }))
        options << QStringLiteral("application_name=klaviyo-rbac");
    location.connectOptions = options.join(QLatin1Char(';'));
    return location;
}

QString WorkspaceLocation::display() const
{
    if (engine == SqlEngine::SQLite)
        return filePath;
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    url.setPath(QLatin1Char('/') + database);
    return url.toString();
}

} // namespace rbac
