#include "matrix/MatrixPage.h"

#include "window/AppSettings.h"
#include "matrix/CompareRolesPanel.h"
#include "matrix/EffectiveScopesPanel.h"
#include "matrix/MatrixActions.h"
#include "items/MatrixFilterModel.h"
#include "matrix/MatrixView.h"
#include "widgets/NoticeBanner.h"
#include "items/RoleMatrixModel.h"
#include "matrix/SimulatorPanel.h"
#include "workspace/Workspace.h"
#include "matrix/WorkspaceEditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTime>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace rbac {

MatrixPage::MatrixPage(WorkspaceEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
    , m_model(new RoleMatrixModel(this))
    , m_filter(new MatrixFilterModel(this))
    , m_view(new MatrixView(this))
    , m_actions(nullptr)
    , m_welcome(new NoticeBanner(QStringLiteral("welcomeBanner"), this))
    , m_notice(new NoticeBanner(QStringLiteral("noticeBanner"), this))
    , m_roleFilter(new QLineEdit(this))
    , m_permissionFilter(new QLineEdit(this))
    , m_filterStatus(new QLabel(this))
    , m_toolBar(new QToolBar(this))
    , m_matrixStack(new QStackedWidget(this))
    , m_emptyText(new QLabel(this))
    , m_clearFilters(new QPushButton(tr("C&lear filters"), this))
    , m_hint(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_sideTabs(new QTabWidget(this))
    , m_scopes(new EffectiveScopesPanel(this))
    , m_compare(new CompareRolesPanel(this))
    , m_simulator(new SimulatorPanel(this))
    , m_panelTimer(new QTimer(this))
{
    // The side panels follow the selection once per event-loop turn: moving through many cells
    // (or toggling one) does not wait for them.
    m_panelTimer->setSingleShot(true);
    m_panelTimer->setInterval(0);
    connect(m_panelTimer, &QTimer::timeout, this, &MatrixPage::updatePanels);
    setObjectName(QStringLiteral("matrixPage"));
    m_filter->setSourceModel(m_model);
    m_view->setModel(m_filter);
    m_model->setCommitter(
        [this](const QVector<Workspace::GrantChange>& changes) { return m_editor->setGrants(changes); });
    m_actions = new MatrixActions(this, editor);
    buildLayout();

    connect(m_roleFilter, &QLineEdit::textChanged, m_filter, &MatrixFilterModel::setRoleFilter);
    connect(m_permissionFilter, &QLineEdit::textChanged, m_filter, &MatrixFilterModel::setPermissionFilter);
    connect(m_clearFilters, &QPushButton::clicked, this, &MatrixPage::clearFilters);
    connect(m_model, &RoleMatrixModel::commitFailed, this, &MatrixPage::showError);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
        &MatrixPage::currentCellChanged);
    connect(m_view->verticalHeader(), &QHeaderView::sectionClicked, this, [this](int row) {
        m_currentRole = m_filter->headerData(row, Qt::Vertical, RoleMatrixModel::RoleNameRole).toString();
        currentCellChanged();
    });
    connect(m_view->horizontalHeader(), &QHeaderView::sectionClicked, this, [this](int column) {
        m_currentPermission
            = m_filter->headerData(column, Qt::Horizontal, RoleMatrixModel::PermissionNameRole).toString();
        currentCellChanged();
    });
    connect(m_view, &MatrixView::roleHeaderMenuRequested, this,
        [this](int row, const QPoint& pos) { showHeaderMenu(true, row, pos); });
    connect(m_view, &MatrixView::permissionHeaderMenuRequested, this,
        [this](int column, const QPoint& pos) { showHeaderMenu(false, column, pos); });
    connect(
        m_view, &MatrixView::cellMenuRequested, this, [this](const QModelIndex& index, const QPoint& pos) {
            m_view->setCurrentIndex(index);
            QMenu menu(this);
            menu.setObjectName(QStringLiteral("matrixCellMenu"));
            menu.addActions(m_actions->rowActions());
            menu.addSeparator();
            menu.addActions(m_actions->columnActions());
            menu.addSeparator();
            menu.addAction(m_actions->editRoleAction());
            menu.addAction(m_actions->editPermissionAction());
            menu.exec(pos);
        });
    // Rows or columns appearing, going or filtered away change the empty state and the actions.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &MatrixPage::updateState);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &MatrixPage::updateState);
    connect(m_filter, &QAbstractItemModel::columnsInserted, this, &MatrixPage::updateState);
    connect(m_filter, &QAbstractItemModel::columnsRemoved, this, &MatrixPage::updateState);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &MatrixPage::updateState);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &MatrixPage::updateState);
    connect(m_welcome, &NoticeBanner::dismissed, this, [this] {
        if (m_workspace)
            AppSettings::setWelcomeDismissed(m_workspace->id());
    });
    connect(m_notice, &NoticeBanner::actionTriggered, m_notice, &QWidget::hide);
    updateState();
}

