#pragma once

#include <QObject>

namespace rbac {

class MainWindow;
class Workspace;
class WorkspaceEditor;

// The File menu's commands: a new or another workspace (file or team database), policy import
// (through the editor, so it is one undo step) and export, and audit import (on the Audit trail
// page). Each asks the user through the MessageBox/FileDialog seams and acts on the window.
class FileCommands : public QObject
{
    Q_OBJECT

public:
    FileCommands(MainWindow* window, WorkspaceEditor* editor);

public slots:
    void newWorkspace();
    void openWorkspaceFile();
    void openTeamWorkspace();
    void importPolicy();
    void exportPolicy();
    void importAuditEntries();

private:
    Workspace* workspace() const;
    // Where file dialogs start: the open workspace file's folder, else the home folder.
    QString workspaceFolder() const;

    MainWindow* m_window;
    WorkspaceEditor* m_editor;
};

} // namespace rbac
