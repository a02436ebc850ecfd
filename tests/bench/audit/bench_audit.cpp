// The audit browser at a million entries, side by side with the sqlite3 shell on the same file.
// See README.md here for the command and what each figure means.
#include "AuditFixture.h"
#include "BenchReport.h"
#include "BenchSupport.h"
#include "SqliteShell.h"
#include "workspace/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

using namespace rbac;
using namespace rbac::bench;

namespace {

int generate(const QString& path, qint64 rows)
{
    test::AuditFixtureOptions options;
    options.entries = rows;
    const Expected<qint64> made = test::generateAuditLog(path, options);
    if (!made) {
        qCritical("generating failed: %s", qPrintable(made.status().message()));
        return 3;
    }
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Audit browser benchmark against the sqlite3 shell."));
    parser.addHelpOption();
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("entries to generate"),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption runsOption(QStringLiteral("runs"),
        QStringLiteral("repetitions per figure (best and median)"), QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption appendsOption(QStringLiteral("appends"),
        QStringLiteral("durable appends to time"), QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption dirOption(QStringLiteral("dir"),
        QStringLiteral("where the workspaces go (reused)"), QStringLiteral("DIR"), QDir::currentPath());
    const QCommandLineOption quickOption(
        QStringLiteral("quick"), QStringLiteral("2,000 rows, one run: proves it works (ctest)"));
    const QCommandLineOption generateOption(
        QStringLiteral("generate"), QStringLiteral("internal: only generate FILE"), QStringLiteral("FILE"));
    parser.addOptions({rowsOption, runsOption, appendsOption, dirOption, quickOption, generateOption});
    parser.process(app);
    const bool quick = parser.isSet(quickOption);
    const qint64 rows = quick ? 2000 : parser.value(rowsOption).toLongLong();
    const int runs = quick ? 1 : qMax(1, parser.value(runsOption).toInt());
    const int appends = quick ? 30 : qMax(10, parser.value(appendsOption).toInt());
    if (parser.isSet(generateOption))
        return generate(parser.value(generateOption), rows);

    BenchReport report(rows, runs);
    QDir dir(parser.value(dirOption));
    dir.mkpath(QStringLiteral("."));
    const QString path = dir.filePath(QStringLiteral("audit-bench-%1.sqlite").arg(rows));
    SqliteShell shell(path);
    if (!shell.isAvailable()) {
        qCritical("the sqlite3 shell is needed (apt-get install sqlite3)");
        return 3;
    }
    if (!QFile::exists(path)
        || shell.run(QStringLiteral("SELECT COUNT(*) FROM audit_log;")).trimmed().toLongLong() != rows + 1) {
        // Generated in a child process, so its memory does not count against the browser's.
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        QElapsedTimer t;
        t.start();
        const int rc = QProcess::execute(QCoreApplication::applicationFilePath(),
            {QStringLiteral("--generate"), path, QStringLiteral("--rows"), QString::number(rows)});
        if (rc != 0)
            return 3;
        report.note(QStringLiteral("generated %1 entries over 2025 in %2 s (chained, indexed)")
                        .arg(rows)
                        .arg(millisSince(t) / 1000, 0, 'f', 1));
    }
    auto opened = Workspace::open(path);
    if (!opened) {
        qCritical("%s", qPrintable(opened.status().message()));
        return 3;
    }
    BenchContext ctx;
    ctx.path = path;
    ctx.workspace = opened->get();
    ctx.shell = &shell;
    ctx.report = &report;
    ctx.runs = runs;
    ctx.quick = quick;
    if (int rc = measureDataPath(ctx); rc != 0)
        return rc;
    if (int rc = measureThroughPage(ctx); rc != 0)
        return rc;
    if (int rc = measureAppends(ctx, dir.absolutePath(), appends); rc != 0)
        return rc;
    return report.print();
}