void MatrixPage::buildLayout()
{
    m_view->setObjectName(QStringLiteral("matrixView"));
    m_view->setAccessibleName(tr("Role and permission matrix"));
    m_view->setAccessibleDescription(
        tr("Rows are roles, columns are permissions. Space grants or revokes the "
           "current cell."));
    m_roleFilter->setObjectName(QStringLiteral("roleFilterEdit"));
    m_roleFilter->setAccessibleName(tr("Filter roles"));
    m_roleFilter->setPlaceholderText(tr("Filter roles (Ctrl+F)"));
    m_roleFilter->setClearButtonEnabled(true);
    m_permissionFilter->setObjectName(QStringLiteral("permissionFilterEdit"));
    m_permissionFilter->setAccessibleName(tr("Filter permissions"));
    m_permissionFilter->setPlaceholderText(tr("Filter permissions, operations or scopes (Ctrl+Shift+F)"));
    m_permissionFilter->setClearButtonEnabled(true);
    m_filterStatus->setObjectName(QStringLiteral("filterStatusLabel"));
    m_toolBar->setObjectName(QStringLiteral("matrixToolBar"));
    m_toolBar->setAccessibleName(tr("Role and permission actions"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->addActions(m_actions->roleActions());
    m_toolBar->addSeparator();
    m_toolBar->addActions(m_actions->permissionActions());

    m_emptyText->setObjectName(QStringLiteral("matrixEmptyLabel"));
    m_emptyText->setWordWrap(true);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_clearFilters->setObjectName(QStringLiteral("clearFiltersButton"));
    m_clearFilters->setAccessibleName(tr("Clear filters"));
    auto* empty = new QWidget(this);
    empty->setObjectName(QStringLiteral("matrixEmptyState"));
    auto* emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_emptyText);
    emptyLayout->addWidget(m_clearFilters, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(2);
    m_matrixStack->addWidget(m_view);
    m_matrixStack->addWidget(empty);

    m_hint->setObjectName(QStringLiteral("matrixHintLabel"));
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_hint->setText(
        tr("Click a cell or press Space to grant or revoke. Right-click a role or a permission for "
           "whole-row and whole-column changes. Every change is saved and audited at once; Ctrl+Z "
           "undoes it."));

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_matrixStack, 1);
    leftLayout->addWidget(m_hint);

    m_sideTabs->setObjectName(QStringLiteral("sideTabs"));
    m_sideTabs->setAccessibleName(tr("Role details"));
    m_sideTabs->tabBar()->setObjectName(QStringLiteral("sideTabBar"));
    m_sideTabs->tabBar()->setAccessibleName(tr("Role details"));
    m_sideTabs->addTab(m_scopes, tr("Effective &scopes"));
    m_sideTabs->addTab(m_compare, tr("Co&mpare roles"));
    m_sideTabs->addTab(m_simulator, tr("Si&mulator"));
    m_splitter->setObjectName(QStringLiteral("matrixSplitter"));
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_sideTabs);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({620, 520});

    auto* roleLabel = new QLabel(tr("&Roles:"), this);
    roleLabel->setObjectName(QStringLiteral("roleFilterLabel"));
    roleLabel->setBuddy(m_roleFilter);
    auto* permissionLabel = new QLabel(tr("&Permissions:"), this);
    permissionLabel->setObjectName(QStringLiteral("permissionFilterLabel"));
    permissionLabel->setBuddy(m_permissionFilter);
    auto* filters = new QHBoxLayout;
    filters->addWidget(roleLabel);
    filters->addWidget(m_roleFilter, 2);
    filters->addSpacing(12);
    filters->addWidget(permissionLabel);
    filters->addWidget(m_permissionFilter, 3);
    filters->addSpacing(12);
    filters->addWidget(m_filterStatus, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 6);
    layout->addWidget(m_welcome);
    layout->addWidget(m_notice);
    layout->addWidget(m_toolBar);
    layout->addLayout(filters);
    layout->addWidget(m_splitter, 1);
    setTabOrder(m_roleFilter, m_permissionFilter);
    setTabOrder(m_permissionFilter, m_view);
    setTabOrder(m_view, m_sideTabs);
}

