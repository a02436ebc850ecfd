#include "policy/RoleDependencies.h"

#include "policy/PolicyEngine.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"

#include <QSqlQuery>

namespace rbac {

RoleDependencies RoleDependencies::of(const Workspace& workspace, const QString& role)
{
    RoleDependencies out;
    const Role* r = workspace.policy().role(role);
    if (!r)
        return out;
    out.exists = true;
    out.permissions = r->permissions;
    out.scopes = PolicyEngine::requiredScopeNames(workspace.policy(), *r, ScopeCatalog::builtin());
    // Non-secret key metadata (schema v2); a read only, and absent in older files.
    QSqlQuery q(workspace.database());
    q.prepare(QStringLiteral("SELECT k.last4, k.stored_at FROM role_keys k JOIN roles r ON r.id = k.role_id "
                             "WHERE r.name = ?"));
    q.addBindValue(role);
    if (q.exec() && q.next()) {
        out.hasStoredKey = true;
        out.keyLast4 = q.value(0).toString();
        out.keyStoredAt = q.value(1).toString();
    }
    return out;
}

} // namespace rbac
