#include "credentials/OAuthRecord.h"

#include "base/Clock.h"

#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace rbac {

namespace {

QVariant timeValue(const QDateTime& time)
{
    return time.isValid() ? QVariant(isoUtc(time)) : QVariant(QMetaType(QMetaType::QString));
}

// A null QString binds as SQL NULL; the text columns are NOT NULL.
QString text(const QString& value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

QDateTime parseTime(const QVariant& value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toUTC();
}

QStringList splitScopes(const QVariant& value)
{
    return value.toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

} // namespace

QStringList OAuthConnection::missingScopes() const
{
    QStringList missing;
    for (const QString& scope : requestedScopes) {
        if (!grantedScopes.contains(scope))
            missing << scope;
    }
    return missing;
}

QJsonObject OAuthConnection::toJson() const
{
    return {{QStringLiteral("state"), OAuthRecord::stateName(state)}, {QStringLiteral("clientId"), clientId},
        {QStringLiteral("accountId"), accountId}, {QStringLiteral("organizationName"), organizationName},
        {QStringLiteral("requestedScopes"), QJsonArray::fromStringList(requestedScopes)},
        {QStringLiteral("grantedScopes"), QJsonArray::fromStringList(grantedScopes)},
        {QStringLiteral("missingScopes"), QJsonArray::fromStringList(missingScopes())},
        {QStringLiteral("expiresAt"), expiresAt.isValid() ? isoUtc(expiresAt) : QString()},
        {QStringLiteral("connectedAt"), connectedAt.isValid() ? isoUtc(connectedAt) : QString()},
        {QStringLiteral("connectedBy"), connectedBy},
        {QStringLiteral("refreshedAt"), refreshedAt.isValid() ? isoUtc(refreshedAt) : QString()},
        {QStringLiteral("problem"), problem}};
}

namespace OAuthRecord {

QString stateName(OAuthConnection::State state)
{
    return state == OAuthConnection::State::Connected ? QStringLiteral("connected")
                                                      : QStringLiteral("reconnect required");
}

Expected<std::optional<OAuthConnection>> load(const QSqlDatabase& db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(
            QStringLiteral("SELECT state, client_id, account_id, organization_name, requested_scopes, "
                           "granted_scopes, expires_at, connected_at, connected_by, refreshed_at, problem "
                           "FROM oauth_connection WHERE id = 1")))
        return Status::error(ErrorKind::Environment,
            QStringLiteral("reading the OAuth connection failed: %1").arg(q.lastError().text()));
    if (!q.next())
        return std::optional<OAuthConnection>();
    OAuthConnection c;
    c.state = q.value(0).toString() == QLatin1String("connected") ? OAuthConnection::State::Connected
                                                                  : OAuthConnection::State::ReconnectRequired;
    c.clientId = q.value(1).toString();
    c.accountId = q.value(2).toString();
    c.organizationName = q.value(3).toString();
    c.requestedScopes = splitScopes(q.value(4));
    c.grantedScopes = splitScopes(q.value(5));
    c.expiresAt = parseTime(q.value(6));
    c.connectedAt = parseTime(q.value(7));
    c.connectedBy = q.value(8).toString();
    c.refreshedAt = parseTime(q.value(9));
    c.problem = q.value(10).toString();
    return std::optional<OAuthConnection>(c);
}

Status save(QSqlDatabase& db, const OAuthConnection& c)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO oauth_connection (id, state, client_id, account_id, organization_name, "
        "requested_scopes, "
        "granted_scopes, expires_at, connected_at, connected_by, refreshed_at, problem) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
        "client_id = excluded.client_id, account_id = excluded.account_id, "
        "organization_name = excluded.organization_name, requested_scopes = excluded.requested_scopes, "
        "granted_scopes = excluded.granted_scopes, expires_at = excluded.expires_at, "
        "connected_at = excluded.connected_at, connected_by = excluded.connected_by, "
        "refreshed_at = excluded.refreshed_at, problem = excluded.problem"));
    q.addBindValue(c.state == OAuthConnection::State::Connected ? QStringLiteral("connected")
                                                                : QStringLiteral("reconnect"));
    q.addBindValue(text(c.clientId));
    q.addBindValue(text(c.accountId));
    q.addBindValue(text(c.organizationName));
    q.addBindValue(text(c.requestedScopes.join(QLatin1Char(' '))));
    q.addBindValue(text(c.grantedScopes.join(QLatin1Char(' '))));
    q.addBindValue(timeValue(c.expiresAt));
    q.addBindValue(timeValue(c.connectedAt.isValid() ? c.connectedAt : Clock::nowUtc()));
    q.addBindValue(text(c.connectedBy));
    q.addBindValue(timeValue(c.refreshedAt));
    q.addBindValue(text(c.problem));
    if (!q.exec())
        return Status::error(ErrorKind::Environment,
            QStringLiteral("saving the OAuth connection failed: %1").arg(q.lastError().text()));
    return Status::ok();
}

Status remove(QSqlDatabase& db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("DELETE FROM oauth_connection")))
        return Status::error(ErrorKind::Environment,
            QStringLiteral("removing the OAuth connection failed: %1").arg(q.lastError().text()));
    return Status::ok();
}

} // namespace OAuthRecord
} // namespace rbac
