#include "matrix/PermissionDialog.h"

#include "items/CatalogFilterModel.h"
#include "items/CatalogPickerModel.h"
#include "matrix/ChecklistView.h"
#include "policy/PolicyEngine.h"
#include "policy/PolicyJson.h"
#include "widgets/ProblemLabel.h"
#include "policy/ScopeCatalog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace rbac {

PermissionDialog::PermissionDialog(const Policy& policy, const QString& permission, QWidget* parent)
    : QDialog(parent)
    , m_policy(policy)
    , m_original(permission)
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_operations(new CatalogPickerModel(CatalogPickerModel::Kind::Operations, this))
    , m_scopes(new CatalogPickerModel(CatalogPickerModel::Kind::Scopes, this))
    , m_operationFilter(new CatalogFilterModel(this))
    , m_scopeFilter(new CatalogFilterModel(this))
    , m_tabs(new QTabWidget(this))
    , m_summary(new QLabel(this))
    , m_impact(new QLabel(this))
    , m_problem(new ProblemLabel(QStringLiteral("permissionProblemLabel"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("permissionDialog"));
    setWindowModality(Qt::WindowModal);
    resize(860, 620);
    m_name->setObjectName(QStringLiteral("permissionNameEdit"));
    m_name->setAccessibleName(tr("Permission name"));
    m_name->setMaxLength(64);
    m_name->setPlaceholderText(tr("e.g. canExportSegments"));
    m_description->setObjectName(QStringLiteral("permissionDescriptionEdit"));
    m_description->setAccessibleName(tr("Permission description"));
    m_description->setPlaceholderText(tr("What it lets a role do, in a few words"));

    m_operationFilter->setSourceModel(m_operations);
    m_scopeFilter->setSourceModel(m_scopes);
    m_tabs->setObjectName(QStringLiteral("permissionPickerTabs"));
    m_tabs->setAccessibleName(tr("Klaviyo operations and scopes"));
    m_tabs->tabBar()->setObjectName(QStringLiteral("permissionPickerTabBar"));
    m_tabs->tabBar()->setAccessibleName(tr("Pick operations or scopes"));
    m_tabs->addTab(pickerPage(QStringLiteral("operation"), m_operationFilter,
                       tr("Search operations, endpoints or scopes, e.g. profiles get"), &m_operationView),
        QString());
    m_tabs->addTab(
        pickerPage(QStringLiteral("scope"), m_scopeFilter, tr("Search scopes, e.g. lists"), &m_scopeView),
        QString());
    m_operationView->setAccessibleName(tr("Klaviyo operations"));
    m_scopeView->setAccessibleName(tr("Extra Klaviyo scopes"));
    m_operationView->horizontalHeader()->resizeSection(0, 280);
    m_operationView->horizontalHeader()->resizeSection(1, 330);
    m_scopeView->horizontalHeader()->resizeSection(0, 280);

    m_summary->setObjectName(QStringLiteral("permissionScopesSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAccessibleName(tr("Klaviyo scopes the permission needs"));
    m_impact->setObjectName(QStringLiteral("permissionImpact"));
    m_impact->setWordWrap(true);
    m_buttons->setObjectName(QStringLiteral("permissionDialogButtons"));
    QPushButton* ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("permissionDialogOk"));
    ok->setText(isEdit() ? tr("Save") : tr("Add permission"));
    ok->setAccessibleName(ok->text());
    QPushButton* cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("permissionDialogCancel"));
    cancel->setAccessibleName(tr("Cancel"));

    if (const Permission* p = policy.permission(permission)) {
        setWindowTitle(tr("Edit permission %1").arg(p->name));
        m_name->setText(p->name);
        m_description->setText(p->description);
        m_operations->setChecked(p->operations);
        m_scopes->setChecked(p->scopes);
        // What the permission allows now comes first.
        m_operationFilter->sortCheckedFirst();
        m_scopeFilter->sortCheckedFirst();
    } else {
        setWindowTitle(tr("Add permission"));
        m_original.clear();
    }

    auto* form = new QFormLayout;
    auto* nameLabel = new QLabel(tr("&Name:"), this);
    nameLabel->setObjectName(QStringLiteral("permissionNameLabel"));
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, m_name);
    auto* descriptionLabel = new QLabel(tr("&Description:"), this);
    descriptionLabel->setObjectName(QStringLiteral("permissionDescriptionLabel"));
    descriptionLabel->setBuddy(m_description);
    form->addRow(descriptionLabel, m_description);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_impact);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &PermissionDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &PermissionDialog::validate);
    connect(m_operations, &CatalogPickerModel::checkedChanged, this, &PermissionDialog::validate);
    connect(m_scopes, &CatalogPickerModel::checkedChanged, this, &PermissionDialog::validate);
    m_name->setFocus();
    validate();
}

