#pragma once

#include "policy/Policy.h"
#include "base/Status.h"

#include <QDialog>

#include <functional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace rbac {

class ProblemLabel;

// Add, clone or edit (rename, describe) a role. Names are checked as they are typed (the rules,
// duplicates); OK stays disabled with the reason shown until the input is acceptable. OK then
// runs the commit function and closes only if it succeeded, else shows why and stays open.
// Open it with open(), never exec(): tests fill it in and press OK without a nested event loop.
class RoleDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode
    {
        Add,
        Clone,
        Edit
    };
    using Commit = std::function<Status(const RoleDialog& dialog)>;

    // `role`: the role to edit, or the suggested source of a clone.
    RoleDialog(Mode mode, const Policy& policy, const QString& role, QWidget* parent = nullptr);

    void setCommit(Commit commit) { m_commit = std::move(commit); }

    Mode mode() const { return m_mode; }
    QString name() const;
    QString description() const;
    QString source() const; // the role a clone copies
    QString originalName() const { return m_original; }
    // Why the input cannot be accepted as it is; empty when it can.
    QString problem() const;

public slots:
    void accept() override;

private:
    void validate();
    void sourceChanged();

    Mode m_mode;
    Policy m_policy;
    QString m_original;
    Commit m_commit;
    QLineEdit* m_name;
    QLineEdit* m_description;
    QComboBox* m_source = nullptr;
    QLabel* m_sourceSummary = nullptr;
    ProblemLabel* m_problem;
    QDialogButtonBox* m_buttons;
    bool m_descriptionEdited = false;
};

} // namespace rbac
