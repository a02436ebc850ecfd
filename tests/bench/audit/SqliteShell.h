#pragma once

#include <QString>
#include <QStringList>

namespace rbac::bench {

// Times SQL in the sqlite3 command-line shell on the same file, as the benchmark's yardstick.
// The shell's own `.timer` reports wall time in whole milliseconds, too coarse for sub-ms
// queries, so each figure is differential: the wall time of a shell that runs the statements
// `repeat` times minus that of the same shell running them zero times (process start, opening
// the file and the setup cancel out), divided by `repeat`; the best of `tries`.
class SqliteShell
{
public:
    explicit SqliteShell(QString databasePath);

    bool isAvailable() const { return !m_program.isEmpty(); }

    // Milliseconds per run of `statements` (one script chunk, may hold several statements or an
    // `.open`), after `setup` ran once. Output goes to /dev/null. -1 when the shell failed.
    double millisPer(const QString& statements, int repeat, int tries = 3, const QString& setup = {}) const;

    // Runs one script and returns its standard output (for checking results), empty on failure.
    QString run(const QString& script) const;

private:
    double wallMillis(const QString& script) const;

    QString m_path;
    QString m_program;
};

} // namespace rbac::bench
