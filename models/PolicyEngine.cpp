#include "PolicyEngine.h"

#include <QSet>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

namespace rbac::PolicyEngine {

namespace {

QString unauthenticated(const QString& role)
{
    return QStringLiteral("unauthenticated (401): no Klaviyo role '%1'").arg(role);
}

QString forbidden(const QString& role, const QString& what)
{
    return QStringLiteral("forbidden (403): Role '%1' does not have permission: %2").arg(role, what);
}

} // namespace

QStringList permissionScopes(const Permission& permission, const ScopeCatalog& catalog)
{
    QSet<QString> scopes(permission.scopes.cbegin(), permission.scopes.cend());
    for (const QString& id : permission.operations) {
        if (const ApiOperation* op = catalog.operation(id))
            scopes.unite(QSet<QString>(op->scopes.cbegin(), op->scopes.cend()));
    }
    QStringList out = scopes.values();
    out.sort();
    return out;
}

CheckResult check(
    const Policy& policy, const QString& role, const QString& permission, const ScopeCatalog& catalog)
{
    CheckResult result;
    const Role* r = policy.role(role);
    if (!r) {
        result.outcome = CheckResult::Unauthenticated;
        result.httpStatus = 401;
        result.message = unauthenticated(role);
        return result;
    }
    const Permission* p = policy.permission(permission);
    if (!p) {
        result.outcome = CheckResult::UnknownPermission;
        result.httpStatus = 0;
        result.message = QStringLiteral("no permission '%1' in this workspace").arg(permission);
        return result;
    }
    result.scopes = permissionScopes(*p, catalog);
    if (!policy.isGranted(role, permission)) {
        result.outcome = CheckResult::Forbidden;
        result.httpStatus = 403;
        result.message = forbidden(role, permission);
        return result;
    }
    result.outcome = CheckResult::Allowed;
    result.httpStatus = 200;
    result.grantedBy = {permission};
    result.message = QStringLiteral("allowed: Role '%1' has permission %2").arg(role, permission);
    return result;
}

CheckResult checkOperation(
    const Policy& policy, const QString& role, const QString& operationId, const ScopeCatalog& catalog)
{
    CheckResult result;
    const Role* r = policy.role(role);
    if (!r) {
        result.outcome = CheckResult::Unauthenticated;
        result.httpStatus = 401;
        result.message = unauthenticated(role);
        return result;
    }
    const ApiOperation* op = catalog.operation(operationId);
    if (!op) {
        result.outcome = CheckResult::UnknownPermission;
        result.httpStatus = 0;
        result.message = QStringLiteral("no Klaviyo operation '%1' in the scope catalog").arg(operationId);
        return result;
    }
    result.scopes = op->scopes;
    for (const QString& name : r->permissions) {
        const Permission* p = policy.permission(name);
        if (p && p->operations.contains(operationId))
            result.grantedBy << name;
    }
    if (result.grantedBy.isEmpty()) {
        result.outcome = CheckResult::Forbidden;
        result.httpStatus = 403;
        result.message = forbidden(role, operationId);
        return result;
    }
    result.outcome = CheckResult::Allowed;
    result.httpStatus = 200;
    result.message = QStringLiteral("allowed: Role '%1' may call %2 through %3")
                         .arg(role, operationId, result.grantedBy.join(QLatin1String(", ")));
    return result;
}

QVector<ScopeRequirement> requiredScopes(const Policy& policy, const Role& role, const ScopeCatalog& catalog)
{
    QMap<QString, QStringList> byScope;
    for (const Permission& p : policy.permissions) {
        if (!std::binary_search(role.permissions.cbegin(), role.permissions.cend(), p.name))
            continue;
        for (const QString& scope : permissionScopes(p, catalog))
            byScope[scope] << p.name;
    }
    QVector<ScopeRequirement> out;
    const QString baseline = ScopeCatalog::baselineScope();
    out.append({baseline, byScope.take(baseline), true});
    for (auto it = byScope.cbegin(); it != byScope.cend(); ++it)
        out.append({it.key(), it.value(), false});
    return out;
}

QStringList requiredScopeNames(const Policy& policy, const Role& role, const ScopeCatalog& catalog)
{
    QStringList out;
    for (const ScopeRequirement& req : requiredScopes(policy, role, catalog))
        out << req.scope;
    return out;
}

QString createKeyLink(const QStringList& scopes)
{
    QUrl url(QStringLiteral("https://www.klaviyo.com/create-private-api-key"));
    QUrlQuery query;
    // Commas and colons stay readable: Klaviyo's link takes a plain comma-separated list.
    query.addQueryItem(QStringLiteral("scopes"), scopes.join(QLatin1Char(',')));
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

} // namespace rbac::PolicyEngine
