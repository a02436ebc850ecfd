#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QTableView;
class QToolButton;

namespace rbac {

class RoleComparisonModel;
class Workspace;

// Two roles side by side: the permissions and Klaviyo scopes only one of them has.
class CompareRolesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit CompareRolesPanel(QWidget* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    void setRoles(const QString& first, const QString& second);
    // Suggests a first role (the matrix selection) while the user has not picked one.
    void suggestFirst(const QString& role);
    RoleComparisonModel* model() const { return m_model; }
    QString summary() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void reloadRoles();
    void apply();
    void updateSummary();

    Workspace* m_workspace = nullptr;
    RoleComparisonModel* m_model;
    QComboBox* m_first;
    QComboBox* m_second;
    QToolButton* m_swap;
    QCheckBox* m_shared;
    QLabel* m_summary;
    QTableView* m_view;
    QStringList m_names;         // the roles in the combo boxes
    QString m_pendingSuggestion; // applied when the panel is shown
    bool m_userPicked = false;
    bool m_updating = false;
};

} // namespace rbac
