#pragma once

#include "base/Status.h"

#include <QString>
#include <QUrl>

namespace rbac {

enum class SqlEngine
{
    SQLite,
    PostgreSQL,
};

// Where a workspace lives: an SQLite file (the default) or a PostgreSQL database named by a
// URI, postgresql://user@host:port/dbname?sslmode=require. Passwords never appear in the URI:
// libpq reads them from ~/.pgpass (or PGPASSFILE), so they stay out of argv, settings and logs.
struct WorkspaceLocation
{
    SqlEngine engine = SqlEngine::SQLite;
    QString filePath; // SQLite
    QString host;     // PostgreSQL
    int port = 5432;
    QString database;
    QString user;
    QString connectOptions; // QPSQL options: sslmode=…;connect_timeout=…

    static bool looksLikeUri(const QString& text);
    static Expected<WorkspaceLocation> parse(const QString& text);
    // For messages and the status bar: the file path, or the URI without secrets.
    QString display() const;
};

} // namespace rbac
