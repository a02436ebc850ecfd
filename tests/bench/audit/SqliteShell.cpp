#include "SqliteShell.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>

#include <algorithm>
#include <limits>

namespace rbac::bench {

SqliteShell::SqliteShell(QString databasePath)
    : m_path(std::move(databasePath))
    , m_program(QStandardPaths::findExecutable(QStringLiteral("sqlite3")))
{
}

QString SqliteShell::run(const QString& script) const
{
    QProcess p;
    p.start(m_program, {QStringLiteral("-batch"), m_path});
    if (!p.waitForStarted())
        return {};
    p.write(script.toUtf8());
    p.closeWriteChannel();
    if (!p.waitForFinished(600000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

double SqliteShell::wallMillis(const QString& script) const
{
    QProcess p;
    p.setStandardOutputFile(QProcess::nullDevice());
    // The script goes in through a pipe written before timing starts, so the measured span is
    // the shell's own work (and its start-up, which the zero-repeat run subtracts).
    p.start(m_program, {QStringLiteral("-batch"), m_path});
    if (!p.waitForStarted())
        return -1;
    QElapsedTimer timer;
    timer.start();
    p.write(script.toUtf8());
    p.closeWriteChannel();
    if (!p.waitForFinished(600000) || p.exitCode() != 0)
        return -1;
    return double(timer.nsecsElapsed()) / 1e6;
}

double SqliteShell::millisPer(const QString& statements, int repeat, int tries, const QString& setup) const
{
    if (!isAvailable())
        return -1;
    const QString prologue = setup + QStringLiteral("\n.output /dev/null\n");
    QString body = prologue;
    for (int i = 0; i < repeat; ++i)
        body += statements + QLatin1Char('\n');
    double best = std::numeric_limits<double>::max();
    double bestBase = std::numeric_limits<double>::max();
    for (int t = 0; t < tries; ++t) {
        const double base = wallMillis(prologue);
        const double full = wallMillis(body);
        if (base < 0 || full < 0)
            return -1;
        bestBase = std::min(bestBase, base);
        best = std::min(best, full);
    }
    return std::max(0.0, (best - bestBase) / repeat);
}

} // namespace rbac::bench
