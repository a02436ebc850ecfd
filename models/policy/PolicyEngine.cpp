#include "policy/PolicyEngine.h"

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

CheckResult answer(CheckResult result, CheckResult::Outcome outcome, int httpStatus, const QString& message)
{
    result.outcome = outcome;
    result.httpStatus = httpStatus;
    result.message = message;
    return result;
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
    if (!policy.role(role))
        return answer(result, CheckResult::Unauthenticated, 401, unauthenticated(role));
    const Permission* p = policy.permission(permission);
    if (!p)
        return answer(result, CheckResult::UnknownPermission, 0,
            QStringLiteral("no permission '%1' in this workspace").arg(permission));
    result.scopes = permissionScopes(*p, catalog);
    if (!policy.isGranted(role, permission))
        return answer(result, CheckResult::Forbidden, 403, forbidden(role, permission));
    result.grantedBy = {permission};
    return answer(result, CheckResult::Allowed, 200,
        QStringLiteral("allowed: Role '%1' has permission %2").arg(role, permission));
}

CheckResult checkOperation(
    const Policy& policy, const QString& role, const QString& operationId, const ScopeCatalog& catalog)
{
    CheckResult result;
    const Role* r = policy.role(role);
    if (!r)
        return answer(result, CheckResult::Unauthenticated, 401, unauthenticated(role));
    const ApiOperation* op = catalog.operation(operationId);
    if (!op)
        return answer(result, CheckResult::UnknownPermission, 0,
            QStringLiteral("no Klaviyo operation '%1' in the scope catalog").arg(operationId));
    result.scopes = op->scopes;
    for (const QString& name : r->permissions) {
        const Permission* p = policy.permission(name);
        if (p && p->operations.contains(operationId))
            result.grantedBy << name;
    }
    if (result.grantedBy.isEmpty())
        return answer(result, CheckResult::Forbidden, 403, forbidden(role, operationId));
    return answer(result, CheckResult::Allowed, 200,
        QStringLiteral("allowed: Role '%1' may call %2 through %3")
            .arg(role, operationId, result.grantedBy.join(QLatin1String(", "))));
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
