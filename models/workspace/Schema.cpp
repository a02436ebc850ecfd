#include "workspace/Schema.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace rbac::Schema {

const QVector<Migration>& migrations()
{
    static const QVector<Migration> steps = {
        {1, QStringLiteral("policy, settings and the hash-chained audit log"),
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
                QStringLiteral(
                    "CREATE TABLE grants (role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE, "
                    "permission_id INTEGER NOT NULL REFERENCES permissions(id) ON DELETE CASCADE, "
                    "PRIMARY KEY (role_id, permission_id))"),
                QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
                QStringLiteral(
                    "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, "
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
        {2, QStringLiteral("non-secret metadata of the per-role Klaviyo keys"),
            {
                QStringLiteral("CREATE TABLE role_keys (role_id INTEGER PRIMARY KEY REFERENCES roles(id) "
                               "ON DELETE CASCADE, last4 TEXT NOT NULL, stored_at TEXT NOT NULL, "
                               "verified_at TEXT, verification TEXT)"),
            }},
        {3, QStringLiteral("replaced Klaviyo keys still to be deleted in Klaviyo"),
            {
                // A rotated-out key stays valid in Klaviyo until an admin deletes it there: keep a
                // reminder (its last four characters only) until someone confirms the deletion.
                QStringLiteral("CREATE TABLE retired_keys (id INTEGER PRIMARY KEY, role_id INTEGER NOT NULL "
                               "REFERENCES roles(id) ON DELETE CASCADE, last4 TEXT NOT NULL, "
                               "retired_at TEXT NOT NULL)"),
            }},
        {4, QStringLiteral("non-secret facts of the Klaviyo OAuth connection"),
            {
                // One row at most. The tokens are in the keychain; this says which account they are for,
                // what was granted, until when, and whether a reconnect is needed.
                QStringLiteral(
                    "CREATE TABLE oauth_connection (id INTEGER PRIMARY KEY CHECK (id = 1), "
                    "state TEXT NOT NULL CHECK (state IN ('connected', 'reconnect')), "
                    "client_id TEXT NOT NULL, account_id TEXT NOT NULL DEFAULT '', "
                    "organization_name TEXT NOT NULL DEFAULT '', requested_scopes TEXT NOT NULL DEFAULT '', "
                    "granted_scopes TEXT NOT NULL DEFAULT '', expires_at TEXT, connected_at TEXT NOT NULL, "
                    "connected_by TEXT NOT NULL, refreshed_at TEXT, problem TEXT NOT NULL DEFAULT '')"),
            }},
        {5, QStringLiteral("indexes for browsing and filtering a large audit log"),
            {
                // The browser filters by actor, role and action and pages by (ts, id): each index
                // serves "this actor, newest first" without a sort, at any depth.
                QStringLiteral("CREATE INDEX audit_log_actor ON audit_log (actor, ts, id)"),
                QStringLiteral("CREATE INDEX audit_log_action ON audit_log (action, ts, id)"),
                QStringLiteral("CREATE INDEX audit_log_role ON audit_log (role, ts, id)"),
                // Failures are few: a partial index keeps "failed only" fast and small.
                QStringLiteral("CREATE INDEX audit_log_failed ON audit_log (ts, id) WHERE success = 0"),
            }},
        {6, QStringLiteral("a keyed fingerprint of each role's key"),
            {
                // Shared workspaces: lets each admin's console check that its local key is the one
                // the team recorded (KeyFingerprint.h). '' for keys stored before this version.
                QStringLiteral("ALTER TABLE role_keys ADD COLUMN fingerprint TEXT NOT NULL DEFAULT ''"),
            }},
    };
    return steps;
}

int latestVersion()
{
    return migrations().constLast().version;
}

QString forEngine(const QString& statement, SqlEngine engine)
{
    if (engine == SqlEngine::SQLite)
        return statement;
    QString sql = statement;
    static const QRegularExpression rowid(QStringLiteral("\\bid INTEGER PRIMARY KEY\\b(?! CHECK)"));
    sql.replace(rowid, QStringLiteral("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
    static const QRegularExpression integer(QStringLiteral("\\bINTEGER\\b"));
    sql.replace(integer, QStringLiteral("BIGINT"));
    return sql;
}

QStringList tables(QSqlDatabase& db, SqlEngine engine)
{
    QSqlQuery q(db);
    q.exec(engine == SqlEngine::SQLite
            ? QStringLiteral(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            : QStringLiteral("SELECT table_name FROM information_schema.tables "
                             "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"));
    QStringList found;
    while (q.next())
        found << q.value(0).toString();
    // Creation order of the migrations is a valid dependency order.
    QStringList ordered;
    static const QRegularExpression created(QStringLiteral("^CREATE TABLE (\\w+)"));
    for (const Migration& step : migrations()) {
        for (const QString& statement : step.statements) {
            const QRegularExpressionMatch m = created.match(statement);
            if (m.hasMatch() && found.contains(m.captured(1)))
                ordered << m.captured(1);
        }
    }
    return ordered;
}

Expected<Inspection> inspect(QSqlDatabase& db, const QString& path, SqlEngine engine)
{
    const auto unreadable = [&path](const QString& why) {
        return Status::error(ErrorKind::Environment,
            QStringLiteral("'%1' is not a Klaviyo RBAC workspace or is damaged (%2); "
                           "it was left untouched")
                .arg(path, why));
    };
    QSqlQuery tableQuery(db);
    const QString listTables = engine == SqlEngine::SQLite
        ? QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'")
        : QStringLiteral("SELECT table_name FROM information_schema.tables "
                         "WHERE table_schema = current_schema()");
    if (!tableQuery.exec(listTables))
        return unreadable(tableQuery.lastError().databaseText());
    QStringList names;
    while (tableQuery.next())
        names << tableQuery.value(0).toString();
    Inspection result;
    if (names.isEmpty()) {
        result.isEmpty = true;
        return result;
    }
    if (!names.contains(QLatin1String("schema_meta")))
        return unreadable(engine == SqlEngine::SQLite
                ? QStringLiteral("an SQLite database without a schema_meta table")
                : QStringLiteral("a database with other tables and no schema_meta table"));

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

Status migrate(QSqlDatabase& db, int fromVersion, int toVersion, SqlEngine engine)
{
    for (const Migration& step : migrations()) {
        if (step.version <= fromVersion || step.version > toVersion)
            continue;
        for (const QString& sql : step.statements) {
            QSqlQuery q(db);
            if (!q.exec(forEngine(sql, engine)))
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
        return Status::error(
            ErrorKind::Environment, QStringLiteral("recording schema version: %1").arg(q.lastError().text()));
    return Status::ok();
}

} // namespace rbac::Schema
