#include "audit/AuditTask.h"

#include "audit/AuditImport.h"
#include "audit/AuditLog.h"
#include "audit/AuditWorker.h"
#include "base/Clock.h"
#include "workspace/Workspace.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <QElapsedTimer>
#include <QPointer>
#include <QSaveFile>

#include <climits>

namespace rbac {

namespace {

// Progress at most this often: a signal per page would flood the GUI thread on fast exports.
constexpr qint64 progressIntervalMs = 50;

// Sends a job's (done, total) from the worker to the task's progress() on the GUI thread: at most
// every progressIntervalMs, and always the last step. Says whether the job should go on.
class ProgressSender
{
public:
    ProgressSender(QPointer<AuditTask> task, std::shared_ptr<std::atomic_bool> cancel)
        : m_task(std::move(task))
        , m_cancel(std::move(cancel))
    {
        m_since.start();
    }

    bool operator()(qint64 done, qint64 total)
    {
        if (m_since.elapsed() >= progressIntervalMs || done == total) {
            m_since.restart();
            QPointer<AuditTask> task = m_task;
            QMetaObject::invokeMethod(
                task.data(), [task, done, total] { emit task->progress(done, total); }, Qt::QueuedConnection);
        }
        return !m_cancel->load();
    }

private:
    QPointer<AuditTask> m_task;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QElapsedTimer m_since;
};

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
        ProgressSender send(self, cancel);
        const auto progress = [&send](qint64 done, qint64 total) { return send(done, total); };
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
        ProgressSender send(self, cancel);
        const AuditVerification v = log.verify([&send, total](qint64 done) { return send(done, total); });
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

AuditTask* AuditTask::startImport(const QString& workspaceLocation,
    const QString& filePath,
    const QString& actor,
    const QString& origin,
    QObject* parent)
{
    // The worker's own read-only connection is not used: the import writes through a workspace
    // opened on the worker thread, with the same transaction, lock and chain as every change.
    auto* task = new AuditTask(Kind::Import, workspaceLocation, parent);
    QPointer<AuditTask> self(task);
    const auto cancel = task->m_cancel;
    const QDateTime now = Clock::nowUtc();
    task->m_worker->post([self, cancel, workspaceLocation, filePath, actor, origin, now](QSqlDatabase&) {
        const auto tr = [](const char* text) { return QCoreApplication::translate("AuditTask", text); };
        const QString name = QFileInfo(filePath).fileName();
        ProgressSender send(self, cancel);
        int shownPhase = -1;
        const AuditImport::Progress progress = [&](AuditImport::Phase phase, qint64 done, qint64 total) {
            if (int(phase) != shownPhase) {
                shownPhase = int(phase);
                const QString text = phase == AuditImport::Phase::Reading ? tr("Reading %1…").arg(name)
                    : phase == AuditImport::Phase::Checking              ? tr("Checking every line of %1…").arg(name)
                                                                         : tr("Writing the entries of %1…").arg(name);
                QMetaObject::invokeMethod(
                    self.data(), [self, text] { emit self->phaseChanged(text); }, Qt::QueuedConnection);
            }
            return send(done, total);
        };
        bool ok = false;
        qint64 imported = 0;
        QString message;
        const auto cancelledMessage = [&] { return tr("The import of %1 was cancelled; nothing was written.").arg(name); };
        Expected<AuditImport::Batch> read = AuditImport::readFile(filePath, now, progress);
        if (cancel->load()) {
            message = cancelledMessage();
        } else if (!read) {
            message = tr("%1 was not imported: %2").arg(name, read.status().message());
        } else if (!read->problems.isEmpty()) {
            message = tr("%1 was not imported; nothing was written:").arg(name) + QLatin1Char('\n')
                + AuditImport::describe(read->problems, 10).join(QLatin1Char('\n'));
        } else {
            Expected<std::unique_ptr<Workspace>> opened = Workspace::open(workspaceLocation);
            if (!opened) {
                message = tr("%1 was not imported: %2").arg(name, opened.status().message());
            } else {
                Workspace& workspace = **opened;
                workspace.setActor(actor);
                workspace.setOrigin(origin);
                const Expected<AuditImport::Result> result = AuditImport::apply(workspace, *read, progress);
                if (cancel->load() && !result) {
                    message = cancelledMessage();
                } else if (!result) {
                    message = tr("%1 was not imported: %2").arg(name, result.status().message());
                } else {
                    ok = true;
                    imported = result->entries;
                    message = tr("Imported %1 entries from %2 as entries %3–%4.")
                                  .arg(result->entries)
                                  .arg(name)
                                  .arg(result->firstId)
                                  .arg(result->lastId);
                }
            }
        }
        const bool cancelled = !ok && cancel->load();
        QMetaObject::invokeMethod(
            self.data(),
            [self, ok, cancelled, imported, message] { self->finish(ok, cancelled, imported, 0, message); },
            Qt::QueuedConnection);
    });
    return task;
}

} // namespace rbac
