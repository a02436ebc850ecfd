#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QToolBar;

namespace rbac {

class CompareRolesPanel;
class EffectiveScopesPanel;
class MatrixActions;
class MatrixFilterModel;
class MatrixView;
class NoticeBanner;
class RoleMatrixModel;
class SimulatorPanel;
class Workspace;
class WorkspaceEditor;

// "Roles & permissions": the role × permission matrix with its filters, and beside it the
// selected role's effective scopes, a role comparison and the simulator. Every toggle commits
// at once through the WorkspaceEditor (undoable, audited).
class MatrixPage : public QWidget
{
    Q_OBJECT

public:
    explicit MatrixPage(WorkspaceEditor* editor, QWidget* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    Workspace* workspace() const { return m_workspace; }
    MatrixActions* actions() const { return m_actions; }

    // The role and permission of the current cell (or the last header clicked); empty if none.
    QString currentRole() const { return m_currentRole; }
    QString currentPermission() const { return m_currentPermission; }
    // Makes the cell current, clearing a filter that hides it; an empty name keeps that axis.
    void selectCell(const QString& role, const QString& permission = {});
    // Source rows / columns the filters let through.
    QVector<int> shownRoleRows() const;
    QVector<int> shownPermissionColumns() const;

    MatrixView* view() const { return m_view; }
    RoleMatrixModel* model() const { return m_model; }
    MatrixFilterModel* filterModel() const { return m_filter; }
    EffectiveScopesPanel* effectiveScopes() const { return m_scopes; }
    CompareRolesPanel* comparison() const { return m_compare; }
    SimulatorPanel* simulator() const { return m_simulator; }
    NoticeBanner* noticeBanner() const { return m_notice; }
    NoticeBanner* welcomeBanner() const { return m_welcome; }

    QByteArray saveState() const;
    void restoreState(const QByteArray& state);

public slots:
    void focusRoleFilter();
    void focusPermissionFilter();
    void clearFilters();
    void showChangedElsewhere(const QString& summary);
    void showError(const QString& message);
    void showNote(const QString& message);

signals:
    void statusMessage(const QString& message);
    // The current role or permission changed (also by renames); actions follow it.
    void selectionChanged();

private:
    void buildLayout();
    void policyChanged();
    void currentCellChanged();
    void updatePanels();
    void updateState();
    void showWelcomeIfFresh();
    void showHeaderMenu(bool forRole, int proxySection, const QPoint& globalPos);

    WorkspaceEditor* m_editor;
    QPointer<Workspace> m_workspace;
    RoleMatrixModel* m_model;
    MatrixFilterModel* m_filter;
    MatrixView* m_view;
    MatrixActions* m_actions;
    NoticeBanner* m_welcome;
    NoticeBanner* m_notice;
    QLineEdit* m_roleFilter;
    QLineEdit* m_permissionFilter;
    QLabel* m_filterStatus;
    QToolBar* m_toolBar;
    QStackedWidget* m_matrixStack;
    QLabel* m_emptyText;
    QPushButton* m_clearFilters;
    QLabel* m_hint;
    QSplitter* m_splitter;
    QTabWidget* m_sideTabs;
    EffectiveScopesPanel* m_scopes;
    CompareRolesPanel* m_compare;
    SimulatorPanel* m_simulator;
    QTimer* m_panelTimer;
    QString m_currentRole;
    QString m_currentPermission;
};

} // namespace rbac
