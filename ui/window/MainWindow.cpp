#include "window/MainWindow.h"

#include "runtime/WorkspaceServices.h"
#include "window/FileCommands.h"

#include "window/AppSettings.h"
#include "matrix/MatrixActions.h"
#include "matrix/MatrixPage.h"
#include "widgets/MessageBox.h"
#include "window/PageIcons.h"
#include "window/PlaceholderPage.h"
#include "window/ShortcutsDialog.h"
#include "window/Theme.h"
#include "runtime/VersionInfo.h"
#include "matrix/WorkspaceEditor.h"
#include "workspace/WorkspaceLocation.h"
#include "workspace/WorkspaceWatcher.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>

namespace rbac {

MainWindow::MainWindow(WorkspaceServices* services, QWidget* parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_editor(new WorkspaceEditor(this))
    , m_fileCommands(new FileCommands(this, m_editor))
    , m_watcher(services->watcher())
    , m_navigation(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_matrix(new MatrixPage(m_editor, this))
    , m_pageActions(new QActionGroup(this))
    , m_workspaceLabel(new QLabel(this))
    , m_countsLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Klaviyo RBAC Console"));
    buildPages();
    buildMenus();
    buildStatusBar();

    connect(m_watcher, &WorkspaceWatcher::reloaded, m_matrix, &MatrixPage::showChangedElsewhere);
    connect(m_watcher, &WorkspaceWatcher::failed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Could not load changes made elsewhere: %1").arg(message), 10000);
    });
    connect(m_editor, &WorkspaceEditor::failed, m_matrix, &MatrixPage::showError);
    connect(m_editor, &WorkspaceEditor::noted, m_matrix, &MatrixPage::showNote);
    connect(m_matrix, &MatrixPage::statusMessage, this,
        [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(m_editor->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::undoIndexChanged);

    connect(m_services, &WorkspaceServices::keychainProblem, this,
        [this](const QString& message) { statusBar()->showMessage(message, 15000); });
    bindWorkspace(m_services->workspace());
    restoreSettings();
}

MainWindow::~MainWindow()
{
    // Pages hold pointers into the workspace and its services: they go first.
    m_editor->setWorkspace(nullptr);
    delete takeCentralWidget();
    m_matrix = nullptr;
}

Workspace* MainWindow::workspace() const
{
    return m_services->workspace();
}

QString MainWindow::initialWorkspacePath(const QString& requested)
{
    if (!requested.isEmpty())
        return requested;
    if (!qEnvironmentVariableIsEmpty("KLAVIYO_RBAC_WORKSPACE"))
        return Workspace::defaultPath();
    const QString last = AppSettings::lastWorkspace();
    if (!last.isEmpty() && QFileInfo(last).isFile())
        return last;
    return Workspace::defaultPath();
}

void MainWindow::buildPages()
{
    m_navigation->setObjectName(QStringLiteral("navigationList"));
    m_navigation->setAccessibleName(tr("Pages"));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setSpacing(2);
    m_navigation->setFixedWidth(190);
    m_navigation->setStyleSheet(
        QStringLiteral("QListWidget#navigationList { background: palette(window); padding: 8px 6px; }"
                       "QListWidget#navigationList::item { padding: 9px 10px; border-radius: 4px; color: "
                       "palette(window-text); }"
                       "QListWidget#navigationList::item:hover { background: palette(midlight); }"
                       "QListWidget#navigationList::item:selected { background: palette(highlight); "
                       "color: palette(highlighted-text); }"));
    m_pages->setObjectName(QStringLiteral("pageStack"));
    m_pages->addWidget(m_matrix);
    for (PlaceholderPage* placeholder : PlaceholderPage::untilInstalled(m_pages))
        m_pages->addWidget(placeholder);
    const QList<QPair<PageIcon, QString>> entries {{PageIcon::Roles, tr("Roles & permissions")},
        {PageIcon::ApiKeys, tr("API keys")}, {PageIcon::OAuth, tr("OAuth connection")},
        {PageIcon::Audit, tr("Audit trail")}};
    m_navigation->setIconSize(QSize(20, 20));
    for (const auto& [icon, title] : entries)
        m_navigation->addItem(new QListWidgetItem(pageIcon(icon), title));
    // Assistive technology selects an item without making it current: follow the selection.
    connect(m_navigation, &QListWidget::itemSelectionChanged, this, [this] {
        const QList<QListWidgetItem*> selected = m_navigation->selectedItems();
        if (selected.size() == 1 && m_navigation->row(selected.constFirst()) != m_navigation->currentRow())
            m_navigation->setCurrentRow(m_navigation->row(selected.constFirst()));
    });
    connect(m_navigation, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        m_pages->setCurrentIndex(row);
        if (QAction* action = m_pageActions->actions().value(row))
            action->setChecked(true);
    });

    auto* central = new QWidget(this);
    central->setObjectName(QStringLiteral("centralWidget"));
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_navigation);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    m_navigation->setCurrentRow(0);
}

void MainWindow::buildMenus()
{
    const auto add = [this](QMenu* menu, const QString& objectName, const QString& text,
                         const QKeySequence& key, auto slot) {
        QAction* action = menu->addAction(text);
        action->setObjectName(objectName);
        action->setShortcut(key);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    FileCommands* commands = m_fileCommands;
    add(file, QStringLiteral("newWorkspaceAction"), tr("&New workspace…"), QKeySequence(tr("Ctrl+Shift+N")),
        [commands] { commands->newWorkspace(); });
    add(file, QStringLiteral("openWorkspaceAction"), tr("&Open workspace…"), QKeySequence::Open,
        [commands] { commands->openWorkspaceFile(); });
    add(file, QStringLiteral("openTeamWorkspaceAction"), tr("Open &team workspace (PostgreSQL)…"),
        QKeySequence(tr("Ctrl+Shift+O")), [commands] { commands->openTeamWorkspace(); });
    file->addSeparator();
    add(file, QStringLiteral("importPolicyAction"), tr("&Import policy…"), QKeySequence(tr("Ctrl+I")),
        [commands] { commands->importPolicy(); });
    add(file, QStringLiteral("exportPolicyAction"), tr("&Export policy…"), QKeySequence(tr("Ctrl+Shift+E")),
        [commands] { commands->exportPolicy(); });
    add(file, QStringLiteral("importAuditAction"), tr("Import &audit entries…"), QKeySequence(),
        [commands] { commands->importAuditEntries(); });
    file->addSeparator();
    QAction* quit = add(file, QStringLiteral("quitAction"), tr("&Quit"), QKeySequence::Quit, &QWidget::close);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("editMenu"));
    QAction* undo = m_editor->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("undoAction"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_editor->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("redoAction"));
    redo->setShortcuts({QKeySequence(tr("Ctrl+Shift+Z")), QKeySequence(tr("Ctrl+Y"))});
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    add(edit, QStringLiteral("findRoleAction"), tr("&Filter roles"), QKeySequence::Find, [this] {
        setCurrentPage(Page::Roles);
        m_matrix->focusRoleFilter();
    });
    add(edit, QStringLiteral("findPermissionAction"), tr("Filter &permissions"),
        QKeySequence(tr("Ctrl+Shift+F")), [this] {
            setCurrentPage(Page::Roles);
            m_matrix->focusPermissionFilter();
        });
    add(edit, QStringLiteral("clearFiltersAction"), tr("&Clear filters"), QKeySequence(),
        [this] { m_matrix->clearFilters(); });
    edit->addSeparator();
    add(edit, QStringLiteral("reloadAction"), tr("Re&load from disk"), QKeySequence::Refresh,
        &MainWindow::reloadFromDisk);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    const QStringList pageNames {
        QStringLiteral("Roles"), QStringLiteral("ApiKeys"), QStringLiteral("OAuth"), QStringLiteral("Audit")};
    for (int i = 0; i < pageCount; ++i) {
        // "Roles & permissions": a lone & would be taken for a mnemonic.
        QAction* action
            = view->addAction(m_navigation->item(i)->text().replace(QLatin1Char('&'), QStringLiteral("&&")));
        action->setObjectName(QStringLiteral("show%1PageAction").arg(pageNames.at(i)));
        action->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)));
        action->setCheckable(true);
        action->setChecked(i == 0);
        m_pageActions->addAction(action);
        connect(action, &QAction::triggered, this, [this, i] { setCurrentPage(Page(i)); });
    }

    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    theme->setObjectName(QStringLiteral("themeMenu"));
    auto* themes = new QActionGroup(theme);
    const ThemeChoice current = Theme::fromName(AppSettings::theme());
    for (const auto& [choice, text] : {std::pair {ThemeChoice::System, tr("Follow the &system")},
             std::pair {ThemeChoice::Light, tr("&Light")}, std::pair {ThemeChoice::Dark, tr("&Dark")}}) {
        QAction* action = theme->addAction(text);
        action->setObjectName(QStringLiteral("%1ThemeAction").arg(Theme::name(choice)));
        action->setCheckable(true);
        action->setChecked(choice == current);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [choice = choice] {
            AppSettings::setTheme(Theme::name(choice));
            Theme::apply(choice);
        });
    }

    QMenu* role = menuBar()->addMenu(tr("&Role"));
    role->setObjectName(QStringLiteral("roleMenu"));
    role->addActions(m_matrix->actions()->roleActions());
    role->addSeparator();
    role->addActions(m_matrix->actions()->rowActions());
    QMenu* permission = menuBar()->addMenu(tr("&Permission"));
    permission->setObjectName(QStringLiteral("permissionMenu"));
    permission->addActions(m_matrix->actions()->permissionActions());
    permission->addSeparator();
    permission->addActions(m_matrix->actions()->columnActions());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    add(help, QStringLiteral("shortcutsAction"), tr("&Keyboard shortcuts"), QKeySequence(tr("Ctrl+/")),
        [this] {
            auto* dialog = new ShortcutsDialog(menuBar(), this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
        });
    add(help, QStringLiteral("aboutAction"), tr("&About Klaviyo RBAC Console"), QKeySequence(), [this] {
        MessageBox::information(this, tr("About Klaviyo RBAC Console"),
            tr("Klaviyo RBAC Console %1").arg(QStringLiteral(RBAC_VERSION)),
            tr("Least-privilege roles for Klaviyo API keys.") + QStringLiteral("\n\n")
                + versionReport(QStringLiteral("klaviyo-rbac-console")));
    });
}

