#include "BenchSupport.h"

#include "items/AuditTableModel.h"
#include "BenchReport.h"
#include "SqliteShell.h"
#include "workspace/Workspace.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

namespace rbac::bench {

const char* const auditColumns = "id, ts, actor, role, action, resource, success, details, prev_hash, hash";

namespace {

QDateTime weekStart(int days)
{
    return days >= 365 ? QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC)
                       : QDateTime(QDate(2025, 6, 2), QTime(0, 0), Qt::UTC);
}

} // namespace

AuditFilter weekFilter(int days)
{
    AuditFilter f;
    f.actor = QStringLiteral("alice");
    f.actions = {QStringLiteral("grant")};
    f.since = weekStart(days);
    f.until = f.since.addDays(days);
    return f;
}

QString weekWhere(int days)
{
    const auto iso = [](const QDateTime& t) {
        return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    };
    return QStringLiteral("actor = 'alice' AND action IN ('grant') AND ts >= '%1' AND ts < '%2'")
        .arg(iso(weekStart(days)), iso(weekStart(days).addDays(days)));
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    QTimer tick; // wakes WaitForMoreEvents now and then so the timeout is noticed
    tick.start(50);
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

void idle(int ms)
{
    // An event loop that sleeps until something happens: a busy loop here would take the CPU
    // the reader threads are timed on.
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double millisSince(const QElapsedTimer& t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

bool loadRows(AuditTableModel& model, int first, int last)
{
    // A view's paint asks for every visible row, loaded or not; that is also what lets the model
    // load ahead of the rows shown.
    model.prefetch(first, last);
    const auto loaded = [&] {
        for (int r = first; r <= last; ++r) {
            if (!model.isRowLoaded(r))
                return false;
        }
        return true;
    };
    return waitUntil(loaded);
}

// Durable appends through the chain vs plain INSERTs in the sqlite3 shell, both WAL with
// synchronous=FULL, into fresh workspaces of the same schema. Batches alternate so that disk and
// CPU load from other programs falls on both alike.
int measureAppends(BenchContext& ctx, const QString& dir, int appends)
{
    const QString chainPath = dir + QStringLiteral("/append-chain.sqlite");
    const QString plainPath = dir + QStringLiteral("/append-plain.sqlite");
    for (const QString& f : {chainPath, plainPath}) {
        for (const char* suffix : {"", "-wal", "-shm"})
            QFile::remove(f + QLatin1String(suffix));
    }
    auto chain = Workspace::open(chainPath);
    {
        auto plain = Workspace::open(plainPath); // same schema and indexes; closed again here
        if (!chain || !plain)
            return ctx.report->fail(QStringLiteral("cannot create the append workspaces"));
    }
    SqliteShell plainShell(plainPath);
    const int batches = ctx.quick ? 1 : 5;
    const int perBatch = qMax(1, appends / batches);
    double chainMs = 0;
    double plainMs = 0;
    int nextPlainId = 2; // 1 is workspace.create
    for (int b = 0; b < batches; ++b) {
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < perBatch; ++i) {
            if (!(*chain)->recordEvent(QStringLiteral("api.request"), QStringLiteral("service"),
                    QStringLiteral("api:profiles"), true, {{QStringLiteral("n"), i}}))
                return ctx.report->fail(QStringLiteral("an append failed"));
        }
        chainMs += millisSince(t);
        QString inserts = QStringLiteral("PRAGMA synchronous = FULL;\n");
        for (int i = 0; i < perBatch; ++i) {
            inserts += QStringLiteral(
                "INSERT INTO audit_log (id, ts, actor, role, action, resource, success, details, "
                "prev_hash, hash) VALUES (%1, strftime('%Y-%m-%dT%H:%M:%fZ','now'), 'root', "
                "'service', 'api.request', 'api:profiles', 1, '{\"n\":%1,\"origin\":\"cli\"}', "
                "'%2', '%2');\n")
                           .arg(nextPlainId++)
                           .arg(QString(64, QLatin1Char('a')));
        }
        const double ms = plainShell.millisPer(inserts, 1, 1);
        if (ms < 0)
            return ctx.report->fail(QStringLiteral("the sqlite3 shell failed to insert"));
        plainMs += ms;
    }
    ctx.report->appends(batches * perBatch, chainMs, plainMs);
    ctx.report->check(QStringLiteral("chain after appends"), (*chain)->auditLog().verify().intact, QString());
    return 0;
}

} // namespace rbac::bench
