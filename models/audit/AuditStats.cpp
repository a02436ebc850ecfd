#include "audit/AuditStats.h"

#include "audit/AuditLog.h"
#include "audit/AuditWorker.h"

#include <QMap>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace rbac {

namespace {

constexpr int activityKey = 1;
constexpr int facetsKey = 2;
// A chart of more bars than this is unreadable and slow to draw: coarser buckets instead.
constexpr int maxBuckets = 24 * 31;

QDateTime bucketStart(const QDateTime& local, AuditBucketSize size)
{
    if (size == AuditBucketSize::Day)
        return QDateTime(local.date(), QTime(0, 0));
    return QDateTime(local.date(), QTime(local.time().hour(), 0));
}

QDateTime nextBucket(const QDateTime& start, AuditBucketSize size)
{
    if (size == AuditBucketSize::Day)
        return QDateTime(start.date().addDays(1), QTime(0, 0));
    return bucketStart(start.addSecs(3600), size);
}

} // namespace

Expected<QVector<AuditStats::HourCount>> AuditStats::hourly(QSqlDatabase& db, const AuditFilter& filter)
{
    // Totals and failures in two passes: a time-only filter counts totals from the (ts, id)
    // index and failures from the small partial index of failures, never reading the table
    // (a million entries: a fraction of a second instead of seconds).
    QMap<QString, HourCount> hours;
    for (const bool failures : {false, true}) {
        AuditFilter f = filter;
        if (failures) {
            if (filter.result == AuditFilter::Result::Succeeded)
                break;
            f.result = AuditFilter::Result::Failed;
        }
        const AuditFilter::Sql where = f.toSql();
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral("SELECT substr(ts, 1, 13) AS hour, COUNT(*) FROM audit_log WHERE %1 GROUP BY hour")
                .arg(where.where));
        for (const QVariant& v : where.binds)
            q.addBindValue(v);
        if (!q.exec())
            return Status::error(
                ErrorKind::Environment, QStringLiteral("audit activity: %1").arg(q.lastError().text()));
        while (q.next()) {
            HourCount& h = hours[q.value(0).toString()];
            h.hour = q.value(0).toString();
            (failures ? h.failed : h.total) = q.value(1).toLongLong();
        }
    }
    return hours.values().toVector(); // QMap: in hour order
}

QVector<AuditActivityBucket> AuditStats::bucket(
    const QVector<HourCount>& hours, AuditBucketSize size, const QDateTime& from, const QDateTime& to)
{
    QMap<QDateTime, AuditActivityBucket> byStart;
    for (const HourCount& h : hours) {
        const QDateTime utc = QDateTime::fromString(h.hour + QStringLiteral(":00:00Z"), Qt::ISODate);
        if (!utc.isValid())
            continue;
        const QDateTime start = bucketStart(utc.toLocalTime(), size);
        AuditActivityBucket& b = byStart[start];
        b.start = start;
        b.total += h.total;
        b.failed += h.failed;
    }
    QDateTime first = from.isValid() ? bucketStart(from.toLocalTime(), size)
                                     : (byStart.isEmpty() ? QDateTime() : byStart.firstKey());
    QDateTime last = to.isValid() ? bucketStart(to.toLocalTime(), size)
                                  : (byStart.isEmpty() ? QDateTime() : byStart.lastKey());
    if (!first.isValid() || !last.isValid() || last < first)
        return byStart.values().toVector();
    QVector<AuditActivityBucket> out;
    for (QDateTime t = first; t <= last && out.size() <= 100000; t = nextBucket(t, size)) {
        auto it = byStart.constFind(t);
        out.append(it != byStart.cend() ? *it : AuditActivityBucket {t, 0, 0});
    }
    return out;
}

AuditBucketSize AuditStats::suggestedSize(const QDateTime& from, const QDateTime& to)
{
    if (from.isValid() && to.isValid() && from.secsTo(to) <= 3 * 86400)
        return AuditBucketSize::Hour;
    return AuditBucketSize::Day;
}

Expected<AuditStats::Facets> AuditStats::facets(QSqlDatabase& db)
{
    AuditLog log(db);
    Facets f;
    for (auto [column, target] :
        {std::pair {"actor", &f.actors}, std::pair {"role", &f.roles}, std::pair {"action", &f.actions}}) {
        Expected<QStringList> values = log.distinctValues(QLatin1String(column));
        if (!values)
            return values.status();
        *target = values.value();
    }
    return f;
}

AuditStats::AuditStats(const QString& databasePath, QObject* parent)
    : QObject(parent)
    , m_worker(std::make_unique<AuditWorker>(databasePath))
{
    qRegisterMetaType<QVector<rbac::AuditActivityBucket>>();
    qRegisterMetaType<rbac::AuditBucketSize>();
}

AuditStats::~AuditStats()
{
    m_worker.reset(); // joins the thread before this object goes
}

void AuditStats::requestFacets()
{
    QPointer<AuditStats> self(this);
    m_worker->post(
        [self](QSqlDatabase& db) {
            Expected<Facets> f = facets(db);
            QMetaObject::invokeMethod(
                self.data(),
                [self, f] {
                    if (f)
                        emit self->facetsReady(f->actors, f->roles, f->actions);
                    else
                        emit self->errorOccurred(f.status().message());
                },
                Qt::QueuedConnection);
        },
        facetsKey);
}

void AuditStats::requestActivity(const AuditFilter& filter)
{
    const quint64 generation = ++m_generation;
    m_worker->interrupt(activityKey);
    QPointer<AuditStats> self(this);
    m_worker->post(
        [self, filter, generation](QSqlDatabase& db) {
            Expected<QVector<HourCount>> hours = hourly(db, filter);
            QVector<AuditActivityBucket> buckets;
            AuditBucketSize size = AuditBucketSize::Day;
            if (hours) {
                QDateTime from = filter.since;
                QDateTime to = filter.until.isValid() ? filter.until.addMSecs(-1) : QDateTime();
                if (!from.isValid() && !hours->isEmpty())
                    from = QDateTime::fromString(
                        hours->constFirst().hour + QStringLiteral(":00:00Z"), Qt::ISODate);
                if (!to.isValid() && !hours->isEmpty())
                    to = QDateTime::fromString(
                        hours->constLast().hour + QStringLiteral(":00:00Z"), Qt::ISODate);
                size = suggestedSize(from, to);
                // Clamp an open-ended range to the entries so "since 1970" does not draw decades.
                if (!hours->isEmpty()) {
                    const QDateTime firstEntry = QDateTime::fromString(
                        hours->constFirst().hour + QStringLiteral(":00:00Z"), Qt::ISODate);
                    const QDateTime lastEntry = QDateTime::fromString(
                        hours->constLast().hour + QStringLiteral(":00:00Z"), Qt::ISODate);
                    if (from.isValid() && from.secsTo(firstEntry) > 86400LL * maxBuckets)
                        from = firstEntry;
                    if (to.isValid() && lastEntry.secsTo(to) > 86400LL * maxBuckets)
                        to = lastEntry;
                }
                buckets = bucket(*hours, size, from, to);
            }
            const QString error = hours ? QString() : hours.status().message();
            QMetaObject::invokeMethod(
                self.data(),
                [self, generation, buckets, size, error] {
                    if (generation != self->m_generation)
                        return;
                    if (!error.isEmpty())
                        emit self->errorOccurred(error);
                    else
                        emit self->activityReady(buckets, size);
                },
                Qt::QueuedConnection);
        },
        activityKey);
}

} // namespace rbac
