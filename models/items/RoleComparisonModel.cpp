#include "items/RoleComparisonModel.h"

#include "policy/PolicyEngine.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"

#include <QSet>

namespace rbac {

namespace {

void addItems(QVector<RoleComparisonModel::Item>& out,
    RoleComparisonModel::Kind kind,
    const QStringList& first,
    const QStringList& second)
{
    QStringList all = first + second;
    all.sort();
    all.removeDuplicates();
    const QSet<QString> a(first.cbegin(), first.cend());
    const QSet<QString> b(second.cbegin(), second.cend());
    for (const QString& name : std::as_const(all))
        out.append({kind, name, a.contains(name), b.contains(name)});
}

} // namespace

RoleComparisonModel::RoleComparisonModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void RoleComparisonModel::setWorkspace(Workspace* workspace)
{
    if (m_workspace)
        disconnect(m_connection);
    m_workspace = workspace;
    if (workspace)
        m_connection = connect(workspace, &Workspace::policyChanged, this, &RoleComparisonModel::reload);
    m_loaded = false;
    reload();
}

void RoleComparisonModel::setRoles(const QString& first, const QString& second)
{
    if (first == m_first && second == m_second)
        return;
    m_first = first;
    m_second = second;
    m_loaded = false;
    reload();
    emit headerDataChanged(Qt::Horizontal, FirstColumn, SecondColumn);
}

void RoleComparisonModel::setShowShared(bool show)
{
    if (show == m_showShared)
        return;
    m_showShared = show;
    m_loaded = false;
    reload();
}

void RoleComparisonModel::reload()
{
    const Role* a = m_workspace ? m_workspace->policy().role(m_first) : nullptr;
    const Role* b = m_workspace ? m_workspace->policy().role(m_second) : nullptr;
    const QStringList firstPermissions = a ? a->permissions : QStringList();
    const QStringList secondPermissions = b ? b->permissions : QStringList();
    const QVector<Permission> permissions
        = m_workspace ? m_workspace->policy().permissions : QVector<Permission>();
    if (m_loaded && m_comparing == (a && b) && firstPermissions == m_firstPermissions
        && secondPermissions == m_secondPermissions && permissions == m_permissions)
        return; // nothing these rows depend on changed
    m_loaded = true;
    m_firstPermissions = firstPermissions;
    m_secondPermissions = secondPermissions;
    m_permissions = permissions;
    beginResetModel();
    m_all.clear();
    m_items.clear();
    m_comparing = a && b;
    if (m_comparing) {
        const Policy& policy = m_workspace->policy();
        const ScopeCatalog& catalog = ScopeCatalog::builtin();
        addItems(m_all, Kind::Permission, a->permissions, b->permissions);
        addItems(m_all, Kind::Scope, PolicyEngine::requiredScopeNames(policy, *a, catalog),
            PolicyEngine::requiredScopeNames(policy, *b, catalog));
        for (const Item& item : std::as_const(m_all)) {
            if (m_showShared || item.inFirst != item.inSecond)
                m_items.append(item);
        }
    }
    endResetModel();
}

int RoleComparisonModel::onlyInFirst(Kind kind) const
{
    int n = 0;
    for (const Item& item : m_all)
        n += item.kind == kind && item.inFirst && !item.inSecond;
    return n;
}

int RoleComparisonModel::onlyInSecond(Kind kind) const
{
    int n = 0;
    for (const Item& item : m_all)
        n += item.kind == kind && item.inSecond && !item.inFirst;
    return n;
}

int RoleComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int RoleComparisonModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoleComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item& item = m_items.at(index.row());
    const bool has = index.column() == FirstColumn ? item.inFirst : item.inSecond;
    const QString& roleName = index.column() == FirstColumn ? m_first : m_second;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KindColumn:
            return item.kind == Kind::Permission ? tr("Permission") : tr("Scope");
        case NameColumn:
            return item.name;
        default:
            return has ? tr("✓ has") : tr("— lacks");
        }
    case Qt::AccessibleTextRole:
        if (index.column() == FirstColumn || index.column() == SecondColumn)
            return has ? tr("%1 has %2").arg(roleName, item.name)
                       : tr("%1 lacks %2").arg(roleName, item.name);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == FirstColumn || index.column() == SecondColumn)
            return int(Qt::AlignCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant RoleComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KindColumn:
        return tr("Kind");
    case NameColumn:
        return tr("Name");
    case FirstColumn:
        return m_first;
    case SecondColumn:
        return m_second;
    default:
        return {};
    }
}

} // namespace rbac
