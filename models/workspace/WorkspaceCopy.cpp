#include "workspace/WorkspaceCopy.h"

#include "workspace/Schema.h"
#include "workspace/Workspace.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace rbac {

namespace {

Status sqlError(const QSqlQuery& q, const QString& what)
{
    return Status::error(
        ErrorKind::Environment, QStringLiteral("copy: %1: %2").arg(what, q.lastError().text()));
}

// True when `location` holds nothing: no file (or an empty one), or a database without tables.
Expected<bool> isBlank(const WorkspaceLocation& location)
{
    if (location.engine == SqlEngine::SQLite) {
        const QFileInfo info(location.filePath);
        return !info.exists() || info.size() == 0;
    }
    const QString name = QStringLiteral("rbac-copy-probe");
    bool blank = false;
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(location.host);
        db.setPort(location.port);
        db.setDatabaseName(location.database);
        db.setUserName(location.user);
        db.setConnectOptions(location.connectOptions);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM information_schema.tables "
                                      "WHERE table_schema = current_schema()"))
                && q.next())
                blank = q.value(0).toLongLong() == 0;
            else
                error = q.lastError().text();
        } else {
            error = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    if (!error.isEmpty())
        return Status::error(ErrorKind::Environment,
            QStringLiteral("cannot open '%1': %2").arg(location.display(), error.trimmed()));
    return blank;
}

} // namespace

Expected<CopyReport> copyWorkspace(const QString& source, const QString& destination, const QString& actor)
{
    Expected<WorkspaceLocation> to = WorkspaceLocation::parse(destination);
    if (!to)
        return to.status();
    Expected<bool> blank = isBlank(*to);
    if (!blank)
        return blank.status();
    if (!*blank)
        return Status::error(ErrorKind::Conflict,
            QStringLiteral("'%1' already holds data; copy only into a new file or an empty "
                           "database, so nothing is overwritten")
                .arg(to->display()));

    Expected<std::unique_ptr<Workspace>> from = Workspace::open(source, Workspace::OpenMode::ExistingOnly);
    if (!from)
        return from.status();
    Workspace& src = **from;
    if (!actor.isEmpty())
        src.setActor(actor);
    const AuditVerification before = src.auditLog().verify();
    if (!before.intact)
        return Status::error(ErrorKind::InvalidInput,
            QStringLiteral("the source audit trail is broken (%1); not copying it").arg(before.problem));
    if (Status s = src.recordEvent(QStringLiteral("workspace.copy"), {}, QStringLiteral("workspace"), true,
            {{QStringLiteral("to"), to->display()}});
        !s)
        return s;

    Expected<std::unique_ptr<Workspace>> created = Workspace::open(destination);
    if (!created)
        return created.status();
    Workspace& dst = **created;
    QSqlDatabase sourceDb = src.database();
    const QStringList tables = Schema::tables(sourceDb, src.engine());
    CopyReport report;

    // Runs in one destination transaction; the source is only read.
    Status copied = dst.writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
        QSqlDatabase& sdb = sourceDb;
        // Clear what creating the destination put there (defaults, its first entry), children first.
        for (auto it = tables.crbegin(); it != tables.crend(); ++it) {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("DELETE FROM %1").arg(*it)))
                return sqlError(q, QStringLiteral("clearing %1").arg(*it));
        }
        for (const QString& table : tables) {
            QSqlQuery read(sdb);
            read.setForwardOnly(true);
            if (!read.exec(QStringLiteral("SELECT * FROM %1").arg(table)))
                return sqlError(read, QStringLiteral("reading %1").arg(table));
            const QSqlRecord record = read.record();
            QStringList columns;
            QStringList marks;
            for (int i = 0; i < record.count(); ++i) {
                columns << record.fieldName(i);
                marks << QStringLiteral("?");
            }
            QSqlQuery write(db);
            if (!write.prepare(
                    QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                        .arg(table, columns.join(QStringLiteral(", ")), marks.join(QStringLiteral(", ")))))
                return sqlError(write, QStringLiteral("preparing %1").arg(table));
            while (read.next()) {
                for (int i = 0; i < record.count(); ++i)
                    write.bindValue(i, read.value(i));
                if (!write.exec())
                    return sqlError(write, QStringLiteral("writing %1").arg(table));
                ++report.rows;
            }
            if (dst.engine() == SqlEngine::PostgreSQL && columns.contains(QLatin1String("id"))) {
                // Explicit ids do not move identity sequences: move them past the copied rows.
                QSqlQuery fix(db);
                if (!fix.exec(QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), "
                                             "(SELECT COALESCE(MAX(id), 0) + 1 FROM %1), false)")
                                  .arg(table)))
                    return sqlError(fix, QStringLiteral("moving the id sequence of %1").arg(table));
            }
        }
        // Chained after the copied entries: the destination's trail says where it came from.
        entries << dst.makeEntry(QStringLiteral("workspace.copy"), {}, QStringLiteral("workspace"),
            {{QStringLiteral("from"), src.path()}, {QStringLiteral("rows"), report.rows}});
        return Status::ok();
    });
    if (!copied)
        return copied;
    const QString destinationPath = dst.path();
    created.value().reset();
    Expected<std::unique_ptr<Workspace>> reopened
        = Workspace::open(destination, Workspace::OpenMode::ExistingOnly);
    if (!reopened)
        return reopened.status();
    const AuditVerification after = (*reopened)->auditLog().verify();
    if (!after.intact)
        return Status::error(ErrorKind::Environment,
            QStringLiteral("the copy in '%1' does not verify: %2").arg(destinationPath, after.problem));
    report.auditEntries = after.entries;
    report.headHash = after.headHash;
    return report;
}

} // namespace rbac
