#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace rbac {

// An app permission (canSendCampaigns …): the Klaviyo operations it allows and any extra scopes.
// Its required scopes are derived from the catalog (see PolicyEngine).
struct Permission
{
    QString name;
    QString description;
    QStringList operations; // operationIds, sorted
    QStringList scopes;     // extra scopes beyond those of the operations, sorted

    bool operator==(const Permission& other) const
    {
        return name == other.name && description == other.description && operations == other.operations
            && scopes == other.scopes;
    }
};

// An app role (admin, marketer …) and the permissions granted to it.
struct Role
{
    QString uid; // stable identity across renames (keychain entries hang off it)
    QString name;
    QString description;
    QStringList permissions; // granted permission names, sorted

    bool operator==(const Role& other) const
    {
        return name == other.name && description == other.description && permissions == other.permissions;
    }
};

// The whole role × permission policy of a workspace, in creation order.
class Policy
{
public:
    QVector<Role> roles;
    QVector<Permission> permissions;

    const Role* role(const QString& name) const;
    Role* role(const QString& name);
    const Permission* permission(const QString& name) const;
    Permission* permission(const QString& name);
    bool isGranted(const QString& roleName, const QString& permissionName) const;
    int grantCount() const;
    // Roles that hold the permission, in role order.
    QStringList holders(const QString& permissionName) const;

    bool operator==(const Policy& other) const
    {
        return roles == other.roles && permissions == other.permissions;
    }
};

// Role and permission names appear in keychain entry names, CLI arguments and policy files:
// keep them to a portable, unambiguous alphabet.
bool isValidName(const QString& name);
QString nameRules();

} // namespace rbac
