#include "AuditLog.h"

#include "Clock.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace rbac {

namespace {

Status sqlError(const QSqlQuery& query, const char* what)
{
    return Status::error(ErrorKind::Environment,
                         QStringLiteral("audit log: %1: %2").arg(QLatin1String(what), query.lastError().text()));
}

AuditEntry entryFrom(const QSqlQuery& q)
{
    AuditEntry e;
    e.id = q.value(0).toLongLong();
    e.ts = q.value(1).toString();
    e.actor = q.value(2).toString();
    e.role = q.value(3).toString();
    e.action = q.value(4).toString();
    e.resource = q.value(5).toString();
    e.success = q.value(6).toInt() != 0;
    e.details = q.value(7).toString();
    e.prevHash = q.value(8).toString();
    e.hash = q.value(9).toString();
    return e;
}

const char* const selectColumns = "SELECT id, ts, actor, role, action, resource, success, details, prev_hash, hash "
                                  "FROM audit_log ";

} // namespace

Status AuditLog::append(AuditEntry& entry)
{
    QSqlQuery head(m_db);
    if (!head.exec(QStringLiteral("SELECT last_id, last_hash FROM audit_head WHERE id = 1")) || !head.next())
        return sqlError(head, "reading the chain head");
    entry.id = head.value(0).toLongLong() + 1;
    entry.prevHash = head.value(1).toString();
    entry.ts = isoUtc(Clock::nowUtc());
    entry.hash = AuditChain::computeHash(entry, entry.prevHash);

    QSqlQuery insert(m_db);
    insert.prepare(QStringLiteral("INSERT INTO audit_log (id, ts, actor, role, action, resource, success, "
                                  "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.addBindValue(entry.id);
    // Null strings would bind as SQL NULL: store them as ''.
    for (QString* field : {&entry.actor, &entry.role, &entry.action, &entry.resource}) {
        if (field->isNull())
            *field = QStringLiteral("");
    }
    insert.addBindValue(entry.ts);
    insert.addBindValue(entry.actor);
    insert.addBindValue(entry.role);
    insert.addBindValue(entry.action);
    insert.addBindValue(entry.resource);
    insert.addBindValue(entry.success ? 1 : 0);
    insert.addBindValue(entry.details);
    insert.addBindValue(entry.prevHash);
    insert.addBindValue(entry.hash);
    if (!insert.exec())
        return sqlError(insert, "appending an entry");

    QSqlQuery update(m_db);
    update.prepare(QStringLiteral("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1"));
    update.addBindValue(entry.id);
    update.addBindValue(entry.hash);
    if (!update.exec())
        return sqlError(update, "moving the chain head");
    return Status::ok();
}

Expected<QVector<AuditEntry>> AuditLog::latest(int limit)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QLatin1String(selectColumns) + QStringLiteral("ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return sqlError(q, "listing entries");
    QVector<AuditEntry> out;
    while (q.next())
        out.append(entryFrom(q));
    return out;
}

Expected<qint64> AuditLog::count()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log")) || !q.next())
        return sqlError(q, "counting entries");
    return q.value(0).toLongLong();
}

AuditVerification AuditLog::verify(const std::function<bool(qint64)>& progress)
{
    AuditVerification result;
    const auto fail = [&result](qint64 id, QString problem) {
        result.intact = false;
        result.firstBadId = id;
        result.problem = std::move(problem);
        return result;
    };

    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QLatin1String(selectColumns) + QStringLiteral("ORDER BY id")))
        return fail(0, QStringLiteral("cannot read the audit log: %1").arg(q.lastError().text()));

    qint64 expectedId = 1;
    QString prevHash = AuditChain::genesisHash();
    while (q.next()) {
        const AuditEntry e = entryFrom(q);
        if (e.id != expectedId) {
            if (e.id > expectedId)
                return fail(expectedId, QStringLiteral("entry %1 is missing (deleted); the chain goes on at entry %2")
                                            .arg(expectedId)
                                            .arg(e.id));
            return fail(e.id, QStringLiteral("entry %1 is out of order").arg(e.id));
        }
        if (AuditChain::computeHash(e, e.prevHash) != e.hash)
            return fail(e.id, QStringLiteral("entry %1 was altered: its content does not match its hash").arg(e.id));
        if (e.prevHash != prevHash)
            return fail(e.id, QStringLiteral("entry %1 does not follow entry %2: its prev_hash does not match "
                                             "(inserted, reordered or its predecessor rewritten)")
                                  .arg(e.id)
                                  .arg(e.id - 1));
        prevHash = e.hash;
        ++expectedId;
        ++result.entries;
        if (progress && result.entries % 4096 == 0 && !progress(result.entries))
            return fail(0, QStringLiteral("cancelled after %1 entries").arg(result.entries));
    }

    QSqlQuery head(m_db);
    if (!head.exec(QStringLiteral("SELECT last_id, last_hash FROM audit_head WHERE id = 1")) || !head.next())
        return fail(0, QStringLiteral("the chain head (audit_head) is missing"));
    const qint64 lastId = head.value(0).toLongLong();
    const QString lastHash = head.value(1).toString();
    if (lastId > result.entries)
        return fail(result.entries + 1, QStringLiteral("entry %1 is missing (deleted): the chain head records %2 "
                                                       "entries, the log ends at entry %3")
                                            .arg(result.entries + 1)
                                            .arg(lastId)
                                            .arg(result.entries));
    if (lastId < result.entries || lastHash != prevHash)
        return fail(lastId + 1 <= result.entries ? lastId + 1 : result.entries,
                    QStringLiteral("entry %1 does not match the chain head (appended or rewritten outside the "
                                   "console)")
                        .arg(lastId + 1 <= result.entries ? lastId + 1 : result.entries));
    if (progress)
        progress(result.entries);
    result.intact = true;
    result.headHash = prevHash;
    return result;
}

} // namespace rbac
