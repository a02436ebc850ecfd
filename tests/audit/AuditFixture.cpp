#include "AuditFixture.h"

#include "base/Clock.h"
#include "workspace/Workspace.h"

#include <QAtomicInt>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <random>

namespace rbac::test {

namespace {

QAtomicInt connections;

// One raw connection, closed and removed when it goes.
class RawConnection
{
public:
    explicit RawConnection(const QString& path)
        : m_name(QStringLiteral("audit-fixture-%1").arg(connections.fetchAndAddOrdered(1)))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        m_db.open();
    }
    ~RawConnection()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase& db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

Status sqlError(const QSqlQuery& q, const QString& what)
{
    return Status::error(ErrorKind::Environment, what + QStringLiteral(": ") + q.lastError().text());
}

} // namespace

QStringList fixtureActors()
{
    return {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave"),
        QStringLiteral("erin"), QStringLiteral("frank"), QStringLiteral("grace"), QStringLiteral("heidi"),
        QStringLiteral("ivan"), QStringLiteral("judy"), QStringLiteral("mallory"), QStringLiteral("niaj"),
        QStringLiteral("olivia"), QStringLiteral("peggy"), QStringLiteral("rupert"), QStringLiteral("sybil"),
        QStringLiteral("trent"), QStringLiteral("victor"), QStringLiteral("walter"), QStringLiteral("zoë"),
        QStringLiteral("svc-checkout"), QStringLiteral("svc-sync"), QStringLiteral("svc-mailer"),
        QStringLiteral("svc-reports")};
}

QStringList fixtureRoles()
{
    return {QStringLiteral("admin"), QStringLiteral("marketer"), QStringLiteral("developer"),
        QStringLiteral("viewer"), QStringLiteral("service"), QStringLiteral("analyst"),
        QStringLiteral("")}; // empty, not null: a null QString would bind as SQL NULL
}

QStringList fixtureActions()
{
    // Weighted by repetition: requests dominate, policy changes are rarer.
    return {QStringLiteral("api.request"), QStringLiteral("api.request"), QStringLiteral("api.request"),
        QStringLiteral("api.request"), QStringLiteral("grant"), QStringLiteral("grant"),
        QStringLiteral("revoke"), QStringLiteral("role.add"), QStringLiteral("role.rename"),
        QStringLiteral("setting.set"), QStringLiteral("key.verify"), QStringLiteral("permission.add")};
}

Expected<qint64> generateAuditLog(const QString& path, const AuditFixtureOptions& options)
{
    {
        // A real workspace first: schema, migrations, defaults and its first entry.
        Expected<std::unique_ptr<Workspace>> ws = Workspace::open(path);
        if (!ws)
            return ws.status();
    }
    RawConnection raw(path);
    QSqlDatabase& db = raw.db();
    QSqlQuery q(db);
    // Bulk loading only: durability per row is not wanted here, the final COMMIT is enough.
    q.exec(QStringLiteral("PRAGMA synchronous = OFF"));
    // Secondary indexes are rebuilt once at the end, far faster than maintained row by row.
    QStringList indexSql;
    QStringList indexNames;
    if (!q.exec(QStringLiteral(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' "
            "AND sql IS NOT NULL")))
        return sqlError(q, QStringLiteral("listing indexes"));
    while (q.next()) {
        indexNames << q.value(0).toString();
        indexSql << q.value(1).toString();
    }
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return sqlError(q, QStringLiteral("begin"));
    for (const QString& name : std::as_const(indexNames))
        q.exec(QStringLiteral("DROP INDEX %1").arg(name));
    if (!q.exec(QStringLiteral("SELECT last_id, last_hash FROM audit_head WHERE id = 1")) || !q.next())
        return sqlError(q, QStringLiteral("reading the head"));
    qint64 id = q.value(0).toLongLong();
    QString prev = q.value(1).toString();

    std::mt19937_64 rng(options.seed);
    const QStringList actors = fixtureActors();
    const QStringList roles = fixtureRoles();
    const QStringList actions = fixtureActions();
    const qint64 spanMs = qMax<qint64>(1, options.start.msecsTo(options.end));
    const double step = double(spanMs) / double(qMax<qint64>(1, options.entries));
    QSqlQuery insert(db);
    insert.prepare(
        QStringLiteral("INSERT INTO audit_log (id, ts, actor, role, action, resource, success, details, "
                       "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    qint64 lastMs = -1;
    for (qint64 i = 0; i < options.entries; ++i) {
        AuditEntry e;
        e.id = ++id;
        // Evenly spread with jitter, never going back; about 1 in 50 shares the previous
        // millisecond so ties on ts (broken by id) are exercised.
        qint64 ms = qint64(double(i) * step) + qint64(rng() % quint64(qMax(1.0, step)));
        if (rng() % 50 == 0 && lastMs >= 0)
            ms = lastMs;
        ms = qMax(ms, lastMs);
        lastMs = ms;
        e.ts = isoUtc(options.start.addMSecs(ms));
        e.actor = actors.at(int(rng() % quint64(actors.size())));
        e.role = roles.at(int(rng() % quint64(roles.size())));
        e.action = actions.at(int(rng() % quint64(actions.size())));
        e.success = rng() % 16 != 0;
        QJsonObject details;
        if (e.action == QLatin1String("api.request")) {
            static const char* const paths[] = {"profiles", "campaigns", "lists", "events", "metrics"};
            const QString target = QLatin1String(paths[rng() % 5]);
            e.resource = QStringLiteral("api:") + target;
            details = {{QStringLiteral("path"), QStringLiteral("/api/%1/").arg(target)},
                {QStringLiteral("status"), e.success ? 200 : 403},
                {QStringLiteral("origin"), QStringLiteral("import")}};
        } else {
            const QString role = e.role.isEmpty() ? QStringLiteral("viewer") : e.role;
            e.resource = e.action.startsWith(QLatin1String("setting")) ? QStringLiteral("setting:theme")
                                                                       : QStringLiteral("role:") + role;
            const bool granted = e.action != QLatin1String("revoke");
            details = {{QStringLiteral("before"), QJsonObject {{QStringLiteral("granted"), !granted}}},
                {QStringLiteral("after"), QJsonObject {{QStringLiteral("granted"), granted}}},
                {QStringLiteral("origin"), QStringLiteral("console")},
                {QStringLiteral("ticket"), QStringLiteral("SEC-%1").arg(rng() % 1000)}};
        }
        e.details = QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact));
        e.hash = AuditChain::computeHash(e, prev);
        insert.addBindValue(e.id);
        insert.addBindValue(e.ts);
        insert.addBindValue(e.actor);
        insert.addBindValue(e.role);
        insert.addBindValue(e.action);
        insert.addBindValue(e.resource);
        insert.addBindValue(e.success ? 1 : 0);
        insert.addBindValue(e.details);
        insert.addBindValue(prev);
        insert.addBindValue(e.hash);
        if (!insert.exec())
            return sqlError(insert, QStringLiteral("inserting entry %1").arg(e.id));
        prev = e.hash;
    }
    QSqlQuery head(db);
    head.prepare(QStringLiteral("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1"));
    head.addBindValue(id);
    head.addBindValue(prev);
    if (!head.exec())
        return sqlError(head, QStringLiteral("moving the head"));
    for (const QString& sql : std::as_const(indexSql)) {
        if (!q.exec(sql))
            return sqlError(q, QStringLiteral("recreating an index"));
    }
    if (!q.exec(QStringLiteral("COMMIT")))
        return sqlError(q, QStringLiteral("commit"));
    q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    return options.entries;
}

QVector<AuditEntry> readAllEntries(const QString& path)
{
    RawConnection raw(path);
    QSqlQuery q(raw.db());
    q.setForwardOnly(true);
    q.exec(QStringLiteral("SELECT id, ts, actor, role, action, resource, success, details, prev_hash, hash "
                          "FROM audit_log ORDER BY id"));
    QVector<AuditEntry> out;
    while (q.next()) {
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
        out.append(e);
    }
    return out;
}

bool matches(const AuditFilter& f, const AuditEntry& e)
{
    const QDateTime ts = QDateTime::fromString(e.ts, Qt::ISODateWithMs);
    if (f.since.isValid() && ts < f.since)
        return false;
    if (f.until.isValid() && ts >= f.until)
        return false;
    if (!f.actor.isEmpty() && e.actor != f.actor)
        return false;
    if (!f.role.isEmpty() && e.role != f.role)
        return false;
    if (!f.actions.isEmpty() && !f.actions.contains(e.action))
        return false;
    if (!f.resource.isEmpty() && !e.resource.contains(f.resource, Qt::CaseInsensitive))
        return false;
    if (f.result == AuditFilter::Result::Succeeded && !e.success)
        return false;
    if (f.result == AuditFilter::Result::Failed && e.success)
        return false;
    if (!f.text.isEmpty() && !e.details.contains(f.text, Qt::CaseInsensitive))
        return false;
    if (f.afterId > 0 && e.id <= f.afterId)
        return false;
    if (f.upToId > 0 && e.id > f.upToId)
        return false;
    return true;
}

QVector<AuditEntry> expected(const QVector<AuditEntry>& entries, const AuditFilter& filter, AuditOrder order)
{
    QVector<AuditEntry> out;
    std::copy_if(entries.cbegin(), entries.cend(), std::back_inserter(out),
        [&filter](const AuditEntry& e) { return matches(filter, e); });
    std::sort(out.begin(), out.end(), [order](const AuditEntry& a, const AuditEntry& b) {
        const QDateTime ta = QDateTime::fromString(a.ts, Qt::ISODateWithMs);
        const QDateTime tb = QDateTime::fromString(b.ts, Qt::ISODateWithMs);
        const bool less = ta < tb || (ta == tb && a.id < b.id);
        return order == AuditOrder::OldestFirst ? less : !less && !(ta == tb && a.id == b.id);
    });
    return out;
}

} // namespace rbac::test
