#include "workspace/PolicyStore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace rbac {

namespace {

Status sqlFailure(const QSqlQuery& q)
{
    const QSqlError error = q.lastError();
    // SQLITE_BUSY / SQLITE_LOCKED: another program holds the write lock past the busy timeout.
    if (error.nativeErrorCode() == QLatin1String("5") || error.nativeErrorCode() == QLatin1String("6")
        || error.nativeErrorCode() == QLatin1String("55P03"))
        return Status::error(ErrorKind::Environment,
            QStringLiteral("the workspace is locked by another program: %1").arg(error.text()));
    return Status::error(
        ErrorKind::Environment, QStringLiteral("workspace database error: %1").arg(error.text()));
}

// A null QString binds as SQL NULL; the columns are NOT NULL with '' for "none".
QVariant bindable(const QVariant& value)
{
    if (value.typeId() == QMetaType::QString && value.toString().isNull())
        return QStringLiteral("");
    return value;
}

} // namespace

Status PolicyStore::exec(const QString& sql, const QVariantList& values)
{
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant& v : values)
        q.addBindValue(bindable(v));
    return q.exec() ? Status::ok() : sqlFailure(q);
}

Expected<qint64> PolicyStore::insert(const QString& sql, const QVariantList& values)
{
    QSqlQuery q(m_db);
    q.prepare(sql);
    for (const QVariant& v : values)
        q.addBindValue(bindable(v));
    // RETURNING works on SQLite (3.35+) and PostgreSQL alike; lastInsertId() does not.
    if (!q.exec() || !q.next())
        return sqlFailure(q);
    return q.value(0).toLongLong();
}

Expected<StoredPolicy> PolicyStore::load()
{
    StoredPolicy out;
    QHash<qint64, int> roleIndex;
    QHash<qint64, int> permissionIndex;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT id, uid, name, description FROM roles ORDER BY id")))
        return sqlFailure(q);
    while (q.next()) {
        Role r;
        r.uid = q.value(1).toString();
        r.name = q.value(2).toString();
        r.description = q.value(3).toString();
        roleIndex.insert(q.value(0).toLongLong(), int(out.policy.roles.size()));
        out.roleIds.insert(r.name, q.value(0).toLongLong());
        out.policy.roles.append(r);
    }
    if (!q.exec(QStringLiteral("SELECT id, name, description FROM permissions ORDER BY id")))
        return sqlFailure(q);
    while (q.next()) {
        Permission p;
        p.name = q.value(1).toString();
        p.description = q.value(2).toString();
        permissionIndex.insert(q.value(0).toLongLong(), int(out.policy.permissions.size()));
        out.permissionIds.insert(p.name, q.value(0).toLongLong());
        out.policy.permissions.append(p);
    }
    if (!q.exec(QStringLiteral("SELECT permission_id, operation_id FROM permission_operations "
                               "ORDER BY permission_id, operation_id")))
        return sqlFailure(q);
    while (q.next())
        out.policy.permissions[permissionIndex.value(q.value(0).toLongLong())].operations
            << q.value(1).toString();
    if (!q.exec(QStringLiteral(
            "SELECT permission_id, scope FROM permission_scopes ORDER BY permission_id, scope")))
        return sqlFailure(q);
    while (q.next())
        out.policy.permissions[permissionIndex.value(q.value(0).toLongLong())].scopes
            << q.value(1).toString();
    if (!q.exec(QStringLiteral("SELECT role_id, permission_id FROM grants")))
        return sqlFailure(q);
    while (q.next()) {
        const int role = roleIndex.value(q.value(0).toLongLong(), -1);
        const int permission = permissionIndex.value(q.value(1).toLongLong(), -1);
        if (role >= 0 && permission >= 0)
            out.policy.roles[role].permissions << out.policy.permissions.at(permission).name;
    }
    for (Role& r : out.policy.roles)
        r.permissions.sort();
    return out;
}

Expected<qint64> PolicyStore::insertRole(const Role& role, const QString& createdAt)
{
    return insert(QStringLiteral("INSERT INTO roles (uid, name, description, created_at) VALUES (?, ?, ?, ?) "
                                 "RETURNING id"),
        {role.uid, role.name, role.description, createdAt});
}

Status PolicyStore::updateRole(qint64 id, const QString& name, const QString& description)
{
    return exec(
        QStringLiteral("UPDATE roles SET name = ?, description = ? WHERE id = ?"), {name, description, id});
}

Status PolicyStore::deleteRole(qint64 id)
{
    return exec(QStringLiteral("DELETE FROM roles WHERE id = ?"), {id});
}

Expected<qint64> PolicyStore::insertPermission(const Permission& permission, const QString& createdAt)
{
    Expected<qint64> id = insert(QStringLiteral("INSERT INTO permissions (name, description, created_at) "
                                                "VALUES (?, ?, ?) RETURNING id"),
        {permission.name, permission.description, createdAt});
    if (!id)
        return id;
    if (Status s = replacePermissionLists(*id, permission); !s)
        return s;
    return id;
}

Status PolicyStore::updatePermission(qint64 id, const Permission& permission)
{
    if (Status s = exec(QStringLiteral("UPDATE permissions SET name = ?, description = ? WHERE id = ?"),
            {permission.name, permission.description, id});
        !s)
        return s;
    return replacePermissionLists(id, permission);
}

Status PolicyStore::replacePermissionLists(qint64 id, const Permission& permission)
{
    if (Status s = exec(QStringLiteral("DELETE FROM permission_operations WHERE permission_id = ?"), {id});
        !s)
        return s;
    if (Status s = exec(QStringLiteral("DELETE FROM permission_scopes WHERE permission_id = ?"), {id}); !s)
        return s;
    for (const QString& op : permission.operations) {
        if (Status s = exec(QStringLiteral("INSERT INTO permission_operations (permission_id, operation_id) "
                                           "VALUES (?, ?)"),
                {id, op});
            !s)
            return s;
    }
    for (const QString& scope : permission.scopes) {
        if (Status s
            = exec(QStringLiteral("INSERT INTO permission_scopes (permission_id, scope) VALUES (?, ?)"),
                {id, scope});
            !s)
            return s;
    }
    return Status::ok();
}

Status PolicyStore::deletePermission(qint64 id)
{
    return exec(QStringLiteral("DELETE FROM permissions WHERE id = ?"), {id});
}

Status PolicyStore::setGrant(qint64 roleId, qint64 permissionId, bool granted)
{
    if (granted)
        return exec(QStringLiteral("INSERT INTO grants (role_id, permission_id) VALUES (?, ?) "
                                   "ON CONFLICT DO NOTHING"),
            {roleId, permissionId});
    return exec(
        QStringLiteral("DELETE FROM grants WHERE role_id = ? AND permission_id = ?"), {roleId, permissionId});
}

Status PolicyStore::clearGrants(qint64 roleId)
{
    return exec(QStringLiteral("DELETE FROM grants WHERE role_id = ?"), {roleId});
}

} // namespace rbac
