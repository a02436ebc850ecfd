#pragma once

#include "policy/Policy.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace rbac {

class Workspace;

// Two roles side by side: the permissions and Klaviyo scopes only one of them has (and, on
// request, those both have). Follows the workspace.
class RoleComparisonModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        KindColumn,
        NameColumn,
        FirstColumn,
        SecondColumn,
        ColumnCount
    };
    enum class Kind
    {
        Permission,
        Scope
    };
    struct Item
    {
        Kind kind = Kind::Permission;
        QString name;
        bool inFirst = false;
        bool inSecond = false;
    };

    explicit RoleComparisonModel(QObject* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    void setRoles(const QString& first, const QString& second);
    void setShowShared(bool show);
    QString firstRole() const { return m_first; }
    QString secondRole() const { return m_second; }
    bool showShared() const { return m_showShared; }
    // Both roles exist.
    bool isComparing() const { return m_comparing; }

    int onlyInFirst(Kind kind) const;
    int onlyInSecond(Kind kind) const;
    const Item& item(int row) const { return m_items.at(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void reload();

    QPointer<Workspace> m_workspace;
    QMetaObject::Connection m_connection;
    QString m_first;
    QString m_second;
    bool m_showShared = false;
    bool m_comparing = false;
    // What the rows were computed from; a policy change elsewhere does not touch them.
    QStringList m_firstPermissions;
    QStringList m_secondPermissions;
    QVector<Permission> m_permissions;
    bool m_loaded = false;
    QVector<Item> m_all;   // every item either role has
    QVector<Item> m_items; // what is shown
};

} // namespace rbac
