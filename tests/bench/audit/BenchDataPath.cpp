// The browser's data path, timed on a model no view is attached to: what the ratios against
// sqlite3 compare (same file, same query). Painting is timed apart, in BenchPage.cpp.
#include "items/AuditTableModel.h"
#include "audit/AuditWorker.h"
#include "BenchReport.h"
#include "BenchSupport.h"
#include "SqliteShell.h"

namespace rbac::bench {

namespace {

// Page-downs of a screenful (35 rows) from `start`, `pauseMs` apart (30 ms: keyboard auto-repeat),
// each asking for the visible rows as a paint does, timed until they are all loaded.
QVector<double> pageDowns(AuditTableModel& model, int start, int steps, int pauseMs)
{
    constexpr int screen = 35;
    QVector<double> times;
    if (start < 0 || start + 2 * screen > model.rowCount())
        return times;
    loadRows(model, start, start + screen - 1);
    for (int s = 1; s <= steps && start + (s + 1) * screen <= model.rowCount(); ++s) {
        const int first = start + s * screen;
        idle(pauseMs);
        QElapsedTimer t;
        t.start();
        loadRows(model, first, first + screen - 1);
        times << millisSince(t);
    }
    return times;
}

// The next page when it is not loaded yet (the worst case of a page-down): a keyset read of
// 256 rows next to the loaded ones, on the reader thread, until the rows are in the model.
QVector<double> nextPages(AuditTableModel& model, int start, int count)
{
    QVector<double> times;
    if (start < 0 || start + (count + 2) * AuditTableModel::pageSize > model.rowCount())
        return times;
    loadRows(model, start, start + 34);
    idle(50); // let the look-ahead settle, then step past it
    for (int i = 0; i < count; ++i) {
        int first = start;
        while (model.isRowLoaded(first))
            ++first;
        QElapsedTimer t;
        t.start();
        loadRows(model, first, first);
        times << millisSince(t);
        idle(20);
    }
    return times;
}

// An empty job to the reader thread and back: the floor under every figure above, and what a
// loaded machine's scheduler adds to it.
QVector<double> roundTrips(const QString& path, int count)
{
    AuditWorker worker(path);
    QObject context;
    QVector<double> times;
    for (int i = 0; i < count; ++i) {
        bool back = false;
        QElapsedTimer t;
        t.start();
        worker.post([&context, &back](QSqlDatabase&) {
            QMetaObject::invokeMethod(
                &context, [&back] { back = true; }, Qt::QueuedConnection);
        });
        waitUntil([&] { return back; });
        times << millisSince(t);
        idle(5);
    }
    return times;
}

} // namespace

int measureDataPath(BenchContext& ctx)
{
    BenchReport& report = *ctx.report;
    const SqliteShell& shell = *ctx.shell;
    const int repeat = ctx.quick ? 5 : 100;
    const QString columns = QLatin1String(auditColumns);
    const int days = ctx.quick ? 365 : 7;
    // Page reads get the same page cache as the model's page reader (8 MB), counts SQLite's default
    // like the model's count reader, so both sides read from memory alike.
    const QString cache = QStringLiteral("PRAGMA cache_size = -8192;");

    // Opening: a new model (reader threads, read-only connections) until its first page is in.
    QVector<double> open;
    for (int r = 0; r < ctx.runs; ++r) {
        QElapsedTimer t;
        t.start();
        AuditTableModel fresh(ctx.path);
        if (!waitUntil([&] { return fresh.isRowLoaded(0); }))
            return report.fail(QStringLiteral("the first page never arrived"));
        open << millisSince(t);
    }
    report.add(QStringLiteral("open → first page"), open,
        shell.millisPer(
            QStringLiteral(".open %1\n%3\nSELECT %2 FROM audit_log ORDER BY ts DESC, id DESC LIMIT 256;")
                .arg(ctx.path, columns, cache),
            ctx.quick ? 5 : 50),
        QStringLiteral(".open + SELECT … ORDER BY ts DESC, id DESC LIMIT 256"));

    AuditTableModel model(ctx.path);
    if (!waitUntil([&] { return model.totalCount() >= 0; }))
        return report.fail(QStringLiteral("the count never arrived"));

    // Actor + action + 7 days: until the first page is in, then until it is counted.
    QVector<double> filtered;
    QVector<double> counted;
    for (int r = 0; r < ctx.runs; ++r) {
        model.setFilter(AuditFilter());
        waitUntil([&] { return model.totalCount() >= 0; });
        QElapsedTimer t;
        t.start();
        model.setFilter(weekFilter(days));
        if (!waitUntil([&] { return model.isRowLoaded(0) || model.totalCount() == 0; }))
            return report.fail(QStringLiteral("the filtered page never arrived"));
        filtered << millisSince(t);
        waitUntil([&] { return model.totalCount() >= 0; });
        counted << millisSince(t);
    }
    report.add(QStringLiteral("actor + action + 7 days → first page"), filtered,
        shell.millisPer(
            QStringLiteral("SELECT %1 FROM audit_log WHERE %2 ORDER BY ts DESC, id DESC LIMIT 256;")
                .arg(columns, weekWhere(days)),
            repeat, 3, cache),
        QStringLiteral("same WHERE … ORDER BY ts DESC, id DESC LIMIT 256"));
    const QString weekCount = QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE %1;").arg(weekWhere(days));
    report.add(QStringLiteral("… and its count (from the filter change)"), counted,
        shell.millisPer(weekCount, repeat), QStringLiteral("SELECT COUNT(*) … same WHERE"));
    const qint64 shellCount = shell.run(weekCount).trimmed().toLongLong();
    report.check(QStringLiteral("filtered count"), model.totalCount() == shellCount,
        QStringLiteral("%1 vs sqlite3 %2").arg(model.totalCount()).arg(shellCount));
    QStringList ours;
    for (int r = 0; r < qMin(20, model.rowCount()); ++r)
        ours << QString::number(model.entryAt(r)->id);
    report.check(QStringLiteral("filtered first page"),
        ours.join(QLatin1Char('\n'))
            == shell
                   .run(
                       QStringLiteral("SELECT id FROM audit_log WHERE %1 ORDER BY ts DESC, id DESC LIMIT 20;")
                           .arg(weekWhere(days)))
                   .trimmed(),
        QString());

    // Unfiltered from nothing (first page, count), then a jump to the oldest entries.
    QVector<double> fullCount;
    QVector<double> oldest;
    for (int r = 0; r < ctx.runs; ++r) {
        model.setFilter(AuditFilter());
        QElapsedTimer c;
        c.start();
        model.reload();
        waitUntil([&] { return model.totalCount() >= 0; });
        fullCount << millisSince(c);
        const int rows = model.rowCount();
        QElapsedTimer t;
        t.start();
        if (!loadRows(model, rows - 35, rows - 1))
            return report.fail(QStringLiteral("the oldest entries never arrived"));
        oldest << millisSince(t);
    }
    // The view asks for its screenful (35 rows) first and reads ahead after: compare like with like.
    report.add(QStringLiteral("jump to the oldest entries (a screenful)"), oldest,
        shell.millisPer(QStringLiteral("SELECT %1 FROM audit_log ORDER BY ts, id LIMIT 35;").arg(columns),
            repeat, 3, cache),
        QStringLiteral("SELECT … ORDER BY ts, id LIMIT 35"));
    report.add(QStringLiteral("unfiltered count (reload → counted)"), fullCount,
        shell.millisPer(QStringLiteral("SELECT COUNT(*) FROM audit_log;"), ctx.quick ? 3 : 20),
        QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    report.check(QStringLiteral("oldest entry"),
        QString::number(model.entryAt(model.rowCount() - 1)->id)
            == shell.run(QStringLiteral("SELECT id FROM audit_log ORDER BY ts, id LIMIT 1;")).trimmed(),
        QString());

    report.info(
        QStringLiteral("reader thread round trip, empty job"), roundTrips(ctx.path, ctx.quick ? 5 : 50));

    // Page-to-page at three depths (positioned first; landing far away is not timed here).
    for (const double fraction : {0.0, 0.5, 0.999}) {
        const int start = qMax(0, int(double(model.rowCount() - 8000) * fraction));
        report.addScroll(QStringLiteral("next page not yet loaded, row %1").arg(start),
            nextPages(model, start, ctx.quick ? 2 : 15));
        report.addScroll(QStringLiteral("page-down 30 ms apart, row %1").arg(start + 5000),
            pageDowns(model, start + 5000, ctx.quick ? 3 : 60, 30));
    }
    return 0;
}

} // namespace rbac::bench
