#pragma once

#include "credentials/KeyVerification.h"
#include "base/Status.h"

#include <QDateTime>
#include <QSet>
#include <QSqlDatabase>
#include <QVector>

#include <optional>

namespace rbac {

// A replaced key that may still work in Klaviyo until an admin deletes it there.
struct RetiredKey
{
    qint64 id = 0;
    QString last4;
    QDateTime retiredAt;
};

// What the workspace knows about one role's key: never the key itself.
struct KeyRecord
{
    qint64 roleId = 0;
    QString roleUid;
    QString roleName;
    bool hasKey = false; // a row in role_keys: the keychain should hold an entry for this role
    QString last4;
    QString fingerprint; // keyFingerprint() of the stored key; empty for keys stored before it existed
    QDateTime storedAt;  // first stored, or last replaced
    std::optional<KeyVerification> verification;
    QDateTime verifiedAt;
    QVector<RetiredKey> retired; // oldest first
};

// The SQL behind role_keys and retired_keys. Writers run inside Workspace::writeRecords, so each
// change commits together with its audit entry; readers work on any connection.
namespace KeyIndex {

// Every role, in creation order, with whatever key metadata it has.
Expected<QVector<KeyRecord>> load(const QSqlDatabase& db);
// Only the uids of the roles that have a key: cheap enough to ask on every policy change.
Expected<QSet<QString>> keyedRoleUids(const QSqlDatabase& db);
// One role by its uid; NotFound when the role is gone.
Expected<KeyRecord> find(const QSqlDatabase& db, const QString& roleUid);

// Records a newly stored key: clears the previous verification. `verification` (from checking the
// key before it was saved) is kept when given.
Status store(QSqlDatabase& db,
    qint64 roleId,
    const QString& last4,
    const QString& fingerprint,
    const QDateTime& storedAt,
    const std::optional<KeyVerification>& verification);
Status setVerification(
    QSqlDatabase& db, qint64 roleId, const KeyVerification& verification, const QDateTime& verifiedAt);
Status remove(QSqlDatabase& db, qint64 roleId);

Expected<qint64> addRetired(
    QSqlDatabase& db, qint64 roleId, const QString& last4, const QDateTime& retiredAt);
Status removeRetired(QSqlDatabase& db, qint64 retiredId);

} // namespace KeyIndex
} // namespace rbac
