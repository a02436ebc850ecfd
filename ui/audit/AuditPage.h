#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressDialog;
class QPushButton;
class QTableView;

namespace rbac {

class AuditChart;
class AuditFilterBar;
class AuditStats;
class AuditTableModel;
class AuditTask;
class NoticeBanner;
class Workspace;

// The audit trail browser: filters, the entries newest first (fast at a million), the selected
// entry's details with a readable before/after, an activity chart, export, import and "Verify
// integrity". All reading happens on background threads with their own read-only connections;
// only an import writes, through the workspace.
class AuditPage : public QWidget
{
    Q_OBJECT

public:
    explicit AuditPage(Workspace* workspace, QWidget* parent = nullptr);
    ~AuditPage() override;

    AuditTableModel* model() const { return m_model; }
    AuditFilterBar* filterBar() const { return m_filters; }
    // For the main window's File menu (File → Import audit entries…).
    QAction* importAction() const { return m_importAction; }
    QAction* exportAction() const { return m_exportAction; }
    QAction* verifyAction() const { return m_verifyAction; }
    // The last result of an import, export or verification, as shown on the page.
    QString statusText() const;

public slots:
    // Imports a JSON Lines file of service audit entries; asks for the file when `path` is empty.
    void importFile(const QString& path = QString());
    // Exports what the filter shows; asks for the file when `path` is empty. `format`: "csv" or
    // "jsonl" (empty: from the file name).
    void exportToFile(const QString& path = QString(), const QString& format = QString());
    void verifyIntegrity();

signals:
    void importFinished(bool ok, const QString& message);
    void exportFinished(bool ok, const QString& message);
    void verifyFinished(bool ok, const QString& message);

private:
    void applyFilter();
    void showCount(qint64 count);
    void setTaskActionsEnabled(bool enabled);
    void updateGuide(qint64 count);
    void showDetails();
    void showStatus(const QString& text, bool problem);
    void runTask(AuditTask* task, const QString& title);
    void setOrderFromCombo();

    Workspace* m_workspace;
    AuditTableModel* m_model;
    AuditStats* m_stats;
    AuditFilterBar* m_filters;
    QTableView* m_table;
    QPlainTextEdit* m_details;
    AuditChart* m_chart;
    QLabel* m_count;
    QLabel* m_status;
    QComboBox* m_order;
    QPushButton* m_importButton;
    QPushButton* m_exportButton;
    QPushButton* m_verifyButton;
    QAction* m_importAction;
    QAction* m_exportAction;
    QAction* m_verifyAction;
    QPointer<AuditTask> m_task;
    QPointer<QProgressDialog> m_progress;
    QTimer m_refreshStats; // coalesces chart/facet refreshes after appends
    qint64 m_pendingLocate = 0;
    NoticeBanner* m_guide = nullptr; // nothing recorded, or nothing matches the filter
};

} // namespace rbac
