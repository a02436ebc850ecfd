#include "matrix/CompareRolesPanel.h"

#include "items/RoleComparisonModel.h"
#include "workspace/Workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QToolButton>

namespace rbac {

CompareRolesPanel::CompareRolesPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new RoleComparisonModel(this))
    , m_first(new QComboBox(this))
    , m_second(new QComboBox(this))
    , m_swap(new QToolButton(this))
    , m_shared(new QCheckBox(tr("Show what &both have"), this))
    , m_summary(new QLabel(this))
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("compareRolesPanel"));
    m_first->setObjectName(QStringLiteral("compareFirstCombo"));
    m_first->setAccessibleName(tr("First role to compare"));
    m_second->setObjectName(QStringLiteral("compareSecondCombo"));
    m_second->setAccessibleName(tr("Second role to compare"));
    m_swap->setObjectName(QStringLiteral("compareSwapButton"));
    m_swap->setText(QStringLiteral("⇄"));
    m_swap->setToolTip(tr("Swap the two roles"));
    m_swap->setAccessibleName(tr("Swap roles"));
    m_swap->setFocusPolicy(Qt::StrongFocus);
    m_shared->setObjectName(QStringLiteral("compareSharedCheck"));
    m_shared->setAccessibleName(tr("Show what both roles have"));
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    m_summary->setWordWrap(true);
    m_view->setObjectName(QStringLiteral("compareView"));
    m_view->setAccessibleName(tr("Differences between the two roles"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setTabKeyNavigation(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    // Fixed widths: measuring contents on every change would cost more than the comparison.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setSectionResizeMode(RoleComparisonModel::NameColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->resizeSection(RoleComparisonModel::KindColumn, 90);
    m_view->horizontalHeader()->resizeSection(RoleComparisonModel::FirstColumn, 110);
    m_view->horizontalHeader()->resizeSection(RoleComparisonModel::SecondColumn, 110);
    m_view->setAlternatingRowColors(true);

    auto* firstLabel = new QLabel(tr("&Role:"), this);
    firstLabel->setObjectName(QStringLiteral("compareFirstLabel"));
    firstLabel->setBuddy(m_first);
    auto* secondLabel = new QLabel(tr("&with:"), this);
    secondLabel->setObjectName(QStringLiteral("compareSecondLabel"));
    secondLabel->setBuddy(m_second);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(firstLabel, 0, 0);
    layout->addWidget(m_first, 0, 1);
    layout->addWidget(m_swap, 0, 2, 2, 1);
    layout->addWidget(secondLabel, 1, 0);
    layout->addWidget(m_second, 1, 1);
    layout->addWidget(m_shared, 2, 0, 1, 3);
    layout->addWidget(m_summary, 3, 0, 1, 3);
    layout->addWidget(m_view, 4, 0, 1, 3);
    layout->setColumnStretch(1, 1);
    layout->setRowStretch(4, 1);

    const auto picked = [this] {
        if (m_updating)
            return;
        m_userPicked = true;
        apply();
    };
    connect(m_first, &QComboBox::currentIndexChanged, this, picked);
    connect(m_second, &QComboBox::currentIndexChanged, this, picked);
    connect(m_swap, &QToolButton::clicked, this, [this] {
        setRoles(m_second->currentText(), m_first->currentText());
        m_userPicked = true;
    });
    connect(m_shared, &QCheckBox::toggled, m_model, &RoleComparisonModel::setShowShared);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CompareRolesPanel::updateSummary);
    updateSummary();
}

void CompareRolesPanel::setWorkspace(Workspace* workspace)
{
    if (m_workspace)
        disconnect(m_workspace, nullptr, this, nullptr);
    m_workspace = workspace;
    m_userPicked = false;
    m_names.clear();
    m_model->setWorkspace(workspace);
    if (workspace)
        connect(workspace, &Workspace::policyChanged, this, &CompareRolesPanel::reloadRoles);
    reloadRoles();
}

void CompareRolesPanel::reloadRoles()
{
    const QString first = m_first->currentText();
    const QString second = m_second->currentText();
    QStringList names;
    if (m_workspace) {
        for (const Role& r : m_workspace->policy().roles)
            names << r.name;
    }
    if (names == m_names && m_first->count() == names.size())
        return; // the model follows grant changes by itself
    m_names = names;
    m_updating = true;
    for (QComboBox* combo : {m_first, m_second}) {
        combo->clear();
        combo->addItems(names);
    }
    m_first->setCurrentIndex(names.contains(first) ? int(names.indexOf(first)) : 0);
    const int fallback = names.size() > 1 ? 1 : 0;
    m_second->setCurrentIndex(names.contains(second) ? int(names.indexOf(second)) : fallback);
    m_updating = false;
    apply();
}

void CompareRolesPanel::setRoles(const QString& first, const QString& second)
{
    m_updating = true;
    m_first->setCurrentIndex(m_first->findText(first));
    m_second->setCurrentIndex(m_second->findText(second));
    m_updating = false;
    apply();
}

void CompareRolesPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_pendingSuggestion.isEmpty())
        suggestFirst(m_pendingSuggestion);
}

void CompareRolesPanel::suggestFirst(const QString& role)
{
    if (!isVisible()) {
        m_pendingSuggestion = role; // following the selection costs nothing while the tab is hidden
        return;
    }
    m_pendingSuggestion.clear();
    if (m_userPicked || role.isEmpty() || role == m_first->currentText())
        return;
    QString second = m_second->currentText();
    if (second == role) {
        // Compare with the next role instead of with itself.
        const int next = (m_second->findText(role) + 1) % std::max(1, m_second->count());
        second = m_second->itemText(next);
    }
    setRoles(role, second);
}

void CompareRolesPanel::apply()
{
    m_model->setRoles(m_first->currentText(), m_second->currentText());
    updateSummary();
}

QString CompareRolesPanel::summary() const
{
    return m_summary->text();
}

void CompareRolesPanel::updateSummary()
{
    using Kind = RoleComparisonModel::Kind;
    const QString a = m_model->firstRole();
    const QString b = m_model->secondRole();
    if (!m_model->isComparing()) {
        m_summary->setText(tr("Pick two roles to compare."));
        return;
    }
    if (a == b) {
        m_summary->setText(tr("Pick two different roles."));
        return;
    }
    const auto side = [](const QString& role, int permissions, int scopes) {
        if (permissions == 0 && scopes == 0)
            return tr("Only %1: nothing.").arg(role);
        return tr("Only %1: permissions %2, scopes %3.").arg(role).arg(permissions).arg(scopes);
    };
    const int ap = m_model->onlyInFirst(Kind::Permission), as = m_model->onlyInFirst(Kind::Scope);
    const int bp = m_model->onlyInSecond(Kind::Permission), bs = m_model->onlyInSecond(Kind::Scope);
    if (ap + as + bp + bs == 0) {
        m_summary->setText(tr("%1 and %2 have the same permissions and scopes.").arg(a, b));
        return;
    }
    m_summary->setText(side(a, ap, as) + QLatin1Char(' ') + side(b, bp, bs));
}

} // namespace rbac
