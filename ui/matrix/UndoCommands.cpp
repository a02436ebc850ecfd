#include "matrix/UndoCommands.h"

#include "matrix/WorkspaceEditor.h"

#include <QCoreApplication>

namespace rbac {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("rbac::WorkspaceCommand", text);
}

// Brings a removed role back with its grants (those whose permission still exists). The role gets
// a new identity: the workspace API has no way to reinsert the old one.
Status restoreRole(Workspace* ws, const Role& role)
{
    if (Status s = ws->addRole(role.name, role.description); !s)
        return s;
    QVector<Workspace::GrantChange> grants;
    for (const QString& permission : role.permissions) {
        if (ws->policy().permission(permission))
            grants.append({role.name, permission, true});
    }
    return ws->setGrants(grants);
}

} // namespace

WorkspaceCommand::WorkspaceCommand(WorkspaceEditor* editor, const QString& text)
    : QUndoCommand(text)
    , m_editor(editor)
{
}

Workspace* WorkspaceCommand::workspace() const
{
    return m_editor->workspace();
}

void WorkspaceCommand::note(const QString& message) const
{
    m_editor->note(message);
}

Status WorkspaceCommand::changedElsewhere(const QString& message)
{
    return Status::error(ErrorKind::Conflict, message);
}

Status WorkspaceCommand::run(const QString& origin, bool undoing)
{
    Workspace* ws = workspace();
    if (!ws)
        return Status::error(ErrorKind::InvalidInput, tr("No workspace is open."));
    // Decide against what is stored now, including commits other programs made meanwhile.
    if (ws->changedElsewhere()) {
        if (Status s = ws->refresh(); !s)
            return s;
    }
    const QString previous = ws->origin();
    ws->setOrigin(origin);
    Status s = undoing ? revert() : apply(m_applied);
    ws->setOrigin(previous);
    return s;
}

void WorkspaceCommand::redo()
{
    const Status s = run(m_applied ? QStringLiteral("redo") : QStringLiteral("console"), false);
    m_applied = true;
    m_editor->report(s);
    if (!s || m_nothingChanged)
        setObsolete(true);
}

void WorkspaceCommand::undo()
{
    const Status s = run(QStringLiteral("undo"), true);
    m_editor->report(s);
    if (!s)
        setObsolete(true);
}

GrantsCommand::GrantsCommand(
    WorkspaceEditor* editor, const QVector<Workspace::GrantChange>& changes, const QString& text)
    : WorkspaceCommand(editor, text)
    , m_requested(changes)
{
}

Status GrantsCommand::apply(bool again)
{
    const Policy& policy = workspace()->policy();
    if (!again) {
        for (const Workspace::GrantChange& c : std::as_const(m_requested)) {
            if (policy.isGranted(c.role, c.permission) != c.granted)
                m_applied.append(c);
        }
        if (m_applied.isEmpty()) {
            setNothingChanged();
            return Status::ok();
        }
        return workspace()->setGrants(m_applied);
    }
    QVector<Workspace::GrantChange> todo;
    for (const Workspace::GrantChange& c : std::as_const(m_applied)) {
        if (policy.isGranted(c.role, c.permission) != c.granted)
            todo.append(c);
    }
    if (todo.size() < m_applied.size())
        note(tr("Redo left alone the cells that were changed elsewhere meanwhile (%1).")
                 .arg(m_applied.size() - todo.size()));
    return workspace()->setGrants(todo);
}

Status GrantsCommand::revert()
{
    const Policy& policy = workspace()->policy();
    QVector<Workspace::GrantChange> todo;
    for (const Workspace::GrantChange& c : std::as_const(m_applied)) {
        if (policy.isGranted(c.role, c.permission) == c.granted)
            todo.append({c.role, c.permission, !c.granted});
    }
    if (todo.size() < m_applied.size())
        note(tr("Undo left alone the cells that were set back elsewhere meanwhile (%1).")
                 .arg(m_applied.size() - todo.size()));
    return workspace()->setGrants(todo);
}

AddRoleCommand::AddRoleCommand(WorkspaceEditor* editor,
    const QString& text,
    const QString& name,
    const QString& description,
    const QString& cloneFrom)
    : WorkspaceCommand(editor, text)
    , m_name(name)
    , m_description(description)
    , m_cloneFrom(cloneFrom)
{
}

Status AddRoleCommand::apply(bool again)
{
    if (again)
        return restoreRole(workspace(), m_created);
    Status s = workspace()->addRole(m_name, m_description, m_cloneFrom);
    if (s)
        m_created = *workspace()->policy().role(m_name);
    return s;
}

Status AddRoleCommand::revert()
{
    const Role* role = workspace()->policy().role(m_name);
    if (role && role->permissions != m_created.permissions)
        return changedElsewhere(
            tr("Not undone: the grants of role %1 were changed elsewhere since it was added. "
               "Remove it with Role ▸ Remove role if you still want it gone.")
                .arg(m_name));
    return workspace()->removeRole(m_name);
}

EditRoleCommand::EditRoleCommand(WorkspaceEditor* editor,
    const QString& text,
    const QString& name,
    const QString& newName,
    const QString& description)
    : WorkspaceCommand(editor, text)
    , m_name(name)
    , m_newName(newName)
    , m_description(description)
{
}

