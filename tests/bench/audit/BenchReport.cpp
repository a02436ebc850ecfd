#include "BenchReport.h"

#include <QFile>
#include <QRegularExpression>
#include <QThread>

#include <algorithm>
#include <cstdio>

namespace rbac::bench {

namespace {

double median(QVector<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.at(v.size() / 2);
}

double best(const QVector<double>& v)
{
    return v.isEmpty() ? 0 : *std::min_element(v.cbegin(), v.cend());
}

QString ms(double value)
{
    return value < 10 ? QString::number(value, 'f', 2) + QStringLiteral(" ms")
                      : QString::number(value, 'f', 1) + QStringLiteral(" ms");
}

qint64 statusKb(const char* field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QRegularExpression re(
        QStringLiteral("^%1:\\s+(\\d+) kB").arg(QLatin1String(field)), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(f.readAll()));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

BenchReport::BenchReport(qint64 rows, int runs)
    : m_rows(rows)
    , m_runs(runs)
    , m_loadAtStart(loadAverage())
{
}

QString BenchReport::loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2)
                                       : QString();
}

void BenchReport::add(const QString& what, const QVector<double>& ours, double sqliteMs, const QString& sql)
{
    const double b = best(ours);
    // Below the timer's useful resolution a ratio means nothing: compare against 0.05 ms at least.
    const double ref = std::max(sqliteMs, 0.05);
    const double ratio = b / ref;
    m_lines.append({what, QStringLiteral("%1 (median %2)").arg(ms(b), ms(median(ours))),
        sqliteMs < 0 ? QStringLiteral("n/a") : ms(sqliteMs) + QStringLiteral("  [") + sql + QLatin1Char(']'),
        QStringLiteral("%1×").arg(ratio, 0, 'f', 2),
        ratio <= 1.5 ? QStringLiteral("ok ≤1.5×") : QStringLiteral("MISS >1.5×")});
}

void BenchReport::addScroll(const QString& what, const QVector<double>& steps)
{
    const double worst = steps.isEmpty() ? 0 : *std::max_element(steps.cbegin(), steps.cend());
    const int over = int(std::count_if(steps.cbegin(), steps.cend(), [](double s) { return s > 2.0; }));
    m_lines.append({what,
        QStringLiteral("max %1, median %2 over %3 steps").arg(ms(worst), ms(median(steps))).arg(steps.size()),
        QStringLiteral("—"), QStringLiteral("%1 over 2 ms").arg(over),
        worst <= 2.0 ? QStringLiteral("ok ≤2 ms") : QStringLiteral("MISS >2 ms")});
}

void BenchReport::info(const QString& what, const QVector<double>& samples)
{
    const double worst = samples.isEmpty() ? 0 : *std::max_element(samples.cbegin(), samples.cend());
    m_lines.append({QStringLiteral("(info) ") + what,
        QStringLiteral("best %1, median %2, max %3 (%4 samples)")
            .arg(ms(best(samples)), ms(median(samples)), ms(worst))
            .arg(samples.size()),
        QStringLiteral("— no sqlite3 equivalent"), QString(), QString()});
}

void BenchReport::memory()
{
    const qint64 rss = statusKb("VmRSS");
    const qint64 peak = statusKb("VmHWM");
    m_lines.append({QStringLiteral("resident memory (page open, after all)"),
        QStringLiteral("%1 MB now, %2 MB peak").arg(rss / 1024).arg(peak / 1024), QStringLiteral("—"),
        QString(), peak < 120 * 1024 ? QStringLiteral("ok <120 MB") : QStringLiteral("MISS ≥120 MB")});
}

void BenchReport::appends(int count, double oursMs, double plainMs)
{
    const double ours = count / (oursMs / 1000);
    const double plain = plainMs > 0 ? count / (plainMs / 1000) : 0;
    const double ratio = plain > 0 ? ours / plain : 0;
    m_lines.append({QStringLiteral("durable appends/s (WAL, synchronous=FULL)"),
        QStringLiteral("%1/s with the hash chain").arg(ours, 0, 'f', 0),
        QStringLiteral("%1/s plain INSERTs (sqlite3 shell, %2 rows)").arg(plain, 0, 'f', 0).arg(count),
        QStringLiteral("%1×").arg(ratio, 0, 'f', 2),
        ratio >= 0.8 ? QStringLiteral("ok ≥0.8×") : QStringLiteral("MISS <0.8×")});
}

void BenchReport::check(const QString& what, bool ok, const QString& detail)
{
    m_checks << QStringLiteral("%1 %2%3").arg(ok ? QStringLiteral("ok  ") : QStringLiteral("FAIL"), what,
        detail.isEmpty() ? QString() : QStringLiteral(" (") + detail + QLatin1Char(')'));
    m_failed = m_failed || !ok;
}

int BenchReport::fail(const QString& why)
{
    std::fprintf(stderr, "bench_audit: %s\n", qPrintable(why));
    return 1;
}

int BenchReport::print()
{
    std::printf(
        "Audit browser benchmark: %lld entries, best of %d runs, %d CPUs, load %s at start, %s at end\n",
        static_cast<long long>(m_rows), m_runs, QThread::idealThreadCount(), qPrintable(m_loadAtStart),
        qPrintable(loadAverage()));
    for (const QString& n : std::as_const(m_notes))
        std::printf("  %s\n", qPrintable(n));
    std::printf("\n");
    for (const Line& l : std::as_const(m_lines)) {
        std::printf("%-42s %s\n", qPrintable(l.what), qPrintable(l.ours));
        std::printf("%-42s vs %s\n", "", qPrintable(l.reference));
        std::printf("%-42s ratio %s  %s\n\n", "", qPrintable(l.ratio), qPrintable(l.verdict));
    }
    std::printf("Result checks:\n");
    for (const QString& c : std::as_const(m_checks))
        std::printf("  %s\n", qPrintable(c));
    std::fflush(stdout);
    return m_failed ? 1 : 0;
}

} // namespace rbac::bench
