#pragma once

#include "matrix/RoleDialog.h"
#include "workspace/Workspace.h"

#include <QList>
#include <QObject>

class QAction;

namespace rbac {

class MatrixPage;
class WorkspaceEditor;

// The role, permission and whole-row / whole-column commands of the matrix page, with their
// dialogs and confirmations. Their texts name what they act on ("Grant every permission to
// marketer"), and they are enabled only when that exists.
class MatrixActions : public QObject
{
    Q_OBJECT

public:
    MatrixActions(MatrixPage* page, WorkspaceEditor* editor);

    QList<QAction*> roleActions() const;       // add, clone, edit, remove
    QList<QAction*> permissionActions() const; // add, edit, remove
    QList<QAction*> rowActions() const;        // grant / revoke every shown permission
    QList<QAction*> columnActions() const;     // grant / revoke to every shown role

    QAction* addRoleAction() const { return m_addRole; }
    QAction* cloneRoleAction() const { return m_cloneRole; }
    QAction* editRoleAction() const { return m_editRole; }
    QAction* removeRoleAction() const { return m_removeRole; }
    QAction* addPermissionAction() const { return m_addPermission; }
    QAction* editPermissionAction() const { return m_editPermission; }
    QAction* removePermissionAction() const { return m_removePermission; }
    QAction* grantRowAction() const { return m_grantRow; }
    QAction* revokeRowAction() const { return m_revokeRow; }
    QAction* grantColumnAction() const { return m_grantColumn; }
    QAction* revokeColumnAction() const { return m_revokeColumn; }

    // Enabled states and texts from the page's current role and permission.
    void update();

public slots:
    void addRole();
    void cloneRole();
    void editRole();
    void removeRole();
    void addPermission();
    void editPermission();
    void removePermission();
    void setRow(bool granted);
    void setColumn(bool granted);

private:
    QAction* make(
        const QString& objectName, const QString& text, const QKeySequence& shortcut, const QString& toolTip);
    void openRoleDialog(RoleDialog::Mode mode, const QString& role);
    void openPermissionDialog(const QString& permission);
    void commit(const QVector<Workspace::GrantChange>& changes, const QString& nothingToDo);
    Workspace* workspace() const;
    // Back to the matrix when a dialog closes, so keyboard work continues where it was.
    void returnFocus();

    MatrixPage* m_page;
    WorkspaceEditor* m_editor;
    QAction* m_addRole;
    QAction* m_cloneRole;
    QAction* m_editRole;
    QAction* m_removeRole;
    QAction* m_addPermission;
    QAction* m_editPermission;
    QAction* m_removePermission;
    QAction* m_grantRow;
    QAction* m_revokeRow;
    QAction* m_grantColumn;
    QAction* m_revokeColumn;
};

} // namespace rbac
