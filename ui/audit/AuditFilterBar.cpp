#include "audit/AuditFilterBar.h"

#include "base/Clock.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
#include <QWidgetAction>

namespace rbac {

namespace {

// Typing pauses this long before the table is filtered again.
constexpr int typingDelayMs = 300;

QLabel* buddyLabel(const QString& text, QWidget* buddy, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

void setChoices(QComboBox* combo, const QString& anyText, const QStringList& values)
{
    const QString current = combo->currentIndex() > 0 ? combo->currentText() : QString();
    combo->blockSignals(true);
    combo->clear();
    combo->addItem(anyText);
    combo->addItems(values);
    if (!current.isEmpty()) {
        const int at = combo->findText(current);
        if (at >= 0)
            combo->setCurrentIndex(at);
        else
            combo->setEditText(current);
    }
    combo->blockSignals(false);
}

// "Any actor" (index 0) means no filter; typed text filters by exactly that name.
QString chosen(const QComboBox* combo)
{
    const QString text = combo->currentText().trimmed();
    return text == combo->itemText(0) ? QString() : text;
}

} // namespace

AuditFilterBar::AuditFilterBar(QWidget* parent)
    : QWidget(parent)
    , m_preset(new QComboBox(this))
    , m_since(new QDateTimeEdit(this))
    , m_until(new QDateTimeEdit(this))
    , m_actor(new QComboBox(this))
    , m_role(new QComboBox(this))
    , m_actionsButton(new QToolButton(this))
    , m_actions(new QListWidget)
    , m_resource(new QLineEdit(this))
    , m_result(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_clear(new QPushButton(tr("C&lear filters"), this))
{
    setObjectName(QStringLiteral("auditFilterBar"));

    m_preset->setObjectName(QStringLiteral("auditTimePreset"));
    m_preset->setAccessibleName(tr("Time range"));
    m_preset->addItems({tr("All time"), tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days"),
        tr("Last 30 days"), tr("Custom range")});
    for (QDateTimeEdit* edit : {m_since, m_until}) {
        edit->setCalendarPopup(true);
        edit->setTimeSpec(Qt::LocalTime); // people pick local times; the filter converts to UTC
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    m_since->setObjectName(QStringLiteral("auditSince"));
    m_since->setAccessibleName(tr("From (local time)"));
    m_until->setObjectName(QStringLiteral("auditUntil"));
    m_until->setAccessibleName(tr("Until (local time)"));
    const QDateTime now = Clock::nowUtc().toLocalTime();
    m_since->setDateTime(now.addDays(-7));
    m_until->setDateTime(now);

    for (QComboBox* combo : {m_actor, m_role}) {
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        combo->setMinimumContentsLength(10);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    }
    m_actor->setObjectName(QStringLiteral("auditActor"));
    m_actor->setAccessibleName(tr("Actor"));
    m_role->setObjectName(QStringLiteral("auditRole"));
    m_role->setAccessibleName(tr("Role"));
    setChoices(m_actor, tr("Any actor"), {});
    setChoices(m_role, tr("Any role"), {});

    // Several actions at once: a checkable list in a drop-down that stays open while choosing.
    m_actionsButton->setObjectName(QStringLiteral("auditActions"));
    m_actionsButton->setAccessibleName(tr("Actions"));
    m_actionsButton->setPopupMode(QToolButton::InstantPopup);
    m_actions->setObjectName(QStringLiteral("auditActionList"));
    m_actions->setAccessibleName(tr("Actions to show"));
    auto* menu = new QMenu(m_actionsButton);
    auto* listAction = new QWidgetAction(menu);
    listAction->setDefaultWidget(m_actions);
    menu->addAction(listAction);
    connect(menu, &QMenu::aboutToShow, m_actions, [this] { m_actions->setFocus(); });
    m_actionsButton->setMenu(menu);
    updateActionsLabel();

    m_resource->setObjectName(QStringLiteral("auditResource"));
    m_resource->setAccessibleName(tr("Resource contains"));
    m_resource->setPlaceholderText(tr("role:, permission:, …"));
    m_resource->setClearButtonEnabled(true);
    m_result->setObjectName(QStringLiteral("auditResult"));
    m_result->setAccessibleName(tr("Result"));
    m_result->addItems({tr("Any result"), tr("Succeeded"), tr("Failed")});
    m_text->setObjectName(QStringLiteral("auditText"));
    m_text->setAccessibleName(tr("Details contain"));
    m_text->setPlaceholderText(tr("Search the details…"));
    m_text->setClearButtonEnabled(true);
    m_clear->setObjectName(QStringLiteral("auditClearFilters"));
    m_clear->setAccessibleName(tr("Clear filters"));

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto* timeRow = new QHBoxLayout;
    timeRow->addWidget(m_preset);
    timeRow->addWidget(buddyLabel(tr("&From"), m_since, this));
    timeRow->addWidget(m_since);
    timeRow->addWidget(buddyLabel(tr("U&ntil"), m_until, this));
    timeRow->addWidget(m_until);
    timeRow->addStretch();
    timeRow->addWidget(buddyLabel(tr("Res&ult"), m_result, this));
    timeRow->addWidget(m_result);
    grid->addWidget(buddyLabel(tr("&Time"), m_preset, this), 0, 0);
    grid->addLayout(timeRow, 0, 1);
    auto* whoRow = new QHBoxLayout;
    whoRow->addWidget(m_actor, 1);
    whoRow->addWidget(buddyLabel(tr("&Role"), m_role, this));
    whoRow->addWidget(m_role, 1);
    whoRow->addWidget(buddyLabel(tr("Actio&ns"), m_actionsButton, this));
    whoRow->addWidget(m_actionsButton);
    whoRow->addWidget(buddyLabel(tr("Re&source"), m_resource, this));
    whoRow->addWidget(m_resource, 1);
    whoRow->addWidget(buddyLabel(tr("&Details"), m_text, this));
    whoRow->addWidget(m_text, 2);
    whoRow->addWidget(m_clear);
    grid->addWidget(buddyLabel(tr("&Actor"), m_actor, this), 1, 0);
    grid->addLayout(whoRow, 1, 1);

    m_typing.setSingleShot(true);
    m_typing.setInterval(typingDelayMs);
    connect(&m_typing, &QTimer::timeout, this, &AuditFilterBar::changed);
    connect(m_preset, &QComboBox::currentIndexChanged, this, [this] {
        updateTimeEdits();
        changed();
    });
    connect(m_since, &QDateTimeEdit::dateTimeChanged, this, &AuditFilterBar::changedSoon);
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &AuditFilterBar::changedSoon);
    for (QComboBox* combo : {m_actor, m_role}) {
        connect(combo, &QComboBox::currentIndexChanged, this, &AuditFilterBar::changed);
        connect(combo, &QComboBox::editTextChanged, this, &AuditFilterBar::changedSoon);
    }
    connect(m_actions, &QListWidget::itemChanged, this, [this] {
        updateActionsLabel();
        changedSoon();
    });
    connect(m_resource, &QLineEdit::textChanged, this, &AuditFilterBar::changedSoon);
    connect(m_text, &QLineEdit::textChanged, this, &AuditFilterBar::changedSoon);
    connect(m_resource, &QLineEdit::returnPressed, this, &AuditFilterBar::changed);
    connect(m_text, &QLineEdit::returnPressed, this, &AuditFilterBar::changed);
    connect(m_result, &QComboBox::currentIndexChanged, this, &AuditFilterBar::changed);
    connect(m_clear, &QPushButton::clicked, this, &AuditFilterBar::clear);
    updateTimeEdits();
}

AuditFilter AuditFilterBar::filter() const
{
    AuditFilter f;
    const QDateTime now = Clock::nowUtc();
    switch (TimePreset(m_preset->currentIndex())) {
    case TimePreset::AllTime:
        break;
    case TimePreset::LastHour:
        f.since = now.addSecs(-3600);
        break;
    case TimePreset::LastDay:
        f.since = now.addDays(-1);
        break;
    case TimePreset::LastWeek:
        f.since = now.addDays(-7);
        break;
    case TimePreset::LastMonth:
        f.since = now.addDays(-30);
        break;
    case TimePreset::Custom:
        f.since = m_since->dateTime().toUTC();
        f.until = m_until->dateTime().toUTC();
        break;
    }
    f.actor = chosen(m_actor);
    f.role = chosen(m_role);
    f.actions = selectedActions();
    f.resource = m_resource->text().trimmed();
    f.result = m_result->currentIndex() == 1 ? AuditFilter::Result::Succeeded
        : m_result->currentIndex() == 2      ? AuditFilter::Result::Failed
                                             : AuditFilter::Result::Any;
    f.text = m_text->text().trimmed();
    return f;
}

void AuditFilterBar::setTimePreset(TimePreset preset)
{
    m_preset->setCurrentIndex(int(preset));
}

void AuditFilterBar::setCustomRange(const QDateTime& since, const QDateTime& until)
{
    m_quiet = true;
    m_since->setDateTime(since.toLocalTime());
    m_until->setDateTime(until.toLocalTime());
    m_quiet = false;
    if (m_preset->currentIndex() != int(TimePreset::Custom))
        m_preset->setCurrentIndex(int(TimePreset::Custom)); // emits through changed()
    else
        changed();
}

void AuditFilterBar::setFacets(
    const QStringList& actors, const QStringList& roles, const QStringList& actions)
{
    setChoices(m_actor, tr("Any actor"), actors);
    QStringList namedRoles = roles;
    namedRoles.removeAll(QString()); // entries about no role have '' — "Any role" covers them
    setChoices(m_role, tr("Any role"), namedRoles);
    const QStringList checked = selectedActions();
    m_actions->blockSignals(true);
    m_actions->clear();
    QStringList all = actions + checked;
    all.removeDuplicates();
    all.sort();
    for (const QString& a : std::as_const(all)) {
        auto* item = new QListWidgetItem(a, m_actions);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        item->setCheckState(checked.contains(a) ? Qt::Checked : Qt::Unchecked);
    }
    m_actions->setMinimumHeight(qMin(12, int(all.size()) + 1) * m_actions->fontMetrics().height() * 3 / 2);
    m_actions->blockSignals(false);
    updateActionsLabel();
}

void AuditFilterBar::setActions(const QStringList& actions)
{
    m_actions->blockSignals(true);
    for (const QString& a : actions) {
        if (m_actions->findItems(a, Qt::MatchExactly).isEmpty()) {
            auto* item = new QListWidgetItem(a, m_actions);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        }
    }
    for (int i = 0; i < m_actions->count(); ++i)
        m_actions->item(i)->setCheckState(
            actions.contains(m_actions->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
    m_actions->blockSignals(false);
    updateActionsLabel();
    changed();
}

QStringList AuditFilterBar::selectedActions() const
{
    QStringList out;
    for (int i = 0; i < m_actions->count(); ++i) {
        if (m_actions->item(i)->checkState() == Qt::Checked)
            out << m_actions->item(i)->text();
    }
    return out;
}

void AuditFilterBar::clear()
{
    m_quiet = true;
    m_preset->setCurrentIndex(int(TimePreset::AllTime));
    m_actor->setCurrentIndex(0);
    m_role->setCurrentIndex(0);
    for (int i = 0; i < m_actions->count(); ++i)
        m_actions->item(i)->setCheckState(Qt::Unchecked);
    m_resource->clear();
    m_result->setCurrentIndex(0);
    m_text->clear();
    m_quiet = false;
    updateActionsLabel();
    changed();
}

void AuditFilterBar::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void AuditFilterBar::changed()
{
    if (m_quiet)
        return;
    m_typing.stop();
    emit filterChanged(filter());
}

void AuditFilterBar::changedSoon()
{
    if (!m_quiet)
        m_typing.start();
}

void AuditFilterBar::updateActionsLabel()
{
    const QStringList chosenActions = selectedActions();
    const QString text = chosenActions.isEmpty() ? tr("Any action")
        : chosenActions.size() <= 2              ? chosenActions.join(QStringLiteral(", "))
                                                 : tr("%n actions", nullptr, int(chosenActions.size()));
    m_actionsButton->setText(text);
    m_actionsButton->setToolTip(chosenActions.isEmpty() ? tr("Choose one or more actions")
                                                        : chosenActions.join(QStringLiteral(", ")));
}

void AuditFilterBar::updateTimeEdits()
{
    const bool custom = m_preset->currentIndex() == int(TimePreset::Custom);
    m_since->setEnabled(custom);
    m_until->setEnabled(custom);
}

} // namespace rbac
