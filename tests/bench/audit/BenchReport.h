#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace rbac::bench {

// Collects the benchmark's figures and prints them with their ratios and targets. Timing targets
// are reported, never enforced (a shared 2-core machine makes them noisy); result checks (our
// rows equal sqlite3's) decide the exit code, so the quick ctest run can fail for real.
class BenchReport
{
public:
    BenchReport(qint64 rows, int runs);

    void note(const QString& line) { m_notes << line; }
    // Our samples (ms) against sqlite3 doing the same (ms per run); target: ours ≤ 1.5× sqlite3.
    void add(const QString& what, const QVector<double>& ours, double sqliteMs, const QString& sql);
    // Page-down steps (ms); target: every step ≤ 2 ms.
    void addScroll(const QString& what, const QVector<double>& steps);
    // A figure without a target (the whole page, painting): best, median, max.
    void info(const QString& what, const QVector<double>& samples);
    // Resident memory now and at peak (from /proc/self/status); target < 120 MB.
    void memory();
    void appends(int count, double oursMs, double plainMs);
    void check(const QString& what, bool ok, const QString& detail);
    int fail(const QString& why);
    // Prints everything; 0 when every check passed.
    int print();

private:
    struct Line
    {
        QString what;
        QString ours;
        QString reference;
        QString ratio;
        QString verdict;
    };
    static QString loadAverage();

    qint64 m_rows;
    int m_runs;
    QString m_loadAtStart;
    QStringList m_notes;
    QVector<Line> m_lines;
    QStringList m_checks;
    bool m_failed = false;
};

} // namespace rbac::bench
