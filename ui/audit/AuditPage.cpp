#include "audit/AuditPage.h"

#include "widgets/NoticeBanner.h"

#include "audit/AuditChart.h"
#include "audit/AuditDetails.h"
#include "audit/AuditFilterBar.h"
#include "audit/AuditStats.h"
#include "items/AuditTableModel.h"
#include "audit/AuditTask.h"
#include "widgets/FileDialog.h"
#include "workspace/Workspace.h"

#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>
#include <optional>

#include <climits>

namespace rbac {

namespace {

// Failed entries in red, so a run of denials stands out while scrolling.
class ResultDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const QVariant success = index.data(AuditTableModel::SuccessRole);
        if (success.isValid() && !success.toBool())
            option->palette.setColor(QPalette::Text, QColor(190, 30, 30));
    }
};

// Appends after which the chart and the filter choices are refreshed, at most this often.
constexpr int statsRefreshMs = 2000;

} // namespace

AuditPage::AuditPage(Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_model(new AuditTableModel(workspace->path(), this))
    , m_stats(new AuditStats(workspace->path(), this))
    , m_filters(new AuditFilterBar(this))
    , m_table(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_chart(new AuditChart(this))
    , m_count(new QLabel(this))
    , m_status(new QLabel(this))
    , m_order(new QComboBox(this))
    , m_importButton(new QPushButton(tr("&Import…"), this))
    , m_exportButton(new QPushButton(tr("&Export…"), this))
    , m_verifyButton(new QPushButton(tr("&Verify integrity"), this))
    , m_importAction(new QAction(tr("Import &Audit Entries…"), this))
    , m_exportAction(new QAction(tr("&Export Audit Entries…"), this))
    , m_verifyAction(new QAction(tr("&Verify Audit Integrity"), this))
{
    setObjectName(QStringLiteral("auditPage"));
    setAccessibleName(tr("Audit trail"));

    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setAccessibleName(tr("Audit entries"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new ResultDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    // Fixed row heights: the view never measures a million rows to lay them out.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->setCornerButtonEnabled(false);
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSortIndicatorShown(true);
    header->setSortIndicator(AuditTableModel::TimeColumn, Qt::DescendingOrder);
    header->setSectionsClickable(true);
    for (auto [column, chars] : {std::pair {AuditTableModel::TimeColumn, 20},
             std::pair {AuditTableModel::ActorColumn, 14}, std::pair {AuditTableModel::RoleColumn, 12},
             std::pair {AuditTableModel::ActionColumn, 16}, std::pair {AuditTableModel::ResourceColumn, 26}})
        header->resizeSection(column, m_table->fontMetrics().averageCharWidth() * chars);
    // Digits are wider than the average character: size the time column on a real timestamp,
    // plus room for the cell margins and the sort indicator.
    header->resizeSection(AuditTableModel::TimeColumn,
        m_table->fontMetrics().horizontalAdvance(QStringLiteral("8888-88-88 88:88:88")) + 32);

    m_order->setObjectName(QStringLiteral("auditOrder"));
    m_order->setAccessibleName(tr("Sort order"));
    m_order->addItems({tr("Newest first"), tr("Oldest first")});
    m_details->setObjectName(QStringLiteral("auditDetails"));
    m_details->setAccessibleName(tr("Entry details"));
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_details->setPlaceholderText(tr("Select an entry to see who changed what, and its details."));
    m_count->setObjectName(QStringLiteral("auditCount"));
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setAccessibleName(tr("Result of the last import, export or verification"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_importButton->setObjectName(QStringLiteral("auditImport"));
    m_importButton->setAccessibleName(tr("Import audit entries"));
    m_exportButton->setObjectName(QStringLiteral("auditExport"));
    m_exportButton->setAccessibleName(tr("Export the filtered entries"));
    m_verifyButton->setObjectName(QStringLiteral("auditVerify"));
    m_verifyButton->setAccessibleName(tr("Verify the integrity of the audit trail"));
    m_importAction->setObjectName(QStringLiteral("auditImportAction"));
    m_exportAction->setObjectName(QStringLiteral("auditExportAction"));
    m_verifyAction->setObjectName(QStringLiteral("auditVerifyAction"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_count);
    bar->addStretch();
    auto* orderLabel = new QLabel(tr("S&ort"), this);
    orderLabel->setBuddy(m_order);
    bar->addWidget(orderLabel);
    bar->addWidget(m_order);
    bar->addWidget(m_importButton);
    bar->addWidget(m_exportButton);
    bar->addWidget(m_verifyButton);

    auto* sideBySide = new QSplitter(Qt::Horizontal, this);
    sideBySide->setObjectName(QStringLiteral("auditSplitter"));
    sideBySide->addWidget(m_table);
    sideBySide->addWidget(m_details);
    sideBySide->setStretchFactor(0, 3);
    sideBySide->setStretchFactor(1, 2);
    auto* stacked = new QSplitter(Qt::Vertical, this);
    stacked->setObjectName(QStringLiteral("auditChartSplitter"));
    stacked->addWidget(sideBySide);
    stacked->addWidget(m_chart);
    stacked->setStretchFactor(0, 4);
    stacked->setStretchFactor(1, 1);

    m_guide = new NoticeBanner(QStringLiteral("auditGuide"), this);
    m_guide->hide();
    connect(m_guide, &NoticeBanner::actionTriggered, this, [this] {
        if (m_filters->filter().isEmpty())
            importFile();
        else
            m_filters->clear();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_guide);
    layout->addWidget(m_filters);
    layout->addLayout(bar);
    layout->addWidget(stacked, 1);
    layout->addWidget(m_status);
    setTabOrder(m_filters, m_order);
    setTabOrder(m_order, m_importButton);
    setTabOrder(m_importButton, m_exportButton);
    setTabOrder(m_exportButton, m_verifyButton);
    setTabOrder(m_verifyButton, m_table);
    setTabOrder(m_table, m_details);

    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(find);
    connect(find, &QAction::triggered, m_filters, &AuditFilterBar::focusText);

    connect(m_importButton, &QPushButton::clicked, this, [this] { importFile(); });
    connect(m_exportButton, &QPushButton::clicked, this, [this] { exportToFile(); });
    connect(m_verifyButton, &QPushButton::clicked, this, &AuditPage::verifyIntegrity);
    connect(m_importAction, &QAction::triggered, this, [this] { importFile(); });
    connect(m_exportAction, &QAction::triggered, this, [this] { exportToFile(); });
    connect(m_verifyAction, &QAction::triggered, this, &AuditPage::verifyIntegrity);
    connect(m_order, &QComboBox::currentIndexChanged, this, &AuditPage::setOrderFromCombo);
    connect(header, &QHeaderView::sectionClicked, this, [this](int section) {
        // Only time sorts: a click on it flips the order, a click elsewhere changes nothing.
        if (section == AuditTableModel::TimeColumn)
            m_order->setCurrentIndex(m_order->currentIndex() == 0 ? 1 : 0);
        else
            setOrderFromCombo();
    });
    connect(m_filters, &AuditFilterBar::filterChanged, this, &AuditPage::applyFilter);
    connect(m_model, &AuditTableModel::countChanged, this, &AuditPage::showCount);
    connect(
        m_model, &AuditTableModel::errorOccurred, this, [this](const QString& m) { showStatus(m, true); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &AuditPage::showDetails);
    connect(m_model, &AuditTableModel::rowsLoaded, this, [this](int first, int last) {
        const int row = m_table->currentIndex().row();
        if (row >= first && row <= last)
            showDetails();
    });
    connect(m_model, &AuditTableModel::located, this, [this](qint64 id, int row) {
        if (id != m_pendingLocate || row < 0)
            return;
        m_pendingLocate = 0;
        const QModelIndex index = m_model->index(row, 0);
        m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
        m_table->setCurrentIndex(index);
    });
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditPage::showDetails);
    connect(m_stats, &AuditStats::facetsReady, m_filters, &AuditFilterBar::setFacets);
    connect(m_stats, &AuditStats::activityReady, m_chart, &AuditChart::setBuckets);
    connect(m_stats, &AuditStats::errorOccurred, this, [this](const QString& m) { showStatus(m, true); });
    // Appends from this process arrive at once; other programs' through the model's own polling.
    connect(m_workspace, &Workspace::auditAppended, m_model, &AuditTableModel::notifyAppended);
    connect(m_workspace, &Workspace::auditAppended, this, [this] {
        if (!m_refreshStats.isActive())
            m_refreshStats.start();
    });
    m_refreshStats.setSingleShot(true);
    m_refreshStats.setInterval(statsRefreshMs);
    connect(&m_refreshStats, &QTimer::timeout, this, [this] {
        m_stats->requestFacets();
        m_stats->requestActivity(m_model->filter());
    });

    showCount(-1);
    m_stats->requestFacets();
    m_stats->requestActivity(m_model->filter());
}

AuditPage::~AuditPage()
{
    if (m_task)
        m_task->cancel();
}

QString AuditPage::statusText() const
{
    return m_status->text();
}

void AuditPage::applyFilter()
{
    const AuditFilter filter = m_filters->filter();
    m_model->setFilter(filter);
    m_stats->requestActivity(filter);
}

void AuditPage::setOrderFromCombo()
{
    const bool newest = m_order->currentIndex() == 0;
    m_table->horizontalHeader()->setSortIndicator(
        AuditTableModel::TimeColumn, newest ? Qt::DescendingOrder : Qt::AscendingOrder);
    m_model->setOrder(newest ? AuditOrder::NewestFirst : AuditOrder::OldestFirst);
}

void AuditPage::showCount(qint64 count)
{
    m_count->setText(
        count < 0 ? tr("Counting…") : tr("%Ln matching entries", nullptr, int(qMin<qint64>(count, INT_MAX))));
    m_count->setAccessibleName(m_count->text());
    updateGuide(count);
}

void AuditPage::updateGuide(qint64 count)
{
    if (count != 0) {
        m_guide->hide();
        return;
    }
    if (m_filters->filter().isEmpty()) {
        m_guide->showMessage(NoticeBanner::Kind::Info,
            tr("Nothing recorded yet. Every change made here or with klaviyo-rbac appears in this trail, "
               "newest first, hash-chained so tampering shows. Services that enforce the policy can add "
               "their own entries from a JSON Lines file."));
        m_guide->setActionText(tr("Import entries…"));
    } else {
        m_guide->showMessage(NoticeBanner::Kind::Info, tr("No entries match these filters."));
        m_guide->setActionText(tr("Clear filters"));
    }
}

void AuditPage::showDetails()
{
    const int row = m_table->currentIndex().row();
    if (row < 0) {
        m_details->clear();
        return;
    }
    const std::optional<AuditEntry> entry = m_model->entryAt(row);
    if (!entry) {
        m_details->setPlainText(tr("Loading…"));
        return;
    }
    m_details->setPlainText(AuditDetails::describe(*entry) + QStringLiteral("\n\n") + tr("Details (JSON):")
        + QLatin1Char('\n') + AuditDetails::prettyJson(entry->details));
}

void AuditPage::showStatus(const QString& text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #b01e1e;") : QString());
    m_status->setAccessibleName(text);
}

void AuditPage::importFile(const QString& given)
{
    if (m_task)
        return; // one long task at a time
    QString path = given;
    if (path.isEmpty()) {
        path = FileDialog::getOpenFileName(this, tr("Import Audit Entries"), QString(),
            tr("JSON Lines (*.jsonl *.ndjson *.json);;All files (*)"));
        if (path.isEmpty())
            return;
    }
    // Read, checked and written on the task's thread, in one transaction: the window stays live,
    // and a cancel in any phase imports nothing.
    AuditTask* task = AuditTask::startImport(
        m_workspace->path(), path, m_workspace->actor(), m_workspace->origin(), this);
    connect(task, &AuditTask::finished, this, [this](bool ok, const QString& message) {
        // The entries came through the task's own connection: let this one see them now.
        if (const Status s = m_workspace->refresh(); !s)
            showStatus(tr("The imported entries cannot be shown yet: %1").arg(s.message()), true);
        emit importFinished(ok, message);
    });
    runTask(task, tr("Importing %1…").arg(QFileInfo(path).fileName()));
}

void AuditPage::exportToFile(const QString& given, const QString& givenFormat)
{
    if (m_task)
        return; // one long task at a time
    QString path = given;
    QString format = givenFormat;
    if (path.isEmpty()) {
        // The file's extension picks the format.
        path = FileDialog::getSaveFileName(this, tr("Export Audit Entries"), QStringLiteral("audit.csv"),
            tr("CSV (*.csv);;JSON Lines (*.jsonl)"), QStringLiteral("csv"));
        if (path.isEmpty())
            return;
    }
    if (format.isEmpty())
        format = path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive) ? QStringLiteral("jsonl")
                                                                             : QStringLiteral("csv");
    const std::optional<AuditExportFormat> f = AuditExport::formatFromName(format);
    if (!f) {
        const QString message = tr("Unknown export format '%1' (use csv or jsonl).").arg(format);
        showStatus(message, true);
        emit exportFinished(false, message);
        return;
    }
    AuditTask* task
        = AuditTask::startExport(m_workspace->path(), path, m_model->filter(), m_model->order(), *f, this);
    connect(task, &AuditTask::finished, this, &AuditPage::exportFinished);
    runTask(task, tr("Exporting audit entries…"));
}

void AuditPage::verifyIntegrity()
{
    if (m_task)
        return;
    AuditTask* task = AuditTask::startVerify(m_workspace->path(), this);
    connect(task, &AuditTask::finished, this, [this, task](bool ok, const QString&) {
        if (!ok && task->firstBadId() > 0) {
            // Show the broken entry when the current filter includes it.
            m_pendingLocate = task->firstBadId();
            m_model->locate(task->firstBadId());
        }
    });
    connect(task, &AuditTask::finished, this, &AuditPage::verifyFinished);
    runTask(task, tr("Verifying the hash chain…"));
}

void AuditPage::runTask(AuditTask* task, const QString& title)
{
    m_task = task;
    setTaskActionsEnabled(false);
    showStatus(title, false);
    auto* dialog = new QProgressDialog(title, tr("Cancel"), 0, 0, this);
    dialog->setObjectName(QStringLiteral("auditProgress"));
    dialog->setAccessibleName(title);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(400); // quick tasks finish without a flashing dialog
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    m_progress = dialog;
    connect(dialog, &QProgressDialog::canceled, task, &AuditTask::cancel);
    connect(task, &AuditTask::phaseChanged, dialog, &QProgressDialog::setLabelText);
    connect(task, &AuditTask::progress, dialog, [dialog](qint64 done, qint64 total) {
        dialog->setMaximum(int(qMin<qint64>(total, INT_MAX)));
        dialog->setValue(int(qMin<qint64>(done, INT_MAX)));
    });
    connect(task, &AuditTask::finished, this, [this, task, dialog](bool ok, const QString& message) {
        m_task = nullptr; // free for the next task now, not when deleteLater gets round to it
        dialog->deleteLater();
        task->deleteLater();
        setTaskActionsEnabled(true);
        showStatus(message, !ok);
    });
}

void AuditPage::setTaskActionsEnabled(bool enabled)
{
    for (QWidget* w : {static_cast<QWidget*>(m_importButton), static_cast<QWidget*>(m_exportButton),
             static_cast<QWidget*>(m_verifyButton)})
        w->setEnabled(enabled);
    for (QAction* a : {m_importAction, m_exportAction, m_verifyAction})
        a->setEnabled(enabled);
}

} // namespace rbac
