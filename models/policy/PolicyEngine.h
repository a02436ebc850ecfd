#pragma once

#include "policy/Policy.h"
#include "policy/ScopeCatalog.h"

#include <QMap>

namespace rbac {

// The answer to "may role R do permission P", phrased like the reference middleware.
struct CheckResult
{
    enum Outcome
    {
        Allowed,
        Forbidden,       // 403: the role exists but lacks the permission
        Unauthenticated, // 401: no such role
        UnknownPermission,
    };
    Outcome outcome = Forbidden;
    int httpStatus = 403;
    QString message;
    QStringList grantedBy; // permissions that allow it (operation checks may have several)
    QStringList scopes;    // Klaviyo scopes the permission or operation needs
};

// One Klaviyo scope a role's key must carry, and why.
struct ScopeRequirement
{
    QString scope;
    QStringList neededBy;  // permission names, in policy order
    bool baseline = false; // accounts:read, needed by every key
};

namespace PolicyEngine {

// Scopes a permission needs: those of its operations plus its extra scopes, sorted, unique.
QStringList permissionScopes(const Permission& permission, const ScopeCatalog& catalog);

CheckResult check(
    const Policy& policy, const QString& role, const QString& permission, const ScopeCatalog& catalog);

// "Can role R call operation O": allowed when a granted permission lists the operation.
CheckResult checkOperation(
    const Policy& policy, const QString& role, const QString& operationId, const ScopeCatalog& catalog);

// Every scope the role's key needs (baseline first, then sorted), with the permissions behind it.
QVector<ScopeRequirement> requiredScopes(const Policy& policy, const Role& role, const ScopeCatalog& catalog);
QStringList requiredScopeNames(const Policy& policy, const Role& role, const ScopeCatalog& catalog);

// https://www.klaviyo.com/create-private-api-key?scopes=… with the scopes pre-selected.
QString createKeyLink(const QStringList& scopes);

} // namespace PolicyEngine
} // namespace rbac
