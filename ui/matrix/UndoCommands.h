#pragma once

#include "policy/Policy.h"
#include "base/Status.h"
#include "workspace/Workspace.h"

#include <QUndoCommand>

namespace rbac {

class WorkspaceEditor;

// One undoable workspace change. redo() and undo() commit at once, each with its audit entry; the
// audit "origin" is "console" the first time, then "redo" or "undo". A command that fails is
// dropped from the history (QUndoCommand::setObsolete) and the editor reports why.
class WorkspaceCommand : public QUndoCommand
{
public:
    WorkspaceCommand(WorkspaceEditor* editor, const QString& text);

    void redo() final;
    void undo() final;

protected:
    // The change; `again` is false the first time (when pushed), true for a redo.
    virtual Status apply(bool again) = 0;
    virtual Status revert() = 0;

    Workspace* workspace() const;
    void note(const QString& message) const;
    // From apply(false): the change turned out to change nothing, so it is not kept.
    void setNothingChanged() { m_nothingChanged = true; }
    static Status changedElsewhere(const QString& message);

private:
    Status run(const QString& origin, bool undoing);

    WorkspaceEditor* m_editor;
    bool m_applied = false;
    bool m_nothingChanged = false;
};

class GrantsCommand : public WorkspaceCommand
{
public:
    GrantsCommand(
        WorkspaceEditor* editor, const QVector<Workspace::GrantChange>& changes, const QString& text);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    QVector<Workspace::GrantChange> m_requested;
    QVector<Workspace::GrantChange> m_applied; // the cells that really changed
};

class AddRoleCommand : public WorkspaceCommand
{
public:
    AddRoleCommand(WorkspaceEditor* editor,
        const QString& text,
        const QString& name,
        const QString& description,
        const QString& cloneFrom);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    QString m_name;
    QString m_description;
    QString m_cloneFrom;
    Role m_created;
};

class EditRoleCommand : public WorkspaceCommand
{
public:
    EditRoleCommand(WorkspaceEditor* editor,
        const QString& text,
        const QString& name,
        const QString& newName,
        const QString& description);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    QString m_name;
    QString m_newName;
    QString m_description;
    QString m_oldDescription;
};

class RemoveRoleCommand : public WorkspaceCommand
{
public:
    RemoveRoleCommand(WorkspaceEditor* editor, const QString& text, const QString& name);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    QString m_name;
    Role m_removed;
};

class AddPermissionCommand : public WorkspaceCommand
{
public:
    AddPermissionCommand(WorkspaceEditor* editor, const QString& text, const Permission& permission);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    Permission m_permission;
};

class UpdatePermissionCommand : public WorkspaceCommand
{
public:
    UpdatePermissionCommand(
        WorkspaceEditor* editor, const QString& text, const QString& name, const Permission& permission);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    QString m_name;
    Permission m_after;
    Permission m_before;
};

class RemovePermissionCommand : public WorkspaceCommand
{
public:
    RemovePermissionCommand(WorkspaceEditor* editor, const QString& text, const QString& name);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    QString m_name;
    Permission m_removed;
    QStringList m_holders;
};

class ImportPolicyCommand : public WorkspaceCommand
{
public:
    ImportPolicyCommand(
        WorkspaceEditor* editor, const QString& text, const Policy& policy, const QString& source);

protected:
    Status apply(bool again) override;
    Status revert() override;

private:
    Policy m_policy;
    QString m_source;
    Policy m_before;
    Policy m_after;
};

} // namespace rbac
