#pragma once

#include "base/Status.h"
#include "workspace/WorkspaceLocation.h"

#include <QSqlDatabase>
#include <QStringList>
#include <QVector>

namespace rbac {

// One forward step of the workspace schema. Statements are written once, in SQLite's dialect
// kept to what PostgreSQL also accepts; forEngine() adapts the few differences (integer keys).
// One migration history serves both engines.
struct Migration
{
    int version;
    QString description;
    QStringList statements;
};

namespace Schema {

inline constexpr const char* formatName = "klaviyo-rbac-workspace";

const QVector<Migration>& migrations();
int latestVersion();

// What an existing file holds. `version` 0 with `isEmpty` means a database without tables.
struct Inspection
{
    bool isEmpty = false;
    int version = 0;
    QString workspaceId;
};

// Reads only: never writes to a file it does not recognise.
Expected<Inspection> inspect(QSqlDatabase& db, const QString& path, SqlEngine engine = SqlEngine::SQLite);

// Applies the steps after `fromVersion` inside the caller's transaction.
Status migrate(QSqlDatabase& db, int fromVersion, int toVersion, SqlEngine engine = SqlEngine::SQLite);

// A migration statement as `engine` needs it. PostgreSQL: 64-bit integers, and a column
// "id INTEGER PRIMARY KEY" (SQLite's auto-numbered rowid) becomes an identity column.
QString forEngine(const QString& statement, SqlEngine engine);

// The workspace's tables in dependency order (parents first), for copying between engines.
QStringList tables(QSqlDatabase& db, SqlEngine engine);

} // namespace Schema
} // namespace rbac
