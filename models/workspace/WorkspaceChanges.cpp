// The policy changes a Workspace offers; each is one transaction with its audit entries.
#include "base/Clock.h"
#include "policy/PolicyJson.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"

#include <QJsonArray>
#include <QSet>
#include <QUuid>

#include <algorithm>

namespace rbac {

namespace {

Status notFound(const QString& what, const QString& name)
{
    return Status::error(ErrorKind::NotFound, QStringLiteral("no %1 '%2' in this workspace").arg(what, name));
}

Status checkName(const QString& what, const QString& name)
{
    if (isValidName(name))
        return Status::ok();
    return Status::error(ErrorKind::InvalidInput,
        QStringLiteral("%1 name '%2' is not valid: use %3").arg(what, name, nameRules()));
}

QString roleResource(const QString& name)
{
    return QStringLiteral("role:") + name;
}

QString permissionResource(const QString& name)
{
    return QStringLiteral("permission:") + name;
}

void insertSorted(QStringList& list, const QString& value)
{
    list.insert(std::lower_bound(list.begin(), list.end(), value) - list.begin(), value);
}

QJsonObject grantJson(bool granted)
{
    return {{QStringLiteral("granted"), granted}};
}

} // namespace

Status Workspace::addRole(const QString& name, const QString& description, const QString& cloneFrom)
{
    if (Status s = checkName(QStringLiteral("role"), name); !s)
        return s;
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        if (next.policy.role(name))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a role named '%1' already exists").arg(name));
        Role role;
        role.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        role.name = name;
        role.description = description;
        if (!cloneFrom.isEmpty()) {
            const Role* source = next.policy.role(cloneFrom);
            if (!source)
                return notFound(QStringLiteral("role"), cloneFrom);
            role.permissions = source->permissions;
            if (description.isEmpty())
                role.description = source->description;
        }
        Expected<qint64> id = store.insertRole(role, isoUtc(Clock::nowUtc()));
        if (!id)
            return id.status();
        for (const QString& p : std::as_const(role.permissions)) {
            if (Status s = store.setGrant(*id, next.permissionIds.value(p), true); !s)
                return s;
        }
        next.roleIds.insert(name, *id);
        next.policy.roles.append(role);
        QJsonObject details {{QStringLiteral("after"), PolicyJson::roleToJson(role)}};
        if (!cloneFrom.isEmpty())
            details.insert(QStringLiteral("clonedFrom"), cloneFrom);
        entries << entry(cloneFrom.isEmpty() ? QStringLiteral("role.add") : QStringLiteral("role.clone"),
            name, roleResource(name), details);
        return Status::ok();
    });
}

Status Workspace::renameRole(const QString& from, const QString& to)
{
    if (Status s = checkName(QStringLiteral("role"), to); !s)
        return s;
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        Role* role = next.policy.role(from);
        if (!role)
            return notFound(QStringLiteral("role"), from);
        if (from == to)
            return Status::ok();
        if (next.policy.role(to))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a role named '%1' already exists").arg(to));
        const qint64 id = next.roleIds.take(from);
        if (Status s = store.updateRole(id, to, role->description); !s)
            return s;
        role->name = to;
        next.roleIds.insert(to, id);
        entries << entry(QStringLiteral("role.rename"), to, roleResource(to),
            {{QStringLiteral("before"), QJsonObject {{QStringLiteral("name"), from}}},
                {QStringLiteral("after"), QJsonObject {{QStringLiteral("name"), to}}},
                {QStringLiteral("uid"), role->uid}});
        return Status::ok();
    });
}

Status Workspace::setRoleDescription(const QString& name, const QString& description)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        Role* role = next.policy.role(name);
        if (!role)
            return notFound(QStringLiteral("role"), name);
        if (role->description == description)
            return Status::ok();
        if (Status s = store.updateRole(next.roleIds.value(name), name, description); !s)
            return s;
        entries << entry(QStringLiteral("role.describe"), name, roleResource(name),
            {{QStringLiteral("before"), QJsonObject {{QStringLiteral("description"), role->description}}},
                {QStringLiteral("after"), QJsonObject {{QStringLiteral("description"), description}}}});
        role->description = description;
        return Status::ok();
    });
}

