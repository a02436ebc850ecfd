#pragma once

#include "policy/Policy.h"
#include "base/Status.h"
#include "workspace/Workspace.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>

#include <functional>
#include <vector>

namespace rbac {

// The role × permission matrix of a workspace: one row per role, one column per permission, in the
// workspace's (creation) order, every cell checkable.
//
// It follows the workspace: each policyChanged() becomes the smallest set of row, column and data
// signals (rows are matched by role uid, columns by permission name), so views keep their current
// cell and selection while edits come in, including those made by other programs.
//
// Edits (setData with Qt::CheckStateRole) go through a committer: by default
// Workspace::setGrants(); the console installs one that goes through its undo stack.
class RoleMatrixModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum ItemDataRole
    {
        RoleNameRole = Qt::UserRole + 1, // cells, vertical header: the role's name
        PermissionNameRole,              // cells, horizontal header: the permission's name
        GrantedRole,                     // cells: bool
        SearchTextRole,                  // headers: the text a filter matches
    };

    using Committer = std::function<Status(const QVector<Workspace::GrantChange>& changes)>;

    explicit RoleMatrixModel(QObject* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    Workspace* workspace() const { return m_workspace; }
    void setCommitter(Committer committer) { m_committer = std::move(committer); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    const Role& role(int row) const { return m_roles.at(row); }
    const Permission& permission(int column) const { return m_permissions.at(column); }
    int rowOfRole(const QString& name) const { return m_rowByName.value(name, -1); }
    int columnOfPermission(const QString& name) const { return m_columnByName.value(name, -1); }
    bool isGranted(int row, int column) const { return m_grid[size_t(row)][size_t(column)] != 0; }

    // The grant changes that would set these cells to `granted`: only cells that differ.
    QVector<Workspace::GrantChange> changesForRole(int row, const QVector<int>& columns, bool granted) const;
    QVector<Workspace::GrantChange> changesForPermission(
        int column, const QVector<int>& rows, bool granted) const;
    // Commits through the committer; emits commitFailed() with the reason on failure.
    Status commit(const QVector<Workspace::GrantChange>& changes);

signals:
    void commitFailed(const QString& message);

private:
    void sync();
    void rebuildIndexes();
    bool alignRows(const QVector<Role>& target);
    bool alignColumns(const QVector<Permission>& target);
    QString permissionToolTip(int column) const;
    QString roleToolTip(int row) const;

    QPointer<Workspace> m_workspace;
    QMetaObject::Connection m_connection;
    Committer m_committer;
    QVector<Role> m_roles;
    QVector<Permission> m_permissions;
    QHash<QString, int> m_rowByName;
    QHash<QString, int> m_columnByName;
    std::vector<std::vector<char>> m_grid; // [row][column], 1 = granted
};

} // namespace rbac
