#include "audit/AuditWorker.h"

#include "workspace/WorkspaceLocation.h"

#include <QAtomicInt>
#include <QLibrary>
#include <QMutexLocker>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

namespace rbac {

namespace {

QAtomicInt connectionCounter;

using InterruptFn = void (*)(void*);

// sqlite3_interrupt from the libsqlite3 Qt's driver already loaded, so no SQLite headers or
// link-time dependency are needed; null if the driver carries its own copy of SQLite.
InterruptFn interruptFunction()
{
    static const InterruptFn fn
        = reinterpret_cast<InterruptFn>(QLibrary::resolve(QStringLiteral("sqlite3"), 0, "sqlite3_interrupt"));
    return fn;
}

void* nativeHandle(const QSqlDatabase& db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<void* const*>(handle.constData());
}

} // namespace

AuditWorker::AuditWorker(QString databasePath, int cacheKiB)
    : m_path(std::move(databasePath))
    , m_cacheKiB(cacheKiB)
{
    m_thread.reset(QThread::create([this] { loop(); }));
    m_thread->setObjectName(QStringLiteral("audit-reader"));
    m_thread->start();
}

AuditWorker::~AuditWorker()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_queue.clear();
        if (m_running && m_handle && interruptFunction())
            interruptFunction()(m_handle);
        m_wake.wakeAll();
    }
    m_thread->wait();
}

void AuditWorker::post(Job job, int coalesceKey)
{
    QMutexLocker lock(&m_mutex);
    if (coalesceKey >= 0) {
        for (Queued& q : m_queue) {
            if (q.key == coalesceKey) {
                q.job = std::move(job);
                return;
            }
        }
    }
    m_queue.push_back({std::move(job), coalesceKey});
    m_wake.wakeOne();
}

void AuditWorker::interrupt(int coalesceKey)
{
    QMutexLocker lock(&m_mutex);
    if (coalesceKey >= 0 && m_running && m_runningKey == coalesceKey && m_handle && interruptFunction())
        interruptFunction()(m_handle);
}

QSqlDatabase AuditWorker::openReadConnection(const QString& databasePath, QString* error, int cacheKiB)
{
    const QString name = QStringLiteral("rbac-audit-read-%1").arg(connectionCounter.fetchAndAddOrdered(1));
    const Expected<WorkspaceLocation> location = WorkspaceLocation::parse(databasePath);
    if (location && location->engine == SqlEngine::PostgreSQL) {
        // A team workspace: its own session, read-only, so the browser never changes the trail.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(location->host);
        db.setPort(location->port);
        db.setDatabaseName(location->database);
        db.setUserName(location->user);
        db.setConnectOptions(location->connectOptions);
        if (!db.open()) {
            if (error)
                *error = db.lastError().text();
            return db;
        }
        QSqlQuery(db).exec(QStringLiteral("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));
        return db;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(databasePath);
    // Read-only: the browser can never change the trail it shows. The busy timeout covers the
    // brief moments a checkpoint or recovery holds the WAL index.
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        if (error)
            *error = db.lastError().text();
        return db;
    }
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA cache_size = -%1").arg(cacheKiB));
    return db;
}

void AuditWorker::closeReadConnection(QSqlDatabase& db)
{
    const QString name = db.connectionName();
    db.close();
    db = QSqlDatabase();
    if (!name.isEmpty())
        QSqlDatabase::removeDatabase(name);
}

void AuditWorker::loop()
{
    QString error;
    QSqlDatabase db = openReadConnection(m_path, &error, m_cacheKiB);
    {
        QMutexLocker lock(&m_mutex);
        m_handle = nativeHandle(db);
    }
    for (;;) {
        Queued next;
        {
            QMutexLocker lock(&m_mutex);
            while (m_queue.empty() && !m_stopping)
                m_wake.wait(&m_mutex);
            if (m_stopping)
                break;
            next = std::move(m_queue.front());
            m_queue.pop_front();
            m_running = true;
            m_runningKey = next.key;
        }
        // A connection that failed to open makes every query fail with its error: jobs report it.
        next.job(db);
        QMutexLocker lock(&m_mutex);
        m_running = false;
    }
    {
        QMutexLocker lock(&m_mutex);
        m_handle = nullptr;
    }
    closeReadConnection(db);
}

} // namespace rbac
