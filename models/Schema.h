#pragma once

#include "Status.h"

#include <QSqlDatabase>
#include <QStringList>
#include <QVector>

namespace rbac {

// One forward step of the workspace schema. Statements are plain SQL that SQLite and
// PostgreSQL both accept, so one migration history can serve both engines.
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
Expected<Inspection> inspect(QSqlDatabase& db, const QString& path);

// Applies the steps after `fromVersion` inside the caller's transaction.
Status migrate(QSqlDatabase& db, int fromVersion, int toVersion);

} // namespace Schema
} // namespace rbac
