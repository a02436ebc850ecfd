#pragma once

#include "policy/Policy.h"
#include "base/Status.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTabWidget;

namespace rbac {

class ProblemLabel;

class CatalogFilterModel;
class CatalogPickerModel;
class ChecklistView;

// Add or edit a custom permission: its name, description, and the Klaviyo operations and extra
// scopes it allows, picked from the scope catalog (searchable). Shows the scopes it will need and,
// when editing, how the keys of the roles that hold it are affected. Invalid input (bad or
// duplicate name, nothing picked) keeps OK disabled with the reason shown. Open with open().
class PermissionDialog : public QDialog
{
    Q_OBJECT

public:
    using Commit = std::function<Status(const PermissionDialog& dialog)>;

    // Empty `permission`: add a new one.
    PermissionDialog(const Policy& policy, const QString& permission, QWidget* parent = nullptr);

    void setCommit(Commit commit) { m_commit = std::move(commit); }

    bool isEdit() const { return !m_original.isEmpty(); }
    QString originalName() const { return m_original; }
    Permission permission() const;
    QString problem() const;
    CatalogPickerModel* operationsModel() const { return m_operations; }
    CatalogPickerModel* scopesModel() const { return m_scopes; }

public slots:
    void accept() override;

private:
    QWidget* pickerPage(
        const QString& prefix, CatalogFilterModel* filter, const QString& searchHint, ChecklistView** view);
    void validate();

    Policy m_policy;
    QString m_original;
    Commit m_commit;
    QLineEdit* m_name;
    QLineEdit* m_description;
    CatalogPickerModel* m_operations;
    CatalogPickerModel* m_scopes;
    CatalogFilterModel* m_operationFilter;
    CatalogFilterModel* m_scopeFilter;
    ChecklistView* m_operationView = nullptr;
    ChecklistView* m_scopeView = nullptr;
    QTabWidget* m_tabs;
    QLabel* m_summary;
    QLabel* m_impact;
    ProblemLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace rbac
