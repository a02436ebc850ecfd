#pragma once

#include <QMutex>
#include <QSqlDatabase>
#include <QString>
#include <QWaitCondition>

#include <deque>
#include <functional>
#include <memory>

class QThread;

namespace rbac {

// A thread with its own read-only connection to a workspace file, running jobs one at a time in
// the order posted. A QSqlDatabase connection may only be used by the thread that opened it, and
// in WAL mode a reader never blocks a writer, so the browser reads here without ever holding up
// the GUI or an append. Jobs deliver their results with QMetaObject::invokeMethod(receiver, …,
// Qt::QueuedConnection); the receiver must destroy its workers before itself.
class AuditWorker
{
public:
    using Job = std::function<void(QSqlDatabase& db)>;

    // `cacheKiB`: SQLite's page cache for this connection (its default is 2 MB).
    explicit AuditWorker(QString databasePath, int cacheKiB = 2048);
    // Lets the running job finish (interrupting its statement), drops queued jobs, closes the connection.
    ~AuditWorker();
    AuditWorker(const AuditWorker&) = delete;
    AuditWorker& operator=(const AuditWorker&) = delete;

    // Queues `job`. With a `coalesceKey` >= 0 a queued, not yet started job with the same key is
    // replaced: a count for an old filter is not worth running once a new one is asked for.
    void post(Job job, int coalesceKey = -1);

    // Stops the statement the running job is executing if that job was posted with `coalesceKey`
    // (sqlite3_interrupt; the job sees an "interrupted" error). For counts that went stale.
    void interrupt(int coalesceKey);

    // Opens a read-only connection with a unique name on the calling thread; close it with
    // closeReadConnection(). Also used by the benchmark and tests.
    static QSqlDatabase openReadConnection(const QString& databasePath, QString* error, int cacheKiB = 2048);
    static void closeReadConnection(QSqlDatabase& db);

private:
    struct Queued
    {
        Job job;
        int key;
    };
    void loop();

    QString m_path;
    int m_cacheKiB;
    QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Queued> m_queue;
    bool m_stopping = false;
    bool m_running = false;
    int m_runningKey = -1;
    void* m_handle = nullptr; // the connection's sqlite3*, for sqlite3_interrupt
    std::unique_ptr<QThread> m_thread;
};

} // namespace rbac