Status Workspace::removeRole(const QString& name)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        const Role* role = next.policy.role(name);
        if (!role)
            return notFound(QStringLiteral("role"), name);
        if (Status s = store.deleteRole(next.roleIds.value(name)); !s)
            return s;
        entries << entry(QStringLiteral("role.remove"), name, roleResource(name),
            {{QStringLiteral("before"), PolicyJson::roleToJson(*role)}, {QStringLiteral("uid"), role->uid}});
        next.roleIds.remove(name);
        next.policy.roles.removeIf([&](const Role& r) { return r.name == name; });
        return Status::ok();
    });
}

Status Workspace::addPermission(const Permission& permission)
{
    Permission p = permission;
    p.operations.sort();
    p.operations.removeDuplicates();
    p.scopes.sort();
    p.scopes.removeDuplicates();
    if (const QStringList problems = PolicyJson::permissionProblems(p, ScopeCatalog::builtin());
        !problems.isEmpty())
        return Status::error(ErrorKind::InvalidInput, problems.join(QLatin1Char('\n')));
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        if (next.policy.permission(p.name))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a permission named '%1' already exists").arg(p.name));
        Expected<qint64> id = store.insertPermission(p, isoUtc(Clock::nowUtc()));
        if (!id)
            return id.status();
        next.permissionIds.insert(p.name, *id);
        next.policy.permissions.append(p);
        entries << entry(QStringLiteral("permission.add"), {}, permissionResource(p.name),
            {{QStringLiteral("after"), PolicyJson::permissionToJson(p)}});
        return Status::ok();
    });
}

Status Workspace::updatePermission(const QString& name, const Permission& updated)
{
    Permission p = updated;
    p.operations.sort();
    p.operations.removeDuplicates();
    p.scopes.sort();
    p.scopes.removeDuplicates();
    if (const QStringList problems = PolicyJson::permissionProblems(p, ScopeCatalog::builtin());
        !problems.isEmpty())
        return Status::error(ErrorKind::InvalidInput, problems.join(QLatin1Char('\n')));
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        Permission* current = next.policy.permission(name);
        if (!current)
            return notFound(QStringLiteral("permission"), name);
        if (*current == p)
            return Status::ok();
        if (p.name != name && next.policy.permission(p.name))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a permission named '%1' already exists").arg(p.name));
        const qint64 id = next.permissionIds.take(name);
        if (Status s = store.updatePermission(id, p); !s)
            return s;
        entries << entry(QStringLiteral("permission.update"), {}, permissionResource(p.name),
            {{QStringLiteral("before"), PolicyJson::permissionToJson(*current)},
                {QStringLiteral("after"), PolicyJson::permissionToJson(p)}});
        *current = p;
        next.permissionIds.insert(p.name, id);
        if (p.name != name) {
            for (Role& r : next.policy.roles) {
                if (r.permissions.removeOne(name))
                    insertSorted(r.permissions, p.name);
            }
        }
        return Status::ok();
    });
}

Status Workspace::removePermission(const QString& name)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        const Permission* p = next.policy.permission(name);
        if (!p)
            return notFound(QStringLiteral("permission"), name);
        if (Status s = store.deletePermission(next.permissionIds.value(name)); !s)
            return s;
        QJsonObject before = PolicyJson::permissionToJson(*p);
        before.insert(QStringLiteral("grantedTo"), QJsonArray::fromStringList(next.policy.holders(name)));
        entries << entry(QStringLiteral("permission.remove"), {}, permissionResource(name),
            {{QStringLiteral("before"), before}});
        next.permissionIds.remove(name);
        next.policy.permissions.removeIf([&](const Permission& x) { return x.name == name; });
        for (Role& r : next.policy.roles)
            r.permissions.removeOne(name);
        return Status::ok();
    });
}

Status Workspace::setGranted(const QString& role, const QString& permission, bool granted)
{
    return setGrants({{role, permission, granted}});
}

