#include "audit/AuditLog.h"

#include "base/Clock.h"

#include <QDateTime>
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

// BEGIN … COMMIT around several reads so they see one snapshot; a no-op when the connection is
// already inside a transaction (BEGIN then fails and nothing is ended here).
class ReadSnapshot
{
public:
    explicit ReadSnapshot(QSqlDatabase& db)
        : m_db(db)
        , m_open(QSqlQuery(db).exec(QStringLiteral("BEGIN")))
    {
    }
    ~ReadSnapshot()
    {
        if (m_open)
            QSqlQuery(m_db).exec(QStringLiteral("COMMIT"));
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    QSqlDatabase& m_db;
    bool m_open;
};

void bindAll(QSqlQuery& q, const QVariantList& binds)
{
    for (const QVariant& v : binds)
        q.addBindValue(v);
}

const char* const selectColumns
    = "SELECT id, ts, actor, role, action, resource, success, details, prev_hash, hash "
      "FROM audit_log ";

} // namespace

Status AuditLog::append(AuditEntry& entry)
{
    QVector<AuditEntry> one {entry};
    const Status s = appendAll(one);
    entry = one.constFirst();
    return s;
}

Status AuditLog::appendAll(QVector<AuditEntry>& entries, const AppendProgress& progress)
{
    if (entries.isEmpty())
        return Status::ok();
    QSqlQuery head(m_db);
    if (!head.exec(QStringLiteral("SELECT last_id, last_hash FROM audit_head WHERE id = 1")) || !head.next())
        return sqlError(head, "reading the chain head");
    qint64 lastId = head.value(0).toLongLong();
    QString lastHash = head.value(1).toString();
    head.finish();

    // Prepared once for the whole batch: an import of 100,000 lines would otherwise spend most
    // of its time parsing the same INSERT again.
    QSqlQuery insert(m_db);
    if (!insert.prepare(
            QStringLiteral("INSERT INTO audit_log (id, ts, actor, role, action, resource, success, "
                           "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return sqlError(insert, "preparing an append");
    const QString now = isoUtc(Clock::nowUtc());
    const qint64 total = entries.size();
    qint64 done = 0;
    for (AuditEntry& entry : entries) {
        // Asked every 1,024 entries: often enough to cancel at once, rarely enough to cost nothing.
        if (progress && done > 0 && (done & 1023) == 0 && !progress(done, total))
            return Status::error(ErrorKind::Environment, QStringLiteral("cancelled"));
        ++done;
        entry.id = lastId + 1;
        entry.prevHash = lastHash;
        if (!entry.keepTimestamp) {
            entry.ts = now;
        } else if (entry.ts.size() != 24 || !entry.ts.endsWith(QLatin1Char('Z'))
            || !QDateTime::fromString(entry.ts, Qt::ISODateWithMs).isValid()) {
            // Every ts has the same fixed-width UTC form, so text order is time order.
            return Status::error(ErrorKind::InvalidInput,
                QStringLiteral("audit log: '%1' is not an ISO-8601 UTC time with milliseconds")
                    .arg(entry.ts));
        }
        // Null strings would bind as SQL NULL: store them as ''.
        for (QString* field : {&entry.actor, &entry.role, &entry.action, &entry.resource}) {
            if (field->isNull())
                *field = QStringLiteral("");
        }
        entry.hash = AuditChain::computeHash(entry, entry.prevHash);
        insert.bindValue(0, entry.id);
        insert.bindValue(1, entry.ts);
        insert.bindValue(2, entry.actor);
        insert.bindValue(3, entry.role);
        insert.bindValue(4, entry.action);
        insert.bindValue(5, entry.resource);
        insert.bindValue(6, entry.success ? 1 : 0);
        insert.bindValue(7, entry.details);
        insert.bindValue(8, entry.prevHash);
        insert.bindValue(9, entry.hash);
        if (!insert.exec())
            return sqlError(insert, "appending an entry");
        lastId = entry.id;
        lastHash = entry.hash;
    }
    if (progress && !progress(total, total))
        return Status::error(ErrorKind::Environment, QStringLiteral("cancelled"));

    QSqlQuery update(m_db);
    update.prepare(QStringLiteral("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1"));
    update.addBindValue(lastId);
    update.addBindValue(lastHash);
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

QString AuditLog::pageSql(const AuditPageQuery& query, QVariantList* binds)
{
    const AuditFilter::Sql where = query.filter.toSql();
    *binds = where.binds;
    QString sql = QLatin1String(selectColumns) + QStringLiteral("WHERE ") + where.where;
    const bool newestFirst = query.order == AuditOrder::NewestFirst;
    if (query.after) {
        // Row-value comparison: SQLite walks the (ts, id) index from the key on.
        sql += newestFirst ? QStringLiteral(" AND (ts, id) < (?, ?)")
                           : QStringLiteral(" AND (ts, id) > (?, ?)");
        *binds << query.after->ts << query.after->id;
    }
    sql += newestFirst ? QStringLiteral(" ORDER BY ts DESC, id DESC") : QStringLiteral(" ORDER BY ts, id");
    sql += QStringLiteral(" LIMIT ?");
    *binds << query.limit;
    if (query.offset > 0) {
        sql += QStringLiteral(" OFFSET ?");
        *binds << query.offset;
    }
    return sql;
}

Expected<QVector<AuditEntry>> AuditLog::page(const AuditPageQuery& query)
{
    QVariantList binds;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(pageSql(query, &binds)))
        return sqlError(q, "preparing a page");
    bindAll(q, binds);
    if (!q.exec())
        return sqlError(q, "reading a page");
    QVector<AuditEntry> out;
    out.reserve(qMin(query.limit, 4096));
    while (q.next())
        out.append(entryFrom(q));
    return out;
}

Expected<qint64> AuditLog::headId()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT last_id FROM audit_head WHERE id = 1")) || !q.next())
        return sqlError(q, "reading the chain head");
    return q.value(0).toLongLong();
}

Expected<qint64> AuditLog::count(const AuditFilter& filter, qint64* head)
{
    ReadSnapshot snapshot(m_db);
    AuditFilter effective = filter;
    if (effective.upToId > 0 || head) {
        // A bound at the head changes nothing, and without it COUNT(*) can use SQLite's fast
        // index count: check in the same snapshot.
        Expected<qint64> current = headId();
        if (current && *current <= effective.upToId)
            effective.upToId = 0;
        if (head)
            *head = current ? *current : -1;
    }
    const AuditFilter::Sql where = effective.toSql();
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // No WHERE at all when nothing filters: only then does SQLite count b-tree entries without
    // decoding them (several times faster at a million rows).
    const QString sql = where.where == QLatin1String("1 = 1")
        ? QStringLiteral("SELECT COUNT(*) FROM audit_log")
        : QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE ") + where.where;
    if (!q.prepare(sql))
        return sqlError(q, "preparing a count");
    bindAll(q, where.binds);
    if (!q.exec() || !q.next())
        return sqlError(q, "counting entries");
    return q.value(0).toLongLong();
}

Expected<std::optional<AuditEntry>> AuditLog::entry(qint64 id)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QLatin1String(selectColumns) + QStringLiteral("WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return sqlError(q, "reading an entry");
    if (!q.next())
        return std::optional<AuditEntry>();
    return std::optional<AuditEntry>(entryFrom(q));
}

Expected<qint64> AuditLog::position(const AuditFilter& filter, AuditOrder order, qint64 id)
{
    ReadSnapshot snapshot(m_db);
    AuditFilter one = filter;
    one.afterId = qMax(filter.afterId, id - 1);
    one.upToId = filter.upToId > 0 ? qMin(filter.upToId, id) : id;
    Expected<qint64> matches = count(one);
    if (!matches)
        return matches.status();
    if (*matches == 0)
        return qint64(-1);
    Expected<std::optional<AuditEntry>> e = entry(id);
    if (!e)
        return e.status();
    const AuditFilter::Sql where = filter.toSql();
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE %1 AND (ts, id) %2 (?, ?)")
            .arg(where.where, order == AuditOrder::NewestFirst ? QStringLiteral(">") : QStringLiteral("<")));
    bindAll(q, where.binds);
    q.addBindValue(e->value().ts);
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return sqlError(q, "locating an entry");
    return q.value(0).toLongLong();
}

Expected<QStringList> AuditLog::distinctValues(const QString& column)
{
    if (column != QLatin1String("actor") && column != QLatin1String("role")
        && column != QLatin1String("action"))
        return Status::error(
            ErrorKind::InvalidInput, QStringLiteral("audit log: no distinct values for '%1'").arg(column));
    // A skip-scan: each step asks the column's index for the next larger value, so a million
    // entries by twenty actors cost twenty probes, not a million-row scan.
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral(
            "WITH RECURSIVE v(x) AS (SELECT MIN(%1) FROM audit_log UNION ALL "
            "SELECT (SELECT MIN(%1) FROM audit_log WHERE %1 > v.x) FROM v WHERE v.x IS NOT NULL) "
            "SELECT x FROM v WHERE x IS NOT NULL")
                    .arg(column)))
        return sqlError(q, "listing distinct values");
    QStringList values;
    while (q.next())
        values << q.value(0).toString();
    return values;
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

    // One read transaction, so entries and head come from the same snapshot even while another
    // connection appends (inside a caller's transaction this simply does nothing).
    ReadSnapshot snapshot(m_db);
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
                return fail(expectedId,
                    QStringLiteral("entry %1 is missing (deleted); the chain goes on at entry %2")
                        .arg(expectedId)
                        .arg(e.id));
            return fail(e.id, QStringLiteral("entry %1 is out of order").arg(e.id));
        }
        if (AuditChain::computeHash(e, e.prevHash) != e.hash)
            return fail(
                e.id, QStringLiteral("entry %1 was altered: its content does not match its hash").arg(e.id));
        if (e.prevHash != prevHash)
            return fail(e.id,
                QStringLiteral("entry %1 does not follow entry %2: its prev_hash does not match "
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
        return fail(result.entries + 1,
            QStringLiteral("entry %1 is missing (deleted): the chain head records %2 "
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
