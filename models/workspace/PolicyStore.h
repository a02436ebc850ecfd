#pragma once

#include "policy/Policy.h"
#include "base/Status.h"

#include <QHash>
#include <QSqlDatabase>
#include <QVariantList>

namespace rbac {

// The policy as stored, with the row ids the SQL needs.
struct StoredPolicy
{
    Policy policy;
    QHash<QString, qint64> roleIds;       // by role name
    QHash<QString, qint64> permissionIds; // by permission name
};

// Reads and writes the policy tables. No transactions and no audit here: Workspace wraps
// every change in one transaction together with its audit entry.
class PolicyStore
{
public:
    explicit PolicyStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Expected<StoredPolicy> load();

    Expected<qint64> insertRole(const Role& role, const QString& createdAt);
    Status updateRole(qint64 id, const QString& name, const QString& description);
    Status deleteRole(qint64 id);

    Expected<qint64> insertPermission(const Permission& permission, const QString& createdAt);
    // Name, description, operations and scopes.
    Status updatePermission(qint64 id, const Permission& permission);
    Status deletePermission(qint64 id);

    Status setGrant(qint64 roleId, qint64 permissionId, bool granted);
    Status clearGrants(qint64 roleId);

    Status exec(const QString& sql, const QVariantList& values = {});

private:
    Expected<qint64> insert(const QString& sql, const QVariantList& values);
    Status replacePermissionLists(qint64 id, const Permission& permission);
    QSqlDatabase m_db;
};

} // namespace rbac
