#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace rbac {

class EffectiveScopesModel;
class Workspace;

// The Klaviyo scopes the selected role's API key needs, which permission needs each, and the
// link that creates that key in Klaviyo with exactly these scopes pre-selected.
class EffectiveScopesPanel : public QWidget
{
    Q_OBJECT

public:
    explicit EffectiveScopesPanel(QWidget* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    void setRole(const QString& role);
    EffectiveScopesModel* model() const { return m_model; }
    QString link() const;

private:
    void refresh();
    void copyLink();
    void openLink();

    EffectiveScopesModel* m_model;
    QStackedWidget* m_stack;
    QLabel* m_empty;
    QLabel* m_title;
    QTableView* m_view;
    QLineEdit* m_link;
    QPushButton* m_copy;
    QPushButton* m_open;
};

} // namespace rbac