void MatrixPage::setWorkspace(Workspace* workspace)
{
    if (m_workspace)
        disconnect(m_workspace, nullptr, this, nullptr);
    m_workspace = workspace;
    m_currentRole.clear();
    m_currentPermission.clear();
    m_notice->hide();
    m_welcome->hide();
    // The matrix model first: the page reads its rows when the policy changes.
    m_model->setWorkspace(workspace);
    m_scopes->setWorkspace(workspace);
    m_compare->setWorkspace(workspace);
    m_simulator->setWorkspace(workspace);
    if (workspace)
        connect(workspace, &Workspace::policyChanged, this, &MatrixPage::policyChanged);
    if (m_filter->rowCount() > 0 && m_filter->columnCount() > 0)
        m_view->setCurrentIndex(m_filter->index(0, 0));
    currentCellChanged();
    updatePanels();
    showWelcomeIfFresh();
    updateState();
}

void MatrixPage::showWelcomeIfFresh()
{
    if (!m_workspace || AppSettings::welcomeDismissed(m_workspace->id()))
        return;
    Expected<qint64> entries = m_workspace->auditLog().count();
    if (!entries || *entries > 1) // more than "workspace.create": someone has worked here
        return;
    QStringList roles;
    for (const Role& r : m_workspace->policy().roles)
        roles << r.name;
    m_welcome->showMessage(NoticeBanner::Kind::Info,
        tr("<b>Welcome.</b> This workspace starts with the default roles (%1) and permissions. "
           "<b>Next:</b> review who may do what and click cells to change it; each change is saved and "
           "audited at once. Then select a role: <i>Effective scopes</i> lists the Klaviyo scopes its API "
           "key needs and links to creating that key in Klaviyo.")
            .arg(roles.join(QStringLiteral(", "))));
}

void MatrixPage::policyChanged()
{
    // Renames keep the row but change the name the panels and actions use.
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid()) {
        currentCellChanged();
    } else {
        if (m_workspace && !m_workspace->policy().role(m_currentRole))
            m_currentRole.clear();
        if (m_workspace && !m_workspace->policy().permission(m_currentPermission))
            m_currentPermission.clear();
        m_panelTimer->start();
        emit selectionChanged();
    }
    updateState();
}

void MatrixPage::currentCellChanged()
{
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid()) {
        m_currentRole = current.data(RoleMatrixModel::RoleNameRole).toString();
        m_currentPermission = current.data(RoleMatrixModel::PermissionNameRole).toString();
    }
    m_panelTimer->start();
    emit selectionChanged();
}

void MatrixPage::updatePanels()
{
    m_scopes->setRole(m_currentRole);
    m_compare->suggestFirst(m_currentRole);
    if (!m_currentRole.isEmpty() && !m_currentPermission.isEmpty())
        m_simulator->askPermission(m_currentRole, m_currentPermission);
}

void MatrixPage::selectCell(const QString& role, const QString& permission)
{
    const int sourceRow = m_model->rowOfRole(role.isEmpty() ? m_currentRole : role);
    const int sourceColumn
        = m_model->columnOfPermission(permission.isEmpty() ? m_currentPermission : permission);
    if (sourceRow >= 0 && !m_filter->mapFromSource(m_model->index(sourceRow, 0)).isValid())
        m_roleFilter->clear();
    if (sourceColumn >= 0 && !m_filter->mapFromSource(m_model->index(0, sourceColumn)).isValid())
        m_permissionFilter->clear();
    if (sourceRow >= 0 && sourceColumn >= 0) {
        const QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow, sourceColumn));
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index);
    } else {
        if (sourceRow >= 0)
            m_currentRole = m_model->role(sourceRow).name;
        if (sourceColumn >= 0)
            m_currentPermission = m_model->permission(sourceColumn).name;
        currentCellChanged();
    }
}

QVector<int> MatrixPage::shownRoleRows() const
{
    QVector<int> rows;
    rows.reserve(m_filter->rowCount());
    for (int r = 0; r < m_filter->rowCount(); ++r)
        rows << m_filter->mapToSource(m_filter->index(r, 0)).row();
    if (m_filter->columnCount() == 0) { // no column to map through: the filter still applies to rows
        rows.clear();
        for (int r = 0; r < m_model->rowCount(); ++r) {
            if (MatrixFilterModel::matches(
                    m_model->headerData(r, Qt::Vertical, RoleMatrixModel::SearchTextRole).toString(),
                    m_filter->roleFilter().simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts)))
                rows << r;
        }
    }
    return rows;
}

QVector<int> MatrixPage::shownPermissionColumns() const
{
    QVector<int> columns;
    columns.reserve(m_filter->columnCount());
    if (m_filter->rowCount() > 0) {
        for (int c = 0; c < m_filter->columnCount(); ++c)
            columns << m_filter->mapToSource(m_filter->index(0, c)).column();
        return columns;
    }
    for (int c = 0; c < m_model->columnCount(); ++c) {
        if (MatrixFilterModel::matches(
                m_model->headerData(c, Qt::Horizontal, RoleMatrixModel::SearchTextRole).toString(),
                m_filter->permissionFilter().simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts)))
            columns << c;
    }
    return columns;
}