Status EditRoleCommand::apply(bool again)
{
    Workspace* ws = workspace();
    if (!again) {
        const Role* role = ws->policy().role(m_name);
        if (!role)
            return ws->renameRole(m_name, m_newName); // reports "no role …"
        m_oldDescription = role->description;
        if (m_name == m_newName && m_description == m_oldDescription) {
            setNothingChanged();
            return Status::ok();
        }
    }
    if (m_name != m_newName) {
        if (Status s = ws->renameRole(m_name, m_newName); !s)
            return s;
    }
    if (m_description != m_oldDescription)
        return ws->setRoleDescription(m_newName, m_description);
    return Status::ok();
}

Status EditRoleCommand::revert()
{
    Workspace* ws = workspace();
    const Role* role = ws->policy().role(m_newName);
    if (role && m_description != m_oldDescription && role->description != m_description)
        return changedElsewhere(
            tr("Not undone: the description of role %1 was changed elsewhere meanwhile.").arg(m_newName));
    if (m_description != m_oldDescription) {
        if (Status s = ws->setRoleDescription(m_newName, m_oldDescription); !s)
            return s;
    }
    if (m_name != m_newName)
        return ws->renameRole(m_newName, m_name);
    return Status::ok();
}

RemoveRoleCommand::RemoveRoleCommand(WorkspaceEditor* editor, const QString& text, const QString& name)
    : WorkspaceCommand(editor, text)
    , m_name(name)
{
}

Status RemoveRoleCommand::apply(bool)
{
    if (const Role* role = workspace()->policy().role(m_name))
        m_removed = *role;
    return workspace()->removeRole(m_name);
}

Status RemoveRoleCommand::revert()
{
    return restoreRole(workspace(), m_removed);
}

AddPermissionCommand::AddPermissionCommand(
    WorkspaceEditor* editor, const QString& text, const Permission& permission)
    : WorkspaceCommand(editor, text)
    , m_permission(permission)
{
}

Status AddPermissionCommand::apply(bool)
{
    return workspace()->addPermission(m_permission);
}

Status AddPermissionCommand::revert()
{
    const QStringList holders = workspace()->policy().holders(m_permission.name);
    if (!holders.isEmpty())
        return changedElsewhere(
            tr("Not undone: %1 has been granted to %2 since it was added. Revoke it first, or "
               "remove it with Permission ▸ Remove permission.")
                .arg(m_permission.name, holders.join(QStringLiteral(", "))));
    return workspace()->removePermission(m_permission.name);
}

UpdatePermissionCommand::UpdatePermissionCommand(
    WorkspaceEditor* editor, const QString& text, const QString& name, const Permission& permission)
    : WorkspaceCommand(editor, text)
    , m_name(name)
    , m_after(permission)
{
}

Status UpdatePermissionCommand::apply(bool again)
{
    Workspace* ws = workspace();
    if (!again) {
        const Permission* current = ws->policy().permission(m_name);
        if (!current)
            return ws->updatePermission(m_name, m_after); // reports "no permission …"
        m_before = *current;
    }
    Status s = ws->updatePermission(m_name, m_after);
    if (s && !again) {
        const Permission* stored = ws->policy().permission(m_after.name);
        if (stored && *stored == m_before)
            setNothingChanged();
        if (stored)
            m_after = *stored; // as normalised by the workspace
    }
    return s;
}

Status UpdatePermissionCommand::revert()
{
    const Permission* current = workspace()->policy().permission(m_after.name);
    if (current && !(*current == m_after))
        return changedElsewhere(
            tr("Not undone: permission %1 was changed elsewhere meanwhile.").arg(m_after.name));
    return workspace()->updatePermission(m_after.name, m_before);
}

RemovePermissionCommand::RemovePermissionCommand(
    WorkspaceEditor* editor, const QString& text, const QString& name)
    : WorkspaceCommand(editor, text)
    , m_name(name)
{
}

Status RemovePermissionCommand::apply(bool)
{
    if (const Permission* p = workspace()->policy().permission(m_name)) {
        m_removed = *p;
        m_holders = workspace()->policy().holders(m_name);
    }
    return workspace()->removePermission(m_name);
}

Status RemovePermissionCommand::revert()
{
    Workspace* ws = workspace();
    if (Status s = ws->addPermission(m_removed); !s)
        return s;
    QVector<Workspace::GrantChange> grants;
    for (const QString& role : std::as_const(m_holders)) {
        if (ws->policy().role(role))
            grants.append({role, m_removed.name, true});
    }
    return ws->setGrants(grants);
}

ImportPolicyCommand::ImportPolicyCommand(
    WorkspaceEditor* editor, const QString& text, const Policy& policy, const QString& source)
    : WorkspaceCommand(editor, text)
    , m_policy(policy)
    , m_source(source)
{
}

Status ImportPolicyCommand::apply(bool again)
{
    Workspace* ws = workspace();
    if (!again)
        m_before = ws->policy();
    Status s = ws->replacePolicy(m_policy, m_source);
    if (s && !again) {
        m_after = ws->policy();
        if (m_after == m_before)
            setNothingChanged();
    }
    return s;
}

Status ImportPolicyCommand::revert()
{
    if (!(workspace()->policy() == m_after))
        return changedElsewhere(
            tr("Not undone: the policy was changed elsewhere after the import, and undoing it "
               "would overwrite those changes."));
    return workspace()->replacePolicy(m_before, m_source);
}

} // namespace rbac
