#include "matrix/RoleDialog.h"

#include "widgets/ProblemLabel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace rbac {

RoleDialog::RoleDialog(Mode mode, const Policy& policy, const QString& role, QWidget* parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_policy(policy)
    , m_original(mode == Mode::Edit ? role : QString())
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_problem(new ProblemLabel(QStringLiteral("roleProblemLabel"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("roleDialog"));
    setWindowModality(Qt::WindowModal);
    setMinimumWidth(460);
    m_name->setObjectName(QStringLiteral("roleNameEdit"));
    m_name->setAccessibleName(tr("Role name"));
    m_name->setMaxLength(64);
    m_name->setPlaceholderText(tr("e.g. support-agent"));
    m_description->setObjectName(QStringLiteral("roleDescriptionEdit"));
    m_description->setAccessibleName(tr("Role description"));
    m_description->setPlaceholderText(tr("What people or services with this role do"));
    m_buttons->setObjectName(QStringLiteral("roleDialogButtons"));
    QPushButton* ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("roleDialogOk"));
    QPushButton* cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("roleDialogCancel"));
    cancel->setAccessibleName(tr("Cancel"));

    auto* form = new QFormLayout;
    auto* nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setObjectName(QStringLiteral("roleNameLabel"));
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, m_name);
    auto* descriptionLabel = new QLabel(tr("&Description:"), this);
    descriptionLabel->setObjectName(QStringLiteral("roleDescriptionLabel"));
    descriptionLabel->setBuddy(m_description);
    form->addRow(descriptionLabel, m_description);

    switch (mode) {
    case Mode::Add:
        setWindowTitle(tr("Add role"));
        ok->setText(tr("Add role"));
        break;
    case Mode::Clone: {
        setWindowTitle(tr("Clone role"));
        ok->setText(tr("Clone role"));
        m_source = new QComboBox(this);
        m_source->setObjectName(QStringLiteral("roleSourceCombo"));
        m_source->setAccessibleName(tr("Role to copy permissions from"));
        for (const Role& r : policy.roles)
            m_source->addItem(r.name);
        m_source->setCurrentIndex(std::max(0, m_source->findText(role)));
        auto* sourceLabel = new QLabel(tr("&Copy permissions from:"), this);
        sourceLabel->setObjectName(QStringLiteral("roleSourceLabel"));
        sourceLabel->setBuddy(m_source);
        form->insertRow(0, sourceLabel, m_source);
        m_sourceSummary = new QLabel(this);
        m_sourceSummary->setObjectName(QStringLiteral("roleSourceSummary"));
        m_sourceSummary->setWordWrap(true);
        form->insertRow(1, QString(), m_sourceSummary);
        connect(m_source, &QComboBox::currentIndexChanged, this, &RoleDialog::sourceChanged);
        break;
    }
    case Mode::Edit:
        setWindowTitle(tr("Edit role %1").arg(role));
        ok->setText(tr("Save"));
        if (const Role* r = policy.role(role)) {
            m_name->setText(r->name);
            m_description->setText(r->description);
        }
        break;
    }
    ok->setAccessibleName(ok->text());

    auto* rules = new QLabel(
        tr("A name is %1. It appears in the CLI, policy files and key names.").arg(nameRules()), this);
    rules->setObjectName(QStringLiteral("roleRulesLabel"));
    rules->setWordWrap(true);
    rules->setStyleSheet(QStringLiteral("color: palette(mid);"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(rules);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &RoleDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &RoleDialog::validate);
    connect(m_description, &QLineEdit::textEdited, this, [this] { m_descriptionEdited = true; });
    if (m_source)
        sourceChanged();
    m_name->setFocus();
    m_name->selectAll();
    validate();
}

QString RoleDialog::name() const
{
    return m_name->text().trimmed();
}

QString RoleDialog::description() const
{
    return m_description->text().trimmed();
}

QString RoleDialog::source() const
{
    return m_source ? m_source->currentText() : QString();
}

QString RoleDialog::problem() const
{
    const QString n = name();
    if (n.isEmpty())
        return tr("Enter a name for the role.");
    if (!isValidName(n))
        return tr("“%1” is not a valid role name: use %2.").arg(n, nameRules());
    if (n != m_original && m_policy.role(n))
        return tr("A role named “%1” already exists. Choose another name.").arg(n);
    if (m_mode == Mode::Clone && !m_policy.role(source()))
        return tr("Pick the role to copy permissions from.");
    return {};
}

void RoleDialog::validate()
{
    // An empty name is where every dialog starts: a hint, not an error.
    m_problem->showProblem(problem(), !m_name->text().isEmpty(), m_buttons->button(QDialogButtonBox::Ok));
}

void RoleDialog::sourceChanged()
{
    const Role* r = m_policy.role(source());
    if (!r) {
        m_sourceSummary->clear();
        validate();
        return;
    }
    m_sourceSummary->setText(r->permissions.isEmpty()
            ? tr("Starts with no permissions.")
            : tr("Starts with the permissions of %1: %2.")
                  .arg(r->name, r->permissions.join(QStringLiteral(", "))));
    if (!m_descriptionEdited)
        m_description->setText(r->description);
    if (m_name->text().isEmpty() || m_name->text().startsWith(QStringLiteral("copy-of-"))) {
        QString suggestion = QStringLiteral("copy-of-") + r->name;
        for (int i = 2; m_policy.role(suggestion); ++i)
            suggestion = QStringLiteral("copy-of-%1-%2").arg(r->name).arg(i);
        m_name->setText(suggestion.left(64));
        m_name->selectAll();
    }
    validate();
}

void RoleDialog::accept()
{
    validate();
    if (m_problem->tryCommit(problem(), [this] { return m_commit ? m_commit(*this) : Status::ok(); }))
        QDialog::accept();
}

} // namespace rbac
