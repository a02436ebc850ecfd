#pragma once

#include "policy/PolicyEngine.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace rbac {

class Workspace;

// Every Klaviyo scope one role's API key needs, and the permissions that need it (baseline
// first, then by scope). Follows the workspace and the role's renames are the caller's business:
// setRole() names the role to show.
class EffectiveScopesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        ScopeColumn,
        NeededByColumn,
        ColumnCount
    };
    enum ItemDataRole
    {
        ScopeRole = Qt::UserRole + 1,
        BaselineRole,
    };

    explicit EffectiveScopesModel(QObject* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    // Follow policy changes one event-loop turn later, coalescing bursts (a view beside a matrix
    // being edited); off by default, so the model is current as soon as the policy is.
    void setDeferredUpdates(bool deferred);
    void setRole(const QString& role);
    QString role() const { return m_role; }
    bool hasRole() const { return m_hasRole; }

    QStringList scopes() const;
    // The link that creates this role's key in Klaviyo with these scopes pre-selected.
    QString createKeyLink() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void reload();
    void policyChanged();
    QString operationsBehind(const ScopeRequirement& requirement) const;

    QPointer<Workspace> m_workspace;
    QMetaObject::Connection m_connection;
    QString m_role;
    bool m_hasRole = false;
    QVector<ScopeRequirement> m_rows;
    // What the rows were computed from; a change to another role does not touch them.
    QStringList m_rolePermissions;
    QVector<Permission> m_permissions;
    bool m_loaded = false;
    bool m_deferred = false;
    bool m_reloadPending = false;
};

} // namespace rbac
