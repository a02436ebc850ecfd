#include "credentials/KeyIndex.h"

#include "base/Clock.h"
#include "workspace/PolicyStore.h"

#include <QHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace rbac::KeyIndex {

namespace {

Status readFailure(const QSqlQuery& q)
{
    return Status::error(
        ErrorKind::Environment, QStringLiteral("reading key metadata failed: %1").arg(q.lastError().text()));
}

QDateTime parseTime(const QVariant& value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

// The stored verification is read back defensively: a damaged value reads as "not verified".
std::optional<KeyVerification> parseVerification(const QVariant& value)
{
    if (value.isNull())
        return std::nullopt;
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(value.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return KeyVerification::fromJson(doc.object());
}

QString compact(const KeyVerification& verification)
{
    return QString::fromUtf8(QJsonDocument(verification.toJson()).toJson(QJsonDocument::Compact));
}

Expected<QVector<KeyRecord>> query(const QSqlDatabase& db, const QString& roleUid)
{
    const QString where = roleUid.isNull() ? QString() : QStringLiteral(" WHERE r.uid = ?");
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT r.id, r.uid, r.name, k.role_id, k.last4, k.stored_at, k.verified_at, "
                       "k.verification, k.fingerprint FROM roles r LEFT JOIN role_keys k ON k.role_id = r.id")
        + where + QStringLiteral(" ORDER BY r.id"));
    if (!roleUid.isNull())
        q.addBindValue(roleUid);
    if (!q.exec())
        return readFailure(q);
    QVector<KeyRecord> records;
    QHash<qint64, int> byRoleId;
    while (q.next()) {
        KeyRecord r;
        r.roleId = q.value(0).toLongLong();
        r.roleUid = q.value(1).toString();
        r.roleName = q.value(2).toString();
        r.hasKey = !q.value(3).isNull();
        r.last4 = q.value(4).toString();
        r.storedAt = parseTime(q.value(5));
        r.verifiedAt = parseTime(q.value(6));
        r.verification = parseVerification(q.value(7));
        r.fingerprint = q.value(8).toString();
        byRoleId.insert(r.roleId, int(records.size()));
        records.append(r);
    }
    QSqlQuery retired(db);
    retired.setForwardOnly(true);
    if (!retired.exec(QStringLiteral("SELECT id, role_id, last4, retired_at FROM retired_keys ORDER BY id")))
        return readFailure(retired);
    while (retired.next()) {
        const auto it = byRoleId.constFind(retired.value(1).toLongLong());
        if (it == byRoleId.constEnd())
            continue;
        records[*it].retired.append(
            {retired.value(0).toLongLong(), retired.value(2).toString(), parseTime(retired.value(3))});
    }
    return records;
}

} // namespace

Expected<QVector<KeyRecord>> load(const QSqlDatabase& db)
{
    return query(db, QString());
}

Expected<QSet<QString>> keyedRoleUids(const QSqlDatabase& db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT r.uid FROM role_keys k JOIN roles r ON r.id = k.role_id")))
        return readFailure(q);
    QSet<QString> uids;
    while (q.next())
        uids.insert(q.value(0).toString());
    return uids;
}

Expected<KeyRecord> find(const QSqlDatabase& db, const QString& roleUid)
{
    Expected<QVector<KeyRecord>> records = query(db, roleUid.isNull() ? QStringLiteral("") : roleUid);
    if (!records)
        return records.status();
    if (records->isEmpty())
        return Status::error(
            ErrorKind::NotFound, QStringLiteral("the role no longer exists in this workspace"));
    return records->constFirst();
}

Status store(QSqlDatabase& db,
    qint64 roleId,
    const QString& last4,
    const QString& fingerprint,
    const QDateTime& storedAt,
    const std::optional<KeyVerification>& verification)
{
    const QVariant verifiedAt
        = verification ? QVariant(isoUtc(storedAt)) : QVariant(QMetaType(QMetaType::QString));
    const QVariant json
        = verification ? QVariant(compact(*verification)) : QVariant(QMetaType(QMetaType::QString));
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO role_keys (role_id, last4, fingerprint, stored_at, verified_at, verification) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (role_id) DO UPDATE SET last4 = excluded.last4, "
        "fingerprint = excluded.fingerprint, stored_at = excluded.stored_at, "
        "verified_at = excluded.verified_at, verification = excluded.verification"));
    q.addBindValue(roleId);
    q.addBindValue(last4);
    q.addBindValue(fingerprint);
    q.addBindValue(isoUtc(storedAt));
    q.addBindValue(verifiedAt);
    q.addBindValue(json);
    if (!q.exec())
        return Status::error(
            ErrorKind::Environment, QStringLiteral("recording the key failed: %1").arg(q.lastError().text()));
    return Status::ok();
}

Status setVerification(
    QSqlDatabase& db, qint64 roleId, const KeyVerification& verification, const QDateTime& verifiedAt)
{
    return PolicyStore(db).exec(
        QStringLiteral("UPDATE role_keys SET verified_at = ?, verification = ? WHERE role_id = ?"),
        {isoUtc(verifiedAt), compact(verification), roleId});
}

Status remove(QSqlDatabase& db, qint64 roleId)
{
    return PolicyStore(db).exec(QStringLiteral("DELETE FROM role_keys WHERE role_id = ?"), {roleId});
}

Expected<qint64> addRetired(QSqlDatabase& db, qint64 roleId, const QString& last4, const QDateTime& retiredAt)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO retired_keys (role_id, last4, retired_at) VALUES (?, ?, ?)"));
    q.addBindValue(roleId);
    q.addBindValue(last4);
    q.addBindValue(isoUtc(retiredAt));
    if (!q.exec())
        return Status::error(ErrorKind::Environment,
            QStringLiteral("recording the replaced key failed: %1").arg(q.lastError().text()));
    return q.lastInsertId().toLongLong();
}

Status removeRetired(QSqlDatabase& db, qint64 retiredId)
{
    return PolicyStore(db).exec(QStringLiteral("DELETE FROM retired_keys WHERE id = ?"), {retiredId});
}

} // namespace rbac::KeyIndex
