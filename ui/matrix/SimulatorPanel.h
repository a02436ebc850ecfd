#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QRadioButton;

namespace rbac {

class Workspace;

// "Can role R do permission P / call Klaviyo operation O?" — the answer and its reason, as the
// policy engine phrases them. Follows the matrix selection until the user asks something else.
class SimulatorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SimulatorPanel(QWidget* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    void askPermission(const QString& role, const QString& permission);
    void askOperation(const QString& role, const QString& operationId);
    QString verdict();
    QString reason();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void reloadChoices();
    void requestEvaluation();
    void evaluate();

    Workspace* m_workspace = nullptr;
    QComboBox* m_role;
    QRadioButton* m_byPermission;
    QRadioButton* m_byOperation;
    QComboBox* m_permission;
    QComboBox* m_operation;
    QLabel* m_verdict;
    QLabel* m_reason;
    QLabel* m_details;
    bool m_updating = false;
    bool m_stale = true; // evaluated only while shown (or asked)
    QStringList m_roleNames;
    QStringList m_permissionNames;
};

} // namespace rbac
