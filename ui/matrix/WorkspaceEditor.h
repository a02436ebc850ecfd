#pragma once

#include "policy/Policy.h"
#include "base/Status.h"
#include "workspace/Workspace.h"

#include <QObject>
#include <QPointer>
#include <QUndoStack>

namespace rbac {

class WorkspaceCommand;

// Every change the console makes to a workspace, as undoable commands. Each one commits at once,
// with its audit entry; the audit details carry origin "console" for the edit itself and "undo" /
// "redo" for what the undo stack does, so undo is itself a recorded change.
//
// Before a change it loads what other programs committed meanwhile, and undo/redo only touch
// what is still as this console left it: a change made elsewhere is never silently overwritten.
class WorkspaceEditor : public QObject
{
    Q_OBJECT

public:
    explicit WorkspaceEditor(QObject* parent = nullptr);

    // Forgets the undo history: it belongs to the previous workspace.
    void setWorkspace(Workspace* workspace);
    Workspace* workspace() const { return m_workspace; }
    QUndoStack* undoStack() { return &m_stack; }

    Status setGrants(const QVector<Workspace::GrantChange>& changes);
    Status addRole(const QString& name, const QString& description, const QString& cloneFrom = {});
    Status editRole(const QString& name, const QString& newName, const QString& description);
    Status removeRole(const QString& name);
    Status addPermission(const Permission& permission);
    Status updatePermission(const QString& name, const Permission& permission);
    Status removePermission(const QString& name);
    Status importPolicy(const Policy& policy, const QString& source);

    // "Grant canX to admin", "Revoke 3 permissions from viewer" …
    static QString describeGrants(const QVector<Workspace::GrantChange>& changes);

signals:
    // An undo or redo could not be applied (the command is dropped from the history).
    void failed(const QString& message);
    // Something the user should know that is not a failure (e.g. cells skipped by an undo).
    void noted(const QString& message);

private:
    friend class WorkspaceCommand;
    Status push(WorkspaceCommand* command);
    void report(const Status& status);
    void note(const QString& message) { emit noted(message); }

    QPointer<Workspace> m_workspace;
    QUndoStack m_stack;
    Status m_last;
    bool m_pushing = false;
};

} // namespace rbac
