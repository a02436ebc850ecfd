#pragma once

#include "audit/AuditFilter.h"

#include <QElapsedTimer>
#include <QString>

#include <functional>

class QTableView;

namespace rbac {
class AuditTableModel;
class Workspace;
} // namespace rbac

namespace rbac::bench {

class BenchReport;
class SqliteShell;

// What every part of the benchmark needs.
struct BenchContext
{
    QString path;
    Workspace* workspace = nullptr;
    SqliteShell* shell = nullptr;
    BenchReport* report = nullptr;
    int runs = 5;
    bool quick = false;
};

// Columns the model reads, for the equivalent SQL.
extern const char* const auditColumns;

// One actor, one action, `days` days from June 2 of the generated year, and its SQL. The quick
// mode's 2,000 rows take the whole year, so the result checks compare something.
AuditFilter weekFilter(int days);
QString weekWhere(int days);

// Runs the event loop until `done` holds (results arrive as queued calls from reader threads).
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 600000);
// Runs the event loop for `ms` (a person's pause between key presses).
void idle(int ms);
double millisSince(const QElapsedTimer& t);

// Asks for rows [first, last] as a view's paint would and waits until all are loaded.
bool loadRows(AuditTableModel& model, int first, int last);

// The parts; each returns 0 or a failure exit code.
int measureDataPath(BenchContext& ctx);
int measureThroughPage(BenchContext& ctx);
int measureAppends(BenchContext& ctx, const QString& dir, int appends);

} // namespace rbac::bench