Status Workspace::setGrants(const QVector<GrantChange>& changes)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        for (const GrantChange& change : changes) {
            Role* role = next.policy.role(change.role);
            if (!role)
                return notFound(QStringLiteral("role"), change.role);
            if (!next.policy.permission(change.permission))
                return notFound(QStringLiteral("permission"), change.permission);
            const bool current
                = std::binary_search(role->permissions.cbegin(), role->permissions.cend(), change.permission);
            // Another admin changed this very cell since the caller looked: tell, don't overwrite.
            if (m_seenBeforeWrite.role(change.role)
                && m_seenBeforeWrite.isGranted(change.role, change.permission) != current)
                return Status::error(ErrorKind::Conflict,
                    QStringLiteral("%1 of %2 to role '%3' was just changed by someone else (it is "
                                   "now %4); nothing was applied — review and try again")
                        .arg(QStringLiteral("the grant"), change.permission, change.role,
                            current ? QStringLiteral("granted") : QStringLiteral("revoked")));
            if (current == change.granted)
                continue;
            if (Status s = store.setGrant(next.roleIds.value(change.role),
                    next.permissionIds.value(change.permission), change.granted);
                !s)
                return s;
            if (change.granted)
                insertSorted(role->permissions, change.permission);
            else
                role->permissions.removeOne(change.permission);
            entries << entry(change.granted ? QStringLiteral("grant") : QStringLiteral("revoke"), change.role,
                permissionResource(change.permission),
                {{QStringLiteral("before"), grantJson(current)},
                    {QStringLiteral("after"), grantJson(change.granted)}});
        }
        return Status::ok();
    });
}

Status Workspace::replacePolicy(const Policy& policy, const QString& source)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        const Policy before = next.policy;
        const QString now = isoUtc(Clock::nowUtc());
        // Permissions: keep rows by name, so grants elsewhere and ids stay stable.
        for (const Permission& old : before.permissions) {
            if (!policy.permission(old.name)) {
                if (Status s = store.deletePermission(next.permissionIds.take(old.name)); !s)
                    return s;
            }
        }
        for (const Permission& p : policy.permissions) {
            const Permission* old = before.permission(p.name);
            if (!old) {
                Expected<qint64> id = store.insertPermission(p, now);
                if (!id)
                    return id.status();
                next.permissionIds.insert(p.name, *id);
            } else if (!(*old == p)) {
                if (Status s = store.updatePermission(next.permissionIds.value(p.name), p); !s)
                    return s;
            }
        }
        // Roles: keep identity (uid, keychain entries) by name.
        for (const Role& old : before.roles) {
            if (!policy.role(old.name)) {
                if (Status s = store.deleteRole(next.roleIds.take(old.name)); !s)
                    return s;
            }
        }
        for (Role r : policy.roles) { // NOLINT(performance-for-range-copy): sorted below
            const Role* old = before.role(r.name);
            r.permissions.sort();
            if (!old) {
                r.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
                Expected<qint64> id = store.insertRole(r, now);
                if (!id)
                    return id.status();
                next.roleIds.insert(r.name, *id);
            } else {
                r.uid = old->uid;
                if (old->description != r.description) {
                    if (Status s = store.updateRole(next.roleIds.value(r.name), r.name, r.description); !s)
                        return s;
                }
            }
            if (!old || old->permissions != r.permissions) {
                const qint64 roleId = next.roleIds.value(r.name);
                if (Status s = store.clearGrants(roleId); !s)
                    return s;
                for (const QString& p : std::as_const(r.permissions)) {
                    if (Status s = store.setGrant(roleId, next.permissionIds.value(p), true); !s)
                        return s;
                }
            }
        }
        // Back in stored (creation) order, as every later load will see it.
        Expected<StoredPolicy> stored = store.load();
        if (!stored)
            return stored.status();
        next = std::move(stored.value());
        QJsonObject details = PolicyJson::diff(before, next.policy);
        const auto isEmpty = [&details](const char* side) {
            const QJsonObject o = details.value(QLatin1String(side)).toObject();
            return o.value(QLatin1String("roles")).toObject().isEmpty()
                && o.value(QLatin1String("permissions")).toObject().isEmpty();
        };
        if (isEmpty("before") && isEmpty("after"))
            return Status::ok(); // identical policy: nothing to record, the transaction rolls back
        details.insert(QStringLiteral("source"), source);
        entries << entry(QStringLiteral("policy.import"), {}, QStringLiteral("policy"), details);
        return Status::ok();
    });
}

} // namespace rbac