void MainWindow::buildStatusBar()
{
    statusBar()->setObjectName(QStringLiteral("statusBar"));
    m_workspaceLabel->setObjectName(QStringLiteral("workspaceStatusLabel"));
    m_workspaceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countsLabel->setObjectName(QStringLiteral("policyCountsLabel"));
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_workspaceLabel);
}

void MainWindow::addStatusWidget(QWidget* widget)
{
    statusBar()->addPermanentWidget(widget);
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_pages->currentIndex());
}

void MainWindow::setCurrentPage(Page page)
{
    m_navigation->setCurrentRow(int(page));
}

QWidget* MainWindow::page(Page page) const
{
    return m_pages->widget(int(page));
}

void MainWindow::replacePage(Page page, QWidget* widget)
{
    const int index = int(page);
    QWidget* old = m_pages->widget(index);
    const bool wasCurrent = m_pages->currentIndex() == index;
    m_pages->insertWidget(index, widget);
    m_pages->removeWidget(old);
    if (old == m_matrix)
        m_matrix = nullptr;
    delete old;
    if (wasCurrent)
        m_pages->setCurrentIndex(index);
}

void MainWindow::setPageFactory(Page page, PageFactory factory)
{
    m_factories[int(page)] = std::move(factory);
    if (m_factories[int(page)])
        replacePage(page, m_factories[int(page)](workspace(), m_pages));
}

