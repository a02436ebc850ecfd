#include "items/RoleMatrixModel.h"

#include "policy/PolicyEngine.h"
#include "policy/ScopeCatalog.h"

#include <QSet>

#include <algorithm>
#include <climits>

namespace rbac {

namespace {

QString roleKey(const Role& role)
{
    return role.uid.isEmpty() ? QStringLiteral("name:") + role.name : role.uid;
}

QString permissionKey(const Permission& permission)
{
    return permission.name;
}

template<typename T, typename KeyFn> QSet<QString> keySet(const QVector<T>& items, KeyFn key)
{
    QSet<QString> out;
    out.reserve(items.size());
    for (const T& item : items)
        out.insert(key(item));
    return out;
}

// True when the items both sequences hold appear in the same order in each, so `current` can
// become `target` by removing and inserting items only.
template<typename T, typename KeyFn>
bool survivorsKeepOrder(const QVector<T>& current, const QVector<T>& target, KeyFn key)
{
    const QSet<QString> inTarget = keySet(target, key);
    const QSet<QString> inCurrent = keySet(current, key);
    QStringList a;
    QStringList b;
    for (const T& item : current) {
        if (inTarget.contains(key(item)))
            a << key(item);
    }
    for (const T& item : target) {
        if (inCurrent.contains(key(item)))
            b << key(item);
    }
    return a == b;
}

QString shortList(const QStringList& items, int max)
{
    if (items.size() <= max)
        return items.join(QStringLiteral(", "));
    return RoleMatrixModel::tr("%1 and %2 more")
        .arg(items.mid(0, max).join(QStringLiteral(", ")))
        .arg(items.size() - max);
}

} // namespace

RoleMatrixModel::RoleMatrixModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void RoleMatrixModel::setWorkspace(Workspace* workspace)
{
    if (m_workspace)
        disconnect(m_connection);
    beginResetModel();
    m_workspace = workspace;
    m_roles.clear();
    m_permissions.clear();
    m_grid.clear();
    if (workspace) {
        m_roles = workspace->policy().roles;
        m_permissions = workspace->policy().permissions;
        rebuildIndexes();
        m_grid.assign(size_t(m_roles.size()), std::vector<char>(size_t(m_permissions.size()), 0));
        for (int r = 0; r < m_roles.size(); ++r) {
            for (const QString& name : std::as_const(m_roles[r].permissions)) {
                const int c = m_columnByName.value(name, -1);
                if (c >= 0)
                    m_grid[size_t(r)][size_t(c)] = 1;
            }
        }
        m_connection = connect(workspace, &Workspace::policyChanged, this, &RoleMatrixModel::sync);
    } else {
        rebuildIndexes();
    }
    endResetModel();
}

void RoleMatrixModel::rebuildIndexes()
{
    m_rowByName.clear();
    m_rowByName.reserve(m_roles.size());
    for (int r = 0; r < m_roles.size(); ++r)
        m_rowByName.insert(m_roles.at(r).name, r);
    m_columnByName.clear();
    m_columnByName.reserve(m_permissions.size());
    for (int c = 0; c < m_permissions.size(); ++c)
        m_columnByName.insert(m_permissions.at(c).name, c);
}

bool RoleMatrixModel::alignRows(const QVector<Role>& target)
{
    if (!survivorsKeepOrder(m_roles, target, roleKey))
        return false;
    const QSet<QString> inTarget = keySet(target, roleKey);
    for (int i = int(m_roles.size()) - 1; i >= 0;) {
        if (inTarget.contains(roleKey(m_roles.at(i)))) {
            --i;
            continue;
        }
        const int last = i;
        while (i >= 0 && !inTarget.contains(roleKey(m_roles.at(i))))
            --i;
        const int first = i + 1;
        beginRemoveRows({}, first, last);
        m_roles.remove(first, last - first + 1);
        m_grid.erase(m_grid.begin() + first, m_grid.begin() + last + 1);
        endRemoveRows();
    }
    const QSet<QString> inCurrent = keySet(m_roles, roleKey);
    for (int j = 0; j < target.size();) {
        if (inCurrent.contains(roleKey(target.at(j)))) {
            ++j;
            continue;
        }
        const int first = j;
        while (j < target.size() && !inCurrent.contains(roleKey(target.at(j))))
            ++j;
        beginInsertRows({}, first, j - 1);
        for (int k = first; k < j; ++k) {
            Role role = target.at(k);
            role.permissions.clear(); // the content pass fills the cells and reports them
            m_roles.insert(k, role);
            m_grid.insert(m_grid.begin() + k, std::vector<char>(size_t(m_permissions.size()), 0));
        }
        endInsertRows();
    }
    return true;
}

bool RoleMatrixModel::alignColumns(const QVector<Permission>& target)
{
    if (!survivorsKeepOrder(m_permissions, target, permissionKey))
        return false;
    const QSet<QString> inTarget = keySet(target, permissionKey);
    for (int i = int(m_permissions.size()) - 1; i >= 0;) {
        if (inTarget.contains(permissionKey(m_permissions.at(i)))) {
            --i;
            continue;
        }
        const int last = i;
        while (i >= 0 && !inTarget.contains(permissionKey(m_permissions.at(i))))
            --i;
        const int first = i + 1;
        beginRemoveColumns({}, first, last);
        m_permissions.remove(first, last - first + 1);
        for (std::vector<char>& row : m_grid)
            row.erase(row.begin() + first, row.begin() + last + 1);
        endRemoveColumns();
    }
    const QSet<QString> inCurrent = keySet(m_permissions, permissionKey);
    for (int j = 0; j < target.size();) {
        if (inCurrent.contains(permissionKey(target.at(j)))) {
            ++j;
            continue;
        }
        const int first = j;
        while (j < target.size() && !inCurrent.contains(permissionKey(target.at(j))))
            ++j;
        beginInsertColumns({}, first, j - 1);
        for (int k = first; k < j; ++k)
            m_permissions.insert(k, target.at(k));
        for (std::vector<char>& row : m_grid)
            row.insert(row.begin() + first, size_t(j - first), 0);
        endInsertColumns();
    }
    return true;
}

void RoleMatrixModel::sync()
{
    if (!m_workspace)
        return;
    const Policy& policy = m_workspace->policy();
    QStringList columnsBefore;
    columnsBefore.reserve(m_permissions.size());
    for (const Permission& p : std::as_const(m_permissions))
        columnsBefore << p.name;
    const bool aligned = alignRows(policy.roles) && alignColumns(policy.permissions);
    if (!aligned) {
        setWorkspace(m_workspace); // order changed: start over
        return;
    }
    // Same rows and columns as the policy now; bring names, descriptions and cells up to date.
    bool columnsChanged = columnsBefore.size() != m_permissions.size();
    for (int c = 0; !columnsChanged && c < m_permissions.size(); ++c)
        columnsChanged = columnsBefore.at(c) != m_permissions.at(c).name;
    const bool permissionsEdited = !(m_permissions == policy.permissions);
    m_permissions = policy.permissions;
    rebuildIndexes();

    int top = INT_MAX, bottom = -1, left = INT_MAX, right = -1;
    int headerTop = INT_MAX, headerBottom = -1;
    bool rolesRenamed = false;
    const size_t columns = size_t(m_permissions.size());
    for (int r = 0; r < m_roles.size(); ++r) {
        Role& mine = m_roles[r];
        const Role& now = policy.roles.at(r);
        if (mine.name != now.name || mine.description != now.description) {
            rolesRenamed = rolesRenamed || mine.name != now.name;
            headerTop = std::min(headerTop, r);
            headerBottom = std::max(headerBottom, r);
        }
        if (columnsChanged || mine.permissions != now.permissions) {
            std::vector<char> row(columns, 0);
            for (const QString& name : now.permissions) {
                const int c = m_columnByName.value(name, -1);
                if (c >= 0)
                    row[size_t(c)] = 1;
            }
            std::vector<char>& old = m_grid[size_t(r)];
            for (size_t c = 0; c < columns; ++c) {
                if (row[c] != old[c]) {
                    top = std::min(top, r);
                    bottom = std::max(bottom, r);
                    left = std::min(left, int(c));
                    right = std::max(right, int(c));
                }
            }
            old.swap(row);
        }
        mine = now;
    }
    rebuildIndexes();

    if (rolesRenamed && !m_permissions.isEmpty()) {
        // Cell tooltips and accessible texts name the role.
        top = std::min(top, headerTop);
        bottom = std::max(bottom, headerBottom);
        left = 0;
        right = int(m_permissions.size()) - 1;
    }
    if (bottom >= 0) {
        emit dataChanged(index(top, left), index(bottom, right),
            {Qt::CheckStateRole, GrantedRole, RoleNameRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
    }
    // Only names and descriptions are reported for the headers: their tooltips' grant counts are
    // computed when asked, and a header signal makes views re-measure every section.
    if (headerBottom >= 0)
        emit headerDataChanged(Qt::Vertical, headerTop, headerBottom);
    if (permissionsEdited && !m_permissions.isEmpty())
        emit headerDataChanged(Qt::Horizontal, 0, int(m_permissions.size()) - 1);
}

int RoleMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_roles.size());
}

int RoleMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_permissions.size());
}

