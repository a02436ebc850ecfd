#pragma once

#include "workspace/Workspace.h"

#include <QMainWindow>

#include <functional>
#include <memory>

class QActionGroup;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace rbac {

class FileCommands;
class MatrixPage;
class WorkspaceEditor;
class WorkspaceServices;
class WorkspaceWatcher;

// The console's window: navigation between its pages, the File / Edit / View / Role / Permission
// menus, and a status bar with the workspace (more indicators can be added). The open workspace
// and its services belong to the application's WorkspaceServices; the window swaps the workspace
// there on File ▸ New / Open, and pages follow workspaceChanged().
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page
    {
        Roles,
        ApiKeys,
        OAuth,
        Audit,
    };
    static constexpr int pageCount = 4;

    // `services` (made in main, holding the open workspace) must outlive the window.
    explicit MainWindow(WorkspaceServices* services, QWidget* parent = nullptr);
    ~MainWindow() override;

    // --workspace if given, else $KLAVIYO_RBAC_WORKSPACE, else the last workspace used (if it still
    // exists), else the default workspace (created with the default roles on first run).
    static QString initialWorkspacePath(const QString& requested);

    Workspace* workspace() const;
    WorkspaceServices* services() const { return m_services; }
    WorkspaceEditor* editor() const { return m_editor; }
    WorkspaceWatcher* watcher() const { return m_watcher; }
    MatrixPage* matrixPage() const { return m_matrix; }

    Page currentPage() const;
    void setCurrentPage(Page page);
    QWidget* page(Page page) const;
    // Puts `widget` in place of the page's current widget (e.g. its placeholder), which is deleted.
    // The window takes ownership; the widget should follow workspaceChanged().
    void replacePage(Page page, QWidget* widget);
    // For pages bound to one workspace (constructed with a Workspace*): the window builds the page
    // now and again whenever the workspace changes, replacing the previous one.
    using PageFactory = std::function<QWidget*(Workspace* workspace, QWidget* parent)>;
    void setPageFactory(Page page, PageFactory factory);
    // A permanent status-bar indicator (keychain, connection …), right of the workspace.
    void addStatusWidget(QWidget* widget);

    // Opens (or creates) a workspace and makes it the current one; tells the user on failure.
    bool openWorkspace(const QString& path, Workspace::OpenMode mode);

public slots:
    // Another start of the console asked for this window.
    void bringToFront();
    void reloadFromDisk();

signals:
    void workspaceChanged(rbac::Workspace* workspace);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildPages();
    void buildMenus();
    void buildStatusBar();
    void setWorkspace(std::unique_ptr<Workspace> workspace);
    void bindWorkspace(Workspace* workspace);
    void updateStatus();
    void undoIndexChanged(int index);
    void restoreSettings();
    void saveSettings();

    void rebuildFactoryPages();

    WorkspaceServices* m_services;
    PageFactory m_factories[pageCount];
    WorkspaceEditor* m_editor;
    FileCommands* m_fileCommands; // the File menu's commands
    WorkspaceWatcher* m_watcher;
    QListWidget* m_navigation;
    QStackedWidget* m_pages;
    MatrixPage* m_matrix;
    QActionGroup* m_pageActions;
    QLabel* m_workspaceLabel;
    QLabel* m_countsLabel;
    int m_undoIndex = 0;
};

} // namespace rbac