void MainWindow::rebuildFactoryPages()
{
    for (int i = 0; i < pageCount; ++i) {
        if (m_factories[i])
            replacePage(Page(i), m_factories[i](workspace(), m_pages));
    }
}

bool MainWindow::openWorkspace(const QString& path, Workspace::OpenMode mode)
{
    Expected<std::unique_ptr<Workspace>> opened = Workspace::open(path, mode);
    if (!opened) {
        MessageBox::critical(this, tr("Cannot open the workspace"), tr("“%1” could not be opened.").arg(path),
            opened.status().message());
        return false;
    }
    setWorkspace(std::move(opened.value()));
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 8000);
    return true;
}

void MainWindow::setWorkspace(std::unique_ptr<Workspace> workspace)
{
    // Pages built for the old workspace use its services: they go before the services are replaced.
    for (int i = 0; i < pageCount; ++i) {
        if (m_factories[i])
            replacePage(Page(i), new QWidget(m_pages));
    }
    std::unique_ptr<Workspace> previous = m_services->setWorkspace(std::move(workspace));
    bindWorkspace(m_services->workspace());
    // `previous` closes here, after everything has let go of it.
}

void MainWindow::bindWorkspace(Workspace* ws)
{
    if (ws && ws->origin().isEmpty())
        ws->setOrigin(QStringLiteral("console"));
    m_undoIndex = 0;
    m_editor->setWorkspace(ws);
    if (m_matrix)
        m_matrix->setWorkspace(ws);
    if (ws) {
        connect(ws, &Workspace::policyChanged, this, &MainWindow::updateStatus);
        AppSettings::setLastWorkspace(ws->path());
    }
    rebuildFactoryPages();
    emit workspaceChanged(ws);
    updateStatus();
}

