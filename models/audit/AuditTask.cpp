#include "audit/AuditTask.h"

#include "audit/AuditLog.h"
#include "audit/AuditWorker.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSaveFile>

#include <climits>

namespace rbac {

namespace {

// Progress at most this often: a signal per page would flood the GUI thread on fast exports.
constexpr qint64 progressIntervalMs = 50;

} // namespace

AuditTask::AuditTask(Kind kind, const QString& databasePath, QObject* parent)
    : QObject(parent)
    , m_kind(kind)
    , m_worker(std::make_unique<AuditWorker>(databasePath))
{
}

AuditTask::~AuditTask()
{
    m_cancel->store(true);
    m_worker.reset();
}

void AuditTask::cancel()
{
    m_cancel->store(true);
}

void AuditTask::finish(bool ok, bool cancelled, qint64 processed, qint64 firstBadId, const QString& message)
{
    m_running = false;
    m_processed = processed;
    m_firstBadId = firstBadId;
    m_cancelledResult = cancelled;
    emit finished(ok, message);
}

AuditTask* AuditTask::startExport(const QString& databasePath,
    const QString& filePath,
    const AuditFilter& filter,
    AuditOrder order,
    AuditExportFormat format,
    QObject* parent)
{
    auto* task = new AuditTask(Kind::Export, databasePath, parent);
    QPointer<AuditTask> self(task);
    const auto cancel = task->m_cancel;
    task->m_worker->post([self, cancel, filePath, filter, order, format](QSqlDatabase& db) {
        QElapsedTimer sinceReport;
        sinceReport.start();
        const auto progress = [&](qint64 done, qint64 total) {
            if (sinceReport.elapsed() >= progressIntervalMs || done == total) {
                sinceReport.restart();
                QMetaObject::invokeMethod(
                    self.data(), [self, done, total] { emit self->progress(done, total); },
                    Qt::QueuedConnection);
            }
            return !cancel->load();
        };
        QSaveFile file(filePath);
        bool ok = false;
        bool cancelled = false;
        qint64 written = 0;
        QString message;
        if (!file.open(QIODevice::WriteOnly)) {
            message = QObject::tr("Cannot write %1: %2").arg(filePath, file.errorString());
        } else {
            Expected<qint64> n = AuditExport::write(db, filter, order, format, file, progress);
            if (n && file.commit()) {
                ok = true;
                written = *n;
                message = QObject::tr("Exported %n entries to %1.", nullptr, int(qMin<qint64>(*n, INT_MAX)))
                              .arg(filePath);
            } else {
                file.cancelWriting();
                cancelled = cancel->load();
                message = cancelled
                    ? QObject::tr("Export cancelled; no file was written.")
                    : QObject::tr("Export failed: %1").arg(n ? file.errorString() : n.status().message());
            }
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, ok, cancelled, written, message] { self->finish(ok, cancelled, written, 0, message); },
            Qt::QueuedConnection);
    });
    return task;
}

AuditTask* AuditTask::startVerify(const QString& databasePath, QObject* parent)
{
    auto* task = new AuditTask(Kind::Verify, databasePath, parent);
    QPointer<AuditTask> self(task);
    const auto cancel = task->m_cancel;
    task->m_worker->post([self, cancel](QSqlDatabase& db) {
        AuditLog log(db);
        const Expected<qint64> counted = log.count();
        const qint64 total = counted ? *counted : 0;
        QElapsedTimer sinceReport;
        sinceReport.start();
        const AuditVerification v = log.verify([&](qint64 done) {
            if (sinceReport.elapsed() >= progressIntervalMs) {
                sinceReport.restart();
                QMetaObject::invokeMethod(
                    self.data(), [self, done, total] { emit self->progress(done, total); },
                    Qt::QueuedConnection);
            }
            return !cancel->load();
        });
        const bool cancelled = !v.intact && v.firstBadId == 0 && cancel->load();
        QString message;
        if (v.intact)
            message = QObject::tr("The audit trail is intact: %n entries checked.", nullptr,
                int(qMin<qint64>(v.entries, INT_MAX)));
        else if (cancelled)
            message = QObject::tr("Verification cancelled after %1 entries.").arg(v.entries);
        else if (v.firstBadId > 0)
            message
                = QObject::tr("The audit trail is BROKEN at entry %1: %2").arg(v.firstBadId).arg(v.problem);
        else
            message = QObject::tr("The audit trail could not be verified: %1").arg(v.problem);
        const qint64 checked = v.entries;
        const qint64 bad = v.firstBadId;
        const bool ok = v.intact;
        QMetaObject::invokeMethod(
            self.data(),
            [self, ok, cancelled, checked, bad, message, total] {
                emit self->progress(checked, total);
                self->finish(ok, cancelled, checked, bad, message);
            },
            Qt::QueuedConnection);
    });
    return task;
}

} // namespace rbac
