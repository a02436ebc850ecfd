#pragma once

#include "audit/AuditExport.h"
#include "audit/AuditFilter.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace rbac {

class AuditWorker;

// A long job on the audit log — an export, a walk of the hash chain, or an import of service
// entries — on its own thread and connection, reporting progress and honouring cancel. The browser
// shows it with a progress dialog; the GUI thread never waits for it. Destroying the task cancels
// the job and waits for its thread, so a page that goes away leaves nothing running.
class AuditTask : public QObject
{
    Q_OBJECT

public:
    enum class Kind
    {
        Export,
        Verify,
        Import,
    };

    // Writes the entries `filter` matches, in `order`, to `filePath` (replaced atomically: a
    // cancelled or failed export leaves no partial file).
    static AuditTask* startExport(const QString& databasePath,
        const QString& filePath,
        const AuditFilter& filter,
        AuditOrder order,
        AuditExportFormat format,
        QObject* parent = nullptr);
    // Walks the whole chain and names the first entry that does not match.
    static AuditTask* startVerify(const QString& databasePath, QObject* parent = nullptr);
    // Reads, checks and appends the JSON Lines file `filePath` (AuditImport) through a workspace
    // connection of its own on the worker thread, recorded as `actor` with `origin`: all in one
    // transaction, so a failed or cancelled import (in any phase) writes nothing.
    static AuditTask* startImport(const QString& workspaceLocation,
        const QString& filePath,
        const QString& actor,
        const QString& origin,
        QObject* parent = nullptr);

    ~AuditTask() override; // cancels and waits for the thread

    Kind kind() const { return m_kind; }
    bool isRunning() const { return m_running; }
    // After finished(): entries written/checked, and for a broken chain the first bad entry.
    qint64 processed() const { return m_processed; }
    qint64 firstBadId() const { return m_firstBadId; }
    bool wasCancelled() const { return m_cancelledResult; }

public slots:
    void cancel();

signals:
    void progress(qint64 done, qint64 total);
    // What the job is doing now, for people ("Reading the file…"); imports have three phases.
    void phaseChanged(const QString& text);
    // ok: exported / intact. `message` is a sentence for people either way.
    void finished(bool ok, const QString& message);

private:
    AuditTask(Kind kind, const QString& databasePath, QObject* parent);
    void finish(bool ok, bool cancelled, qint64 processed, qint64 firstBadId, const QString& message);

    Kind m_kind;
    std::unique_ptr<AuditWorker> m_worker;
    std::shared_ptr<std::atomic_bool> m_cancel = std::make_shared<std::atomic_bool>(false);
    bool m_running = true;
    qint64 m_processed = 0;
    qint64 m_firstBadId = 0;
    bool m_cancelledResult = false;
};

} // namespace rbac