void MainWindow::updateStatus()
{
    Workspace* ws = workspace();
    if (!ws) {
        m_workspaceLabel->setText(tr("No workspace"));
        m_countsLabel->clear();
        setWindowTitle(tr("Klaviyo RBAC Console"));
        return;
    }
    const QString path = QDir::toNativeSeparators(ws->path());
    QString shown = path;
    const QString home = QDir::toNativeSeparators(QDir::homePath()) + QDir::separator();
    if (shown.startsWith(home))
        shown = QStringLiteral("~") + QDir::separator() + shown.mid(home.size());
    m_workspaceLabel->setText(tr("Workspace: %1").arg(shown));
    m_workspaceLabel->setToolTip(path);
    m_workspaceLabel->setAccessibleName(tr("Workspace file %1").arg(path));
    const Policy& policy = ws->policy();
    m_countsLabel->setText(tr("Roles: %1 · Permissions: %2 · Grants: %3")
                               .arg(policy.roles.size())
                               .arg(policy.permissions.size())
                               .arg(policy.grantCount()));
    const bool team = WorkspaceLocation::looksLikeUri(ws->path());
    setWindowTitle(tr("%1 — Klaviyo RBAC Console").arg(team ? ws->path() : QFileInfo(ws->path()).fileName()));
}

void MainWindow::undoIndexChanged(int index)
{
    const QUndoStack* stack = m_editor->undoStack();
    if (index < m_undoIndex && index < stack->count())
        statusBar()->showMessage(tr("Undone and recorded: %1").arg(stack->text(index)), 8000);
    else if (index > 0 && index <= stack->count())
        statusBar()->showMessage(tr("Saved and recorded: %1").arg(stack->text(index - 1)), 8000);
    m_undoIndex = index;
}

void MainWindow::bringToFront()
{
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    show();
    raise();
    activateWindow();
}

void MainWindow::reloadFromDisk()
{
    if (!m_watcher->checkNow())
        statusBar()->showMessage(tr("Up to date: nothing was changed elsewhere."), 5000);
}

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    // Coming back to the window (e.g. from a terminal running klaviyo-rbac): look for changes.
    if (event->type() == QEvent::ActivationChange && isActiveWindow())
        m_watcher->checkNow();
}

void MainWindow::restoreSettings()
{
    const QByteArray geometry = AppSettings::windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        resize(1280, 800);
    restoreState(AppSettings::windowState());
    if (m_matrix)
        m_matrix->restoreState(AppSettings::matrixSplitterState());
    const int last = AppSettings::lastPage();
    if (last >= 0 && last < pageCount)
        setCurrentPage(Page(last));
}

void MainWindow::saveSettings()
{
    AppSettings::setWindowGeometry(saveGeometry());
    AppSettings::setWindowState(saveState());
    AppSettings::setLastPage(int(currentPage()));
    if (m_matrix)
        AppSettings::setMatrixSplitterState(m_matrix->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    event->accept();
}

} // namespace rbac