QVariant RoleMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const bool granted = isGranted(index.row(), index.column());
    const QString& roleName = m_roles.at(index.row()).name;
    const QString& permissionName = m_permissions.at(index.column()).name;
    switch (role) {
    case Qt::CheckStateRole:
        return granted ? Qt::Checked : Qt::Unchecked;
    case GrantedRole:
        return granted;
    case RoleNameRole:
        return roleName;
    case PermissionNameRole:
        return permissionName;
    case Qt::ToolTipRole:
        return granted
            ? tr("%1 has %2.\nClick or press Space to revoke it.").arg(roleName, permissionName)
            : tr("%1 does not have %2.\nClick or press Space to grant it.").arg(roleName, permissionName);
    case Qt::AccessibleTextRole:
        return granted ? tr("%1, %2: granted").arg(roleName, permissionName)
                       : tr("%1, %2: not granted").arg(roleName, permissionName);
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    default:
        return {};
    }
}

QString RoleMatrixModel::permissionToolTip(int column) const
{
    const Permission& p = m_permissions.at(column);
    const QStringList scopes = PolicyEngine::permissionScopes(p, ScopeCatalog::builtin());
    int holders = 0;
    for (size_t r = 0; r < m_grid.size(); ++r)
        holders += m_grid[r][size_t(column)];
    QString html = QStringLiteral("<b>%1</b>").arg(p.name.toHtmlEscaped());
    if (!p.description.isEmpty())
        html += QStringLiteral("<br/>") + p.description.toHtmlEscaped();
    html += QStringLiteral("<p><b>%1</b> %2</p>")
                .arg(tr("Klaviyo operations:"),
                    p.operations.isEmpty() ? tr("none (scopes only)")
                                           : shortList(p.operations, 12).toHtmlEscaped());
    html
        += QStringLiteral("<p><b>%1</b> %2</p>")
               .arg(tr("Klaviyo scopes:"), scopes.isEmpty() ? tr("none") : scopes.join(QStringLiteral(", ")));
    html += QStringLiteral("<p>%1</p>").arg(tr("Held by %1 of %2 roles.").arg(holders).arg(m_roles.size()));
    return html;
}

