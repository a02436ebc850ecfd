#include "matrix/MatrixActions.h"

#include "items/MatrixFilterModel.h"
#include "matrix/MatrixPage.h"
#include "matrix/MatrixView.h"
#include "widgets/MessageBox.h"
#include "matrix/PermissionDialog.h"
#include "policy/RoleDependencies.h"
#include "items/RoleMatrixModel.h"
#include "matrix/WorkspaceEditor.h"

#include <QAction>

namespace rbac {

namespace {

QString joined(const QStringList& names)
{
    return names.join(QStringLiteral(", "));
}

} // namespace

MatrixActions::MatrixActions(MatrixPage* page, WorkspaceEditor* editor)
    : QObject(page)
    , m_page(page)
    , m_editor(editor)
{
    m_addRole = make(QStringLiteral("addRoleAction"), tr("&Add role…"), QKeySequence(tr("Ctrl+N")),
        tr("Add an empty role"));
    m_cloneRole = make(QStringLiteral("cloneRoleAction"), tr("&Clone role…"), QKeySequence(tr("Ctrl+K")),
        tr("Add a role that starts with the permissions of the selected one"));
    m_editRole = make(QStringLiteral("editRoleAction"), tr("&Rename role…"), QKeySequence(Qt::Key_F2),
        tr("Rename the selected role or edit its description"));
    m_removeRole = make(QStringLiteral("removeRoleAction"), tr("Re&move role…"), QKeySequence(tr("Ctrl+Del")),
        tr("Remove the selected role"));
    m_addPermission = make(QStringLiteral("addPermissionAction"), tr("&Add permission…"),
        QKeySequence(tr("Ctrl+Shift+A")), tr("Add a custom permission from Klaviyo operations or scopes"));
    m_editPermission = make(QStringLiteral("editPermissionAction"), tr("&Edit permission…"),
        QKeySequence(tr("Shift+F2")), tr("Edit the selected permission"));
    m_removePermission = make(QStringLiteral("removePermissionAction"), tr("Re&move permission…"),
        QKeySequence(tr("Ctrl+Shift+Del")), tr("Remove the selected permission"));
    m_grantRow = make(
        QStringLiteral("grantRowAction"), tr("&Grant every permission"), QKeySequence(tr("Ctrl+G")), {});
    m_revokeRow = make(QStringLiteral("revokeRowAction"), tr("Re&voke every permission"),
        QKeySequence(tr("Ctrl+Shift+G")), {});
    m_grantColumn = make(QStringLiteral("grantColumnAction"), tr("Grant to every role"), {}, {});
    m_revokeColumn = make(QStringLiteral("revokeColumnAction"), tr("Revoke from every role"), {}, {});

    connect(m_addRole, &QAction::triggered, this, &MatrixActions::addRole);
    connect(m_cloneRole, &QAction::triggered, this, &MatrixActions::cloneRole);
    connect(m_editRole, &QAction::triggered, this, &MatrixActions::editRole);
    connect(m_removeRole, &QAction::triggered, this, &MatrixActions::removeRole);
    connect(m_addPermission, &QAction::triggered, this, &MatrixActions::addPermission);
    connect(m_editPermission, &QAction::triggered, this, &MatrixActions::editPermission);
    connect(m_removePermission, &QAction::triggered, this, &MatrixActions::removePermission);
    connect(m_grantRow, &QAction::triggered, this, [this] { setRow(true); });
    connect(m_revokeRow, &QAction::triggered, this, [this] { setRow(false); });
    connect(m_grantColumn, &QAction::triggered, this, [this] { setColumn(true); });
    connect(m_revokeColumn, &QAction::triggered, this, [this] { setColumn(false); });
    connect(page, &MatrixPage::selectionChanged, this, &MatrixActions::update);
}

QAction* MatrixActions::make(
    const QString& objectName, const QString& text, const QKeySequence& shortcut, const QString& toolTip)
{
    auto* action = new QAction(text, this);
    action->setObjectName(objectName);
    // Toolbar buttons keep the short label; menus show the full text naming the role or permission.
    action->setIconText(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")));
    action->setShortcut(shortcut);
    if (!toolTip.isEmpty())
        action->setToolTip(toolTip);
    return action;
}

QList<QAction*> MatrixActions::roleActions() const
{
    return {m_addRole, m_cloneRole, m_editRole, m_removeRole};
}

QList<QAction*> MatrixActions::permissionActions() const
{
    return {m_addPermission, m_editPermission, m_removePermission};
}

QList<QAction*> MatrixActions::rowActions() const
{
    return {m_grantRow, m_revokeRow};
}

QList<QAction*> MatrixActions::columnActions() const
{
    return {m_grantColumn, m_revokeColumn};
}

Workspace* MatrixActions::workspace() const
{
    return m_page->workspace();
}

void MatrixActions::update()
{
    Workspace* ws = workspace();
    const QString role = m_page->currentRole();
    const QString permission = m_page->currentPermission();
    const bool hasRole = ws && ws->policy().role(role);
    const bool hasPermission = ws && ws->policy().permission(permission);
    const MatrixFilterModel* filter = m_page->filterModel();
    const bool filteringPermissions = !filter->permissionFilter().trimmed().isEmpty();
    const bool filteringRoles = !filter->roleFilter().trimmed().isEmpty();
    const int shownPermissions = filteringPermissions ? int(m_page->shownPermissionColumns().size())
                                                      : m_page->model()->columnCount();
    const int shownRoles = filteringRoles ? int(m_page->shownRoleRows().size()) : m_page->model()->rowCount();

    m_addRole->setEnabled(ws);
    m_addPermission->setEnabled(ws);
    m_cloneRole->setEnabled(hasRole);
    m_editRole->setEnabled(hasRole);
    m_removeRole->setEnabled(hasRole);
    m_editPermission->setEnabled(hasPermission);
    m_removePermission->setEnabled(hasPermission);
    m_cloneRole->setText(hasRole ? tr("&Clone role %1…").arg(role) : tr("&Clone role…"));
    m_editRole->setText(hasRole ? tr("&Rename role %1…").arg(role) : tr("&Rename role…"));
    m_removeRole->setText(hasRole ? tr("Re&move role %1…").arg(role) : tr("Re&move role…"));
    m_editPermission->setText(
        hasPermission ? tr("&Edit permission %1…").arg(permission) : tr("&Edit permission…"));
    m_removePermission->setText(
        hasPermission ? tr("Re&move permission %1…").arg(permission) : tr("Re&move permission…"));

    m_grantRow->setEnabled(hasRole && shownPermissions > 0);
    m_revokeRow->setEnabled(hasRole && shownPermissions > 0);
    m_grantColumn->setEnabled(hasPermission && shownRoles > 0);
    m_revokeColumn->setEnabled(hasPermission && shownRoles > 0);
    const QString r = hasRole ? role : tr("the role");
    const QString p = hasPermission ? permission : tr("the permission");
    if (filteringPermissions) {
        m_grantRow->setText(tr("&Grant the shown permissions (%1) to %2").arg(shownPermissions).arg(r));
        m_revokeRow->setText(tr("Re&voke the shown permissions (%1) from %2").arg(shownPermissions).arg(r));
    } else {
        m_grantRow->setText(tr("&Grant every permission to %1").arg(r));
        m_revokeRow->setText(tr("Re&voke every permission from %1").arg(r));
    }
    if (filteringRoles) {
        m_grantColumn->setText(tr("Grant %1 to the shown roles (%2)").arg(p).arg(shownRoles));
        m_revokeColumn->setText(tr("Revoke %1 from the shown roles (%2)").arg(p).arg(shownRoles));
    } else {
        m_grantColumn->setText(tr("Grant %1 to every role").arg(p));
        m_revokeColumn->setText(tr("Revoke %1 from every role").arg(p));
    }
}

void MatrixActions::commit(const QVector<Workspace::GrantChange>& changes, const QString& nothingToDo)
{
    if (changes.isEmpty()) {
        emit m_page->statusMessage(nothingToDo);
        return;
    }
    if (!m_page->model()->commit(changes))
        return; // the model's commitFailed has shown the reason on the page
}

void MatrixActions::setRow(bool granted)
{
    const RoleMatrixModel* model = m_page->model();
    const QString role = m_page->currentRole();
    const int row = model->rowOfRole(role);
    if (row < 0)
        return;
    commit(model->changesForRole(row, m_page->shownPermissionColumns(), granted),
        granted ? tr("Nothing to change: %1 already has every shown permission.").arg(role)
                : tr("Nothing to change: %1 has none of the shown permissions.").arg(role));
}

void MatrixActions::setColumn(bool granted)
{
    const RoleMatrixModel* model = m_page->model();
    const QString permission = m_page->currentPermission();
    const int column = model->columnOfPermission(permission);
    if (column < 0)
        return;
    commit(model->changesForPermission(column, m_page->shownRoleRows(), granted),
        granted ? tr("Nothing to change: every shown role already has %1.").arg(permission)
                : tr("Nothing to change: no shown role has %1.").arg(permission));
}

void MatrixActions::addRole()
{
    openRoleDialog(RoleDialog::Mode::Add, {});
}

void MatrixActions::cloneRole()
{
    openRoleDialog(RoleDialog::Mode::Clone, m_page->currentRole());
}

void MatrixActions::editRole()
{
    if (workspace() && workspace()->policy().role(m_page->currentRole()))
        openRoleDialog(RoleDialog::Mode::Edit, m_page->currentRole());
}

void MatrixActions::openRoleDialog(RoleDialog::Mode mode, const QString& role)
{
    if (!workspace())
        return;
    auto* dialog = new RoleDialog(mode, workspace()->policy(), role, m_page->window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setCommit([this](const RoleDialog& d) {
        switch (d.mode()) {
        case RoleDialog::Mode::Add:
            return m_editor->addRole(d.name(), d.description());
        case RoleDialog::Mode::Clone:
            return m_editor->addRole(d.name(), d.description(), d.source());
        case RoleDialog::Mode::Edit:
            break;
        }
        return m_editor->editRole(d.originalName(), d.name(), d.description());
    });
    connect(dialog, &QDialog::accepted, this, [this, dialog] { m_page->selectCell(dialog->name()); });
    connect(dialog, &QDialog::finished, this, &MatrixActions::returnFocus);
    dialog->open();
}

void MatrixActions::returnFocus()
{
    m_page->window()->activateWindow();
    if (m_page->isVisible())
        m_page->view()->setFocus(Qt::OtherFocusReason);
}

void MatrixActions::removeRole()
{
    Workspace* ws = workspace();
    const QString role = m_page->currentRole();
    if (!ws || !ws->policy().role(role))
        return;
    const RoleDependencies deps = RoleDependencies::of(*ws, role);
    QStringList consequences;
    consequences << (deps.permissions.isEmpty()
            ? tr("It holds no permissions.")
            : tr("Its grants go with it: %1.").arg(joined(deps.permissions)));
    if (deps.hasStoredKey)
        consequences << tr(
            "The console forgets the Klaviyo API key stored for it (ending in %1). That key stays "
            "valid in Klaviyo until you delete it there.")
                            .arg(deps.keyLast4);
    else
        consequences << tr("No Klaviyo API key is stored for it in this workspace.");
    consequences << tr(
        "The removal is recorded in the audit log. Edit ▸ Undo brings the role back with the same "
        "permissions.");
    if (!MessageBox::confirm(m_page->window(), tr("Remove role"), tr("Remove the role “%1”?").arg(role),
            consequences.join(QStringLiteral("\n\n")), tr("Remove role")))
        return;
    if (Status s = m_editor->removeRole(role); !s)
        m_page->showError(s.message());
}

void MatrixActions::addPermission()
{
    openPermissionDialog({});
}

void MatrixActions::editPermission()
{
    if (workspace() && workspace()->policy().permission(m_page->currentPermission()))
        openPermissionDialog(m_page->currentPermission());
}

void MatrixActions::openPermissionDialog(const QString& permission)
{
    if (!workspace())
        return;
    auto* dialog = new PermissionDialog(workspace()->policy(), permission, m_page->window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setCommit([this](const PermissionDialog& d) {
        return d.isEdit() ? m_editor->updatePermission(d.originalName(), d.permission())
                          : m_editor->addPermission(d.permission());
    });
    connect(dialog, &QDialog::accepted, this,
        [this, dialog] { m_page->selectCell(QString(), dialog->permission().name); });
    connect(dialog, &QDialog::finished, this, &MatrixActions::returnFocus);
    dialog->open();
}

void MatrixActions::removePermission()
{
    Workspace* ws = workspace();
    const QString permission = m_page->currentPermission();
    if (!ws || !ws->policy().permission(permission))
        return;
    const QStringList holders = ws->policy().holders(permission);
    QStringList consequences;
    if (holders.isEmpty())
        consequences << tr("No role holds it.");
    else
        consequences
            << tr("These roles hold it and lose it: %1.").arg(joined(holders))
            << tr("Keys already created for those roles keep their Klaviyo scopes until you replace them.");
    consequences << tr(
        "The removal is recorded in the audit log. Edit ▸ Undo brings the permission back, granted "
        "to the same roles.");
    if (!MessageBox::confirm(m_page->window(), tr("Remove permission"),
            tr("Remove the permission “%1”?").arg(permission), consequences.join(QStringLiteral("\n\n")),
            tr("Remove permission")))
        return;
    if (Status s = m_editor->removePermission(permission); !s)
        m_page->showError(s.message());
}

} // namespace rbac
