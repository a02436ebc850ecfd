#include "Schema.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace rbac::Schema {

const QVector<Migration>& migrations()
{
    static const QVector<Migration> steps = {
        {1,
         QStringLiteral("policy, settings and the hash-chained audit log"),
         {
             QStringLiteral("CREATE TABLE schema_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE roles (id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, "
                            "name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '', "
                            "created_at TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE permissions (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
                            "description TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE permission_operations (permission_id INTEGER NOT NULL "
                            "REFERENCES permissions(id) ON DELETE CASCADE, operation_id TEXT NOT NULL, "
                            "PRIMARY KEY (permission_id, operation_id))"),
             QStringLiteral("CREATE TABLE permission_scopes (permission_id INTEGER NOT NULL "
                            "REFERENCES permissions(id) ON DELETE CASCADE, scope TEXT NOT NULL, "
                            "PRIMARY KEY (permission_id, scope))"),
             QStringLiteral("CREATE TABLE grants (role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE, "
                            "permission_id INTEGER NOT NULL REFERENCES permissions(id) ON DELETE CASCADE, "
                            "PRIMARY KEY (role_id, permission_id))"),
             QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, "
                            "role TEXT NOT NULL DEFAULT '', action TEXT NOT NULL, resource TEXT NOT NULL DEFAULT '', "
                            "success INTEGER NOT NULL CHECK (success IN (0, 1)), details TEXT NOT NULL DEFAULT '{}', "
                            "prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"),
             QStringLiteral("CREATE INDEX audit_log_ts ON audit_log (ts, id)"),
             // The newest entry, so deleting the last rows is detected too.
             QStringLiteral("CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), "
                            "last_id INTEGER NOT NULL, last_hash TEXT NOT NULL)"),
             QStringLiteral("INSERT INTO audit_head (id, last_id, last_hash) VALUES "
                            "(1, 0, '0000000000000000000000000000000000000000000000000000000000000000')"),
         }},
        {2,
         QStringLiteral("non-secret metadata of the per-role Klaviyo keys"),
         {
             QStringLiteral("CREATE TABLE role_keys (role_id INTEGER PRIMARY KEY REFERENCES roles(id) "
                            "ON DELETE CASCADE, last4 TEXT NOT NULL, stored_at TEXT NOT NULL, "
                            "verified_at TEXT, verification TEXT)"),
         }},
    };
    return steps;
}

int latestVersion()
{
    return migrations().constLast().version;
}

Expected<Inspection> inspect(QSqlDatabase& db, const QString& path)
{
    const auto unreadable = [&path](const QString& why) {
        return Status::error(ErrorKind::Environment,
                             QStringLiteral("'%1' is not a Klaviyo RBAC workspace or is damaged (%2); "
                                            "it was left untouched")
                                 .arg(path, why));
    };
    QSqlQuery tables(db);
    if (!tables.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'")))
        return unreadable(tables.lastError().databaseText());
    QStringList names;
    while (tables.next())
        names << tables.value(0).toString();
    Inspection result;
    if (names.isEmpty()) {
        result.isEmpty = true;
        return result;
    }
    if (!names.contains(QLatin1String("schema_meta")))
        return unreadable(QStringLiteral("an SQLite database without a schema_meta table"));

    QSqlQuery meta(db);
    if (!meta.exec(QStringLiteral("SELECT key, value FROM schema_meta")))
        return unreadable(meta.lastError().databaseText());
    QString format;
    QString version;
    while (meta.next()) {
        const QString key = meta.value(0).toString();
        if (key == QLatin1String("format"))
            format = meta.value(1).toString();
        else if (key == QLatin1String("schema_version"))
            version = meta.value(1).toString();
        else if (key == QLatin1String("workspace_id"))
            result.workspaceId = meta.value(1).toString();
    }
    if (format != QLatin1String(formatName))
        return unreadable(QStringLiteral("schema_meta names format '%1'").arg(format));
    bool ok = false;
    result.version = version.toInt(&ok);
    if (!ok || result.version < 1)
        return unreadable(QStringLiteral("schema version '%1' is not a number").arg(version));
    if (result.version > latestVersion())
        return Status::error(ErrorKind::Environment,
                             QStringLiteral("'%1' has workspace schema version %2, newer than this console "
                                            "understands (%3); upgrade the console. The file was left untouched")
                                 .arg(path)
                                 .arg(result.version)
                                 .arg(latestVersion()));
    return result;
}

Status migrate(QSqlDatabase& db, int fromVersion, int toVersion)
{
    for (const Migration& step : migrations()) {
        if (step.version <= fromVersion || step.version > toVersion)
            continue;
        for (const QString& sql : step.statements) {
            QSqlQuery q(db);
            if (!q.exec(sql))
                return Status::error(ErrorKind::Environment,
                                     QStringLiteral("schema migration %1 failed: %2")
                                         .arg(step.version)
                                         .arg(q.lastError().text()));
        }
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO schema_meta (key, value) VALUES ('schema_version', ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(QString::number(toVersion));
    if (!q.exec())
        return Status::error(ErrorKind::Environment,
                             QStringLiteral("recording schema version: %1").arg(q.lastError().text()));
    return Status::ok();
}

} // namespace rbac::Schema
