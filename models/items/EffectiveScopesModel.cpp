#include "items/EffectiveScopesModel.h"

#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"

#include <QTimer>

namespace rbac {

EffectiveScopesModel::EffectiveScopesModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void EffectiveScopesModel::setWorkspace(Workspace* workspace)
{
    if (m_workspace)
        disconnect(m_connection);
    m_workspace = workspace;
    if (workspace)
        m_connection
            = connect(workspace, &Workspace::policyChanged, this, &EffectiveScopesModel::policyChanged);
    m_loaded = false;
    reload();
}

void EffectiveScopesModel::setDeferredUpdates(bool deferred)
{
    m_deferred = deferred;
}

void EffectiveScopesModel::policyChanged()
{
    if (!m_deferred) {
        reload();
        return;
    }
    if (m_reloadPending)
        return;
    m_reloadPending = true;
    QTimer::singleShot(0, this, [this] {
        m_reloadPending = false;
        reload();
    });
}

void EffectiveScopesModel::setRole(const QString& role)
{
    if (role == m_role)
        return;
    m_role = role;
    m_loaded = false;
    reload();
}

void EffectiveScopesModel::reload()
{
    const Role* role = m_workspace ? m_workspace->policy().role(m_role) : nullptr;
    const QVector<Permission> permissions
        = m_workspace ? m_workspace->policy().permissions : QVector<Permission>();
    if (m_loaded && m_hasRole == (role != nullptr) && (!role || role->permissions == m_rolePermissions)
        && permissions == m_permissions)
        return;
    m_loaded = true;
    m_rolePermissions = role ? role->permissions : QStringList();
    m_permissions = permissions;
    QVector<ScopeRequirement> rows;
    if (role)
        rows = PolicyEngine::requiredScopes(m_workspace->policy(), *role, ScopeCatalog::builtin());
    if (role && m_hasRole && rows.size() == m_rows.size()) {
        // Same number of rows (the usual case for a grant elsewhere): update in place.
        m_rows = rows;
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_hasRole = role != nullptr;
    m_rows = rows;
    endResetModel();
}

QStringList EffectiveScopesModel::scopes() const
{
    QStringList out;
    for (const ScopeRequirement& r : m_rows)
        out << r.scope;
    return out;
}

QString EffectiveScopesModel::createKeyLink() const
{
    return m_hasRole ? PolicyEngine::createKeyLink(scopes()) : QString();
}

int EffectiveScopesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EffectiveScopesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EffectiveScopesModel::operationsBehind(const ScopeRequirement& requirement) const
{
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    QStringList lines;
    for (const QString& name : requirement.neededBy) {
        const Permission* p = m_workspace ? m_workspace->policy().permission(name) : nullptr;
        if (!p)
            continue;
        QStringList operations;
        for (const QString& id : p->operations) {
            const ApiOperation* op = catalog.operation(id);
            if (op && op->scopes.contains(requirement.scope))
                operations << id;
        }
        if (p->scopes.contains(requirement.scope))
            operations << tr("(listed as an extra scope)");
        lines << tr("%1: %2").arg(name, operations.join(QStringLiteral(", ")));
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant EffectiveScopesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ScopeRequirement& r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == ScopeColumn)
            return r.scope;
        if (r.baseline && r.neededBy.isEmpty())
            return tr("every key (lets the console check which account a key belongs to)");
        if (r.baseline)
            return tr("every key; also %1").arg(r.neededBy.join(QStringLiteral(", ")));
        return r.neededBy.join(QStringLiteral(", "));
    case Qt::ToolTipRole:
        if (r.baseline && r.neededBy.isEmpty())
            return tr("%1 is on every key the console manages, so it can check which Klaviyo account a key "
                      "belongs to.")
                .arg(r.scope);
        return tr("%1 is needed by these operations:\n%2").arg(r.scope, operationsBehind(r));
    case ScopeRole:
        return r.scope;
    case BaselineRole:
        return r.baseline;
    default:
        return {};
    }
}

QVariant EffectiveScopesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ScopeColumn:
        return tr("Klaviyo scope");
    case NeededByColumn:
        return tr("Needed by");
    default:
        return {};
    }
}

} // namespace rbac
