#include "matrix/WorkspaceEditor.h"

#include "matrix/UndoCommands.h"

namespace rbac {

WorkspaceEditor::WorkspaceEditor(QObject* parent)
    : QObject(parent)
{
    m_stack.setObjectName(QStringLiteral("undoStack"));
}

void WorkspaceEditor::setWorkspace(Workspace* workspace)
{
    m_stack.clear();
    m_workspace = workspace;
}

Status WorkspaceEditor::push(WorkspaceCommand* command)
{
    if (!m_workspace) {
        delete command;
        return Status::error(ErrorKind::InvalidInput, tr("No workspace is open."));
    }
    m_pushing = true;
    m_last = Status::ok();
    m_stack.push(command); // runs it; a command that failed or changed nothing is not kept
    m_pushing = false;
    return m_last;
}

void WorkspaceEditor::report(const Status& status)
{
    m_last = status;
    if (!m_pushing && !status)
        emit failed(status.message());
}

Status WorkspaceEditor::setGrants(const QVector<Workspace::GrantChange>& changes)
{
    if (changes.isEmpty())
        return Status::ok();
    return push(new GrantsCommand(this, changes, describeGrants(changes)));
}

Status WorkspaceEditor::addRole(const QString& name, const QString& description, const QString& cloneFrom)
{
    const QString text
        = cloneFrom.isEmpty() ? tr("Add role %1").arg(name) : tr("Clone role %1 as %2").arg(cloneFrom, name);
    return push(new AddRoleCommand(this, text, name, description, cloneFrom));
}

Status WorkspaceEditor::editRole(const QString& name, const QString& newName, const QString& description)
{
    const QString text
        = name == newName ? tr("Edit role %1").arg(name) : tr("Rename role %1 to %2").arg(name, newName);
    return push(new EditRoleCommand(this, text, name, newName, description));
}

Status WorkspaceEditor::removeRole(const QString& name)
{
    return push(new RemoveRoleCommand(this, tr("Remove role %1").arg(name), name));
}

Status WorkspaceEditor::addPermission(const Permission& permission)
{
    return push(new AddPermissionCommand(this, tr("Add permission %1").arg(permission.name), permission));
}

Status WorkspaceEditor::updatePermission(const QString& name, const Permission& permission)
{
    const QString text = name == permission.name
        ? tr("Edit permission %1").arg(name)
        : tr("Edit permission %1 (now %2)").arg(name, permission.name);
    return push(new UpdatePermissionCommand(this, text, name, permission));
}

Status WorkspaceEditor::removePermission(const QString& name)
{
    return push(new RemovePermissionCommand(this, tr("Remove permission %1").arg(name), name));
}

Status WorkspaceEditor::importPolicy(const Policy& policy, const QString& source)
{
    return push(new ImportPolicyCommand(this, tr("Import policy from %1").arg(source), policy, source));
}

QString WorkspaceEditor::describeGrants(const QVector<Workspace::GrantChange>& changes)
{
    if (changes.isEmpty())
        return {};
    const Workspace::GrantChange& first = changes.constFirst();
    bool sameRole = true, samePermission = true, sameDirection = true;
    for (const Workspace::GrantChange& c : changes) {
        sameRole = sameRole && c.role == first.role;
        samePermission = samePermission && c.permission == first.permission;
        sameDirection = sameDirection && c.granted == first.granted;
    }
    const int n = int(changes.size());
    if (n == 1)
        return first.granted ? tr("Grant %1 to %2").arg(first.permission, first.role)
                             : tr("Revoke %1 from %2").arg(first.permission, first.role);
    if (sameDirection && sameRole)
        return first.granted ? tr("Grant %1 permissions to %2").arg(n).arg(first.role)
                             : tr("Revoke %1 permissions from %2").arg(n).arg(first.role);
    if (sameDirection && samePermission)
        return first.granted ? tr("Grant %1 to %2 roles").arg(first.permission).arg(n)
                             : tr("Revoke %1 from %2 roles").arg(first.permission).arg(n);
    return tr("Change %1 grants").arg(n);
}

} // namespace rbac