QString RoleMatrixModel::roleToolTip(int row) const
{
    const Role& r = m_roles.at(row);
    int scopeCount = 0;
    if (m_workspace && m_workspace->policy().role(r.name))
        scopeCount
            = int(PolicyEngine::requiredScopes(m_workspace->policy(), r, ScopeCatalog::builtin()).size());
    QString html = QStringLiteral("<b>%1</b>").arg(r.name.toHtmlEscaped());
    if (!r.description.isEmpty())
        html += QStringLiteral("<br/>") + r.description.toHtmlEscaped();
    const int granted = int(std::count(m_grid[size_t(row)].cbegin(), m_grid[size_t(row)].cend(), char(1)));
    html += QStringLiteral("<p>%1<br/>%2</p>")
                .arg(tr("Permissions granted: %1 of %2.").arg(granted).arg(m_permissions.size()),
                    tr("Klaviyo scopes its API key needs: %1.").arg(scopeCount));
    return html;
}

QVariant RoleMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_permissions.size())
            return {};
        const Permission& p = m_permissions.at(section);
        switch (role) {
        case Qt::DisplayRole:
        case PermissionNameRole:
            return p.name;
        case Qt::ToolTipRole:
            return permissionToolTip(section);
        case Qt::AccessibleDescriptionRole:
            return p.description;
        case SearchTextRole:
            return QStringList {p.name, p.description, p.operations.join(QLatin1Char(' ')),
                PolicyEngine::permissionScopes(p, ScopeCatalog::builtin()).join(QLatin1Char(' '))}
                .join(QLatin1Char(' '));
        default:
            return {};
        }
    }
    if (section < 0 || section >= m_roles.size())
        return {};
    const Role& r = m_roles.at(section);
    switch (role) {
    case Qt::DisplayRole:
    case RoleNameRole:
        return r.name;
    case Qt::ToolTipRole:
        return roleToolTip(section);
    case Qt::AccessibleDescriptionRole:
        return r.description;
    case SearchTextRole:
        return r.name + QLatin1Char(' ') + r.description;
    default:
        return {};
    }
}

Qt::ItemFlags RoleMatrixModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren;
}

bool RoleMatrixModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || !index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const bool granted = value.toInt() == Qt::Checked;
    if (granted == isGranted(index.row(), index.column()))
        return true;
    return commit({{m_roles.at(index.row()).name, m_permissions.at(index.column()).name, granted}}).isOk();
}

QVector<Workspace::GrantChange> RoleMatrixModel::changesForRole(
    int row, const QVector<int>& columns, bool granted) const
{
    QVector<Workspace::GrantChange> out;
    if (row < 0 || row >= m_roles.size())
        return out;
    for (int c : columns) {
        if (c >= 0 && c < m_permissions.size() && isGranted(row, c) != granted)
            out.append({m_roles.at(row).name, m_permissions.at(c).name, granted});
    }
    return out;
}

QVector<Workspace::GrantChange> RoleMatrixModel::changesForPermission(
    int column, const QVector<int>& rows, bool granted) const
{
    QVector<Workspace::GrantChange> out;
    if (column < 0 || column >= m_permissions.size())
        return out;
    for (int r : rows) {
        if (r >= 0 && r < m_roles.size() && isGranted(r, column) != granted)
            out.append({m_roles.at(r).name, m_permissions.at(column).name, granted});
    }
    return out;
}

Status RoleMatrixModel::commit(const QVector<Workspace::GrantChange>& changes)
{
    if (changes.isEmpty())
        return Status::ok();
    Status status = !m_workspace ? Status::error(ErrorKind::InvalidInput, tr("No workspace is open."))
        : m_committer            ? m_committer(changes)
                                 : m_workspace->setGrants(changes);
    if (!status)
        emit commitFailed(status.message());
    return status;
}

} // namespace rbac
