#include "matrix/SimulatorPanel.h"

#include "policy/PolicyEngine.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QVBoxLayout>

namespace rbac {

SimulatorPanel::SimulatorPanel(QWidget* parent)
    : QWidget(parent)
    , m_role(new QComboBox(this))
    , m_byPermission(new QRadioButton(tr("do the &permission"), this))
    , m_byOperation(new QRadioButton(tr("call the Klaviyo &operation"), this))
    , m_permission(new QComboBox(this))
    , m_operation(new QComboBox(this))
    , m_verdict(new QLabel(this))
    , m_reason(new QLabel(this))
    , m_details(new QLabel(this))
{
    setObjectName(QStringLiteral("simulatorPanel"));
    m_role->setObjectName(QStringLiteral("simulatorRoleCombo"));
    m_role->setAccessibleName(tr("Role to check"));
    // Editable: a role name a service sends may not exist here, and that answer (401) matters too.
    m_role->setEditable(true);
    m_role->setInsertPolicy(QComboBox::NoInsert);
    m_role->lineEdit()->setObjectName(QStringLiteral("simulatorRoleEdit"));
    m_role->lineEdit()->setAccessibleName(tr("Role to check"));
    m_byPermission->setObjectName(QStringLiteral("simulatorPermissionRadio"));
    m_byPermission->setAccessibleName(tr("Check a permission"));
    m_byPermission->setChecked(true);
    m_byOperation->setObjectName(QStringLiteral("simulatorOperationRadio"));
    m_byOperation->setAccessibleName(tr("Check a Klaviyo operation"));
    auto* group = new QButtonGroup(this);
    group->addButton(m_byPermission);
    group->addButton(m_byOperation);
    m_permission->setObjectName(QStringLiteral("simulatorPermissionCombo"));
    m_permission->setAccessibleName(tr("Permission to check"));
    m_operation->setObjectName(QStringLiteral("simulatorOperationCombo"));
    m_operation->setAccessibleName(tr("Klaviyo operation to check"));
    m_operation->setEditable(true);
    m_operation->setInsertPolicy(QComboBox::NoInsert);
    m_operation->lineEdit()->setPlaceholderText(tr("Type to search, e.g. get_profiles"));
    m_operation->completer()->setFilterMode(Qt::MatchContains);
    m_operation->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_operation->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    for (const ApiOperation& op : ScopeCatalog::builtin().operations()) {
        m_operation->addItem(op.id);
        m_operation->setItemData(
            m_operation->count() - 1, op.method + QLatin1Char(' ') + op.path, Qt::ToolTipRole);
    }
    m_operation->setCurrentIndex(-1);
    m_operation->setEnabled(false);

    m_verdict->setObjectName(QStringLiteral("simulatorVerdict"));
    QFont big = m_verdict->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_verdict->setFont(big);
    m_reason->setObjectName(QStringLiteral("simulatorReason"));
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason->setAccessibleName(tr("Reason"));
    m_details->setObjectName(QStringLiteral("simulatorDetails"));
    m_details->setAccessibleName(tr("Scopes and grants behind the answer"));
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    auto* roleLabel = new QLabel(tr("Can &role"), this);
    roleLabel->setObjectName(QStringLiteral("simulatorRoleLabel"));
    roleLabel->setBuddy(m_role);
    form->addRow(roleLabel, m_role);
    form->addRow(m_byPermission, m_permission);
    form->addRow(m_byOperation, m_operation);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(form);
    layout->addSpacing(8);
    layout->addWidget(m_verdict);
    layout->addWidget(m_reason);
    layout->addWidget(m_details);
    layout->addStretch(1);

    const auto changed = [this] {
        if (!m_updating)
            requestEvaluation();
    };
    connect(m_role, &QComboBox::currentIndexChanged, this, changed);
    connect(m_role, &QComboBox::editTextChanged, this, changed);
    connect(m_permission, &QComboBox::currentIndexChanged, this, changed);
    connect(m_operation, &QComboBox::currentTextChanged, this, changed);
    connect(m_byPermission, &QRadioButton::toggled, this, [this, changed](bool on) {
        m_permission->setEnabled(on);
        m_operation->setEnabled(!on);
        changed();
    });
    requestEvaluation();
}

void SimulatorPanel::setWorkspace(Workspace* workspace)
{
    if (m_workspace)
        disconnect(m_workspace, nullptr, this, nullptr);
    m_workspace = workspace;
    if (workspace)
        connect(workspace, &Workspace::policyChanged, this, &SimulatorPanel::reloadChoices);
    reloadChoices();
}

void SimulatorPanel::reloadChoices()
{
    QStringList roles, permissions;
    if (m_workspace) {
        for (const Role& r : m_workspace->policy().roles)
            roles << r.name;
        for (const Permission& p : m_workspace->policy().permissions)
            permissions << p.name;
    }
    if (roles == m_roleNames && permissions == m_permissionNames && m_role->count() == roles.size()) {
        requestEvaluation(); // same choices; the answer may have changed
        return;
    }
    m_roleNames = roles;
    m_permissionNames = permissions;
    const QString role = m_role->currentText();
    const QString permission = m_permission->currentText();
    m_updating = true;
    m_role->clear();
    m_permission->clear();
    if (m_workspace) {
        for (const Role& r : m_workspace->policy().roles)
            m_role->addItem(r.name);
        for (const Permission& p : m_workspace->policy().permissions) {
            m_permission->addItem(p.name);
            m_permission->setItemData(m_permission->count() - 1, p.description, Qt::ToolTipRole);
        }
    }
    m_role->setCurrentIndex(std::max(0, m_role->findText(role)));
    m_permission->setCurrentIndex(std::max(0, m_permission->findText(permission)));
    m_updating = false;
    requestEvaluation();
}

void SimulatorPanel::askPermission(const QString& role, const QString& permission)
{
    m_updating = true;
    m_role->setCurrentText(role);
    m_permission->setCurrentIndex(m_permission->findText(permission));
    m_byPermission->setChecked(true);
    m_updating = false;
    requestEvaluation();
}

void SimulatorPanel::askOperation(const QString& role, const QString& operationId)
{
    m_updating = true;
    m_role->setCurrentText(role);
    m_byOperation->setChecked(true);
    m_operation->setCurrentText(operationId);
    m_updating = false;
    requestEvaluation();
}

QString SimulatorPanel::verdict()
{
    if (m_stale)
        evaluate();
    return m_verdict->text();
}

QString SimulatorPanel::reason()
{
    if (m_stale)
        evaluate();
    return m_reason->text();
}

void SimulatorPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        evaluate();
}