void MatrixPage::updateState()
{
    const int roles = m_model->rowCount();
    const int permissions = m_model->columnCount();
    const int shownRoles = m_filter->rowCount();
    const int shownPermissions = m_filter->columnCount();
    QString empty;
    bool filtersHideAll = false;
    if (!m_workspace)
        empty = tr("No workspace is open. Use File ▸ Open workspace or File ▸ New workspace.");
    else if (roles == 0)
        empty
            = tr("This workspace has no roles yet. Add the first with Role ▸ Add role (Ctrl+N), or import a "
                 "policy file with File ▸ Import policy.");
    else if (permissions == 0)
        empty = tr("This workspace has no permissions yet. Add one with Permission ▸ Add permission "
                   "(Ctrl+Shift+A): a permission is a set of Klaviyo operations a role may call.");
    else if (shownRoles == 0 || shownPermissions == 0) {
        empty = tr("Nothing matches the filters.");
        filtersHideAll = true;
    }
    m_emptyText->setText(empty);
    m_clearFilters->setVisible(filtersHideAll);
    m_matrixStack->setCurrentIndex(empty.isEmpty() ? 0 : 1);
    m_filterStatus->setText(m_filter->isFiltering() ? tr("Showing %1 of %2 roles, %3 of %4 permissions.")
                                                          .arg(shownRoles)
                                                          .arg(roles)
                                                          .arg(shownPermissions)
                                                          .arg(permissions)
                                                    : QString());
    m_actions->update();
}

void MatrixPage::showHeaderMenu(bool forRole, int proxySection, const QPoint& globalPos)
{
    // Right-click on a header acts on that role or permission: make it current first.
    QModelIndex current = m_view->currentIndex();
    const int row = forRole ? proxySection : std::max(0, current.row());
    const int column = forRole ? std::max(0, current.column()) : proxySection;
    const QModelIndex target = m_filter->index(row, column);
    if (target.isValid()) {
        m_view->setCurrentIndex(target);
    } else if (forRole) {
        m_currentRole
            = m_filter->headerData(proxySection, Qt::Vertical, RoleMatrixModel::RoleNameRole).toString();
        currentCellChanged();
    } else {
        m_currentPermission
            = m_filter->headerData(proxySection, Qt::Horizontal, RoleMatrixModel::PermissionNameRole)
                  .toString();
        currentCellChanged();
    }
    QMenu menu(this);
    menu.setObjectName(forRole ? QStringLiteral("roleHeaderMenu") : QStringLiteral("permissionHeaderMenu"));
    menu.addActions(forRole ? m_actions->rowActions() : m_actions->columnActions());
    menu.addSeparator();
    menu.addActions(forRole ? m_actions->roleActions() : m_actions->permissionActions());
    menu.exec(globalPos);
}

QByteArray MatrixPage::saveState() const
{
    return m_splitter->saveState();
}

void MatrixPage::restoreState(const QByteArray& state)
{
    if (!state.isEmpty())
        m_splitter->restoreState(state);
}

void MatrixPage::focusRoleFilter()
{
    m_roleFilter->setFocus(Qt::ShortcutFocusReason);
    m_roleFilter->selectAll();
}

void MatrixPage::focusPermissionFilter()
{
    m_permissionFilter->setFocus(Qt::ShortcutFocusReason);
    m_permissionFilter->selectAll();
}

void MatrixPage::clearFilters()
{
    m_roleFilter->clear();
    m_permissionFilter->clear();
}

void MatrixPage::showChangedElsewhere(const QString& summary)
{
    const QString when = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    const QString what = summary.isEmpty() ? tr("no policy change, only new audit entries") : summary;
    m_notice->setActionText(QString());
    m_notice->showMessage(NoticeBanner::Kind::Info,
        tr("<b>Updated at %1</b> with changes made outside this window (for example with "
           "klaviyo-rbac): %2.")
            .arg(when, what.toHtmlEscaped()));
    emit statusMessage(tr("Loaded changes made elsewhere: %1").arg(what));
}

void MatrixPage::showError(const QString& message)
{
    m_notice->setActionText(QString());
    m_notice->showMessage(NoticeBanner::Kind::Error, tr("<b>Not saved.</b> %1").arg(message.toHtmlEscaped()));
    emit statusMessage(tr("Not saved: %1").arg(message));
}

void MatrixPage::showNote(const QString& message)
{
    m_notice->setActionText(QString());
    m_notice->showMessage(NoticeBanner::Kind::Warning, message.toHtmlEscaped());
    emit statusMessage(message);
}

} // namespace rbac