QWidget* PermissionDialog::pickerPage(
    const QString& prefix, CatalogFilterModel* filter, const QString& searchHint, ChecklistView** view)
{
    auto* page = new QWidget(m_tabs);
    page->setObjectName(prefix + QStringLiteral("PickerPage"));
    auto* search = new QLineEdit(page);
    search->setObjectName(prefix + QStringLiteral("SearchEdit"));
    search->setAccessibleName(tr("Search"));
    search->setPlaceholderText(searchHint);
    search->setClearButtonEnabled(true);
    auto* onlyChecked = new QCheckBox(tr("Selected &only"), page);
    onlyChecked->setObjectName(prefix + QStringLiteral("SelectedOnlyCheck"));
    onlyChecked->setAccessibleName(tr("Show selected only"));
    *view = new ChecklistView(page);
    (*view)->setObjectName(prefix + QStringLiteral("PickerView"));
    (*view)->setModel(filter);
    connect(search, &QLineEdit::textChanged, filter, &CatalogFilterModel::setSearchText);
    connect(onlyChecked, &QCheckBox::toggled, filter, &CatalogFilterModel::setCheckedOnly);

    auto* top = new QHBoxLayout;
    top->addWidget(search, 1);
    top->addWidget(onlyChecked);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(top);
    layout->addWidget(*view, 1);
    return page;
}

Permission PermissionDialog::permission() const
{
    Permission p;
    p.name = m_name->text().trimmed();
    p.description = m_description->text().trimmed();
    p.operations = m_operations->checked();
    p.scopes = m_scopes->checked();
    return p;
}

QString PermissionDialog::problem() const
{
    const Permission p = permission();
    if (p.name.isEmpty())
        return tr("Enter a name for the permission.");
    if (!isValidName(p.name))
        return tr("“%1” is not a valid permission name: use %2.").arg(p.name, nameRules());
    if (p.name != m_original && m_policy.permission(p.name))
        return tr("A permission named “%1” already exists. Choose another name.").arg(p.name);
    if (p.operations.isEmpty() && p.scopes.isEmpty())
        return tr("Pick at least one Klaviyo operation or scope: a permission has to allow something.");
    const QStringList problems = PolicyJson::permissionProblems(p, ScopeCatalog::builtin());
    return problems.join(QLatin1Char('\n'));
}

void PermissionDialog::validate()
{
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    const Permission p = permission();
    m_tabs->setTabText(0, tr("Klaviyo &operations (%1)").arg(p.operations.size()));
    m_tabs->setTabText(1, tr("Extra &scopes (%1)").arg(p.scopes.size()));
    const QStringList scopes = PolicyEngine::permissionScopes(p, catalog);
    m_summary->setText(scopes.isEmpty()
            ? tr("Needs no Klaviyo scopes yet.")
            : tr("Needs the Klaviyo scopes: %1.").arg(scopes.join(QStringLiteral(", "))));

    m_impact->clear();
    if (isEdit()) {
        const QStringList holders = m_policy.holders(m_original);
        const Permission* before = m_policy.permission(m_original);
        if (before && !holders.isEmpty()) {
            const QStringList old = PolicyEngine::permissionScopes(*before, catalog);
            QStringList added, removed;
            for (const QString& s : scopes) {
                if (!old.contains(s))
                    added << s;
            }
            for (const QString& s : old) {
                if (!scopes.contains(s))
                    removed << s;
            }
            QString text = tr("Held by %1.").arg(holders.join(QStringLiteral(", ")));
            if (!added.isEmpty())
                text += QLatin1Char(' ')
                    + tr("Their keys will also need %1: create new keys for them.")
                          .arg(added.join(QStringLiteral(", ")));
            if (!removed.isEmpty())
                text += QLatin1Char(' ')
                    + tr("They no longer need %1.").arg(removed.join(QStringLiteral(", ")));
            m_impact->setText(text);
        }
    }

    m_problem->showProblem(problem(), !m_name->text().isEmpty(), m_buttons->button(QDialogButtonBox::Ok));
}

void PermissionDialog::accept()
{
    validate();
    if (m_problem->tryCommit(problem(), [this] { return m_commit ? m_commit(*this) : Status::ok(); }))
        QDialog::accept();
}

} // namespace rbac