void SimulatorPanel::requestEvaluation()
{
    if (isVisible())
        evaluate();
    else
        m_stale = true; // hidden: answer when shown or asked
}

void SimulatorPanel::evaluate()
{
    m_stale = false;
    const QString role = m_role->currentText().trimmed();
    const bool byOperation = m_byOperation->isChecked();
    const QString subject = byOperation ? m_operation->currentText().trimmed() : m_permission->currentText();
    if (!m_workspace || role.isEmpty() || subject.isEmpty()) {
        m_verdict->setText(tr("Ask a question"));
        m_verdict->setStyleSheet(QString());
        m_reason->setText(
            tr("Pick a role and a permission, or a Klaviyo operation, to see whether the policy "
               "allows it and why."));
        m_details->clear();
        return;
    }
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    const CheckResult result = byOperation
        ? PolicyEngine::checkOperation(m_workspace->policy(), role, subject, catalog)
        : PolicyEngine::check(m_workspace->policy(), role, subject, catalog);
    QString colour;
    switch (result.outcome) {
    case CheckResult::Allowed:
        m_verdict->setText(tr("✔ Allowed"));
        colour = QStringLiteral("#1e7b34");
        break;
    case CheckResult::Forbidden:
        m_verdict->setText(tr("✖ Forbidden (HTTP 403)"));
        colour = QStringLiteral("#b3261e");
        break;
    case CheckResult::Unauthenticated:
        m_verdict->setText(tr("✖ Unknown role (HTTP 401)"));
        colour = QStringLiteral("#b3261e");
        break;
    case CheckResult::UnknownPermission:
        m_verdict->setText(byOperation ? tr("? Unknown operation") : tr("? Unknown permission"));
        colour = QStringLiteral("#6b6b6b");
        break;
    }
    m_verdict->setStyleSheet(QStringLiteral("color: %1;").arg(colour));
    m_reason->setText(result.message);
    QStringList details;
    if (byOperation) {
        if (const ApiOperation* op = catalog.operation(subject))
            details << tr("%1 is %2 %3.").arg(op->id, op->method, op->path);
    }
    if (!result.scopes.isEmpty())
        details << tr("Needs the Klaviyo scopes: %1.").arg(result.scopes.join(QStringLiteral(", ")));
    if (!result.grantedBy.isEmpty())
        details << tr("Allowed through: %1.").arg(result.grantedBy.join(QStringLiteral(", ")));
    m_details->setText(details.join(QLatin1Char('\n')));
}

} // namespace rbac
