#pragma once

#include "audit/AuditFilter.h"
#include "base/Status.h"

#include <QDateTime>
#include <QObject>
#include <QSqlDatabase>
#include <QVector>

#include <memory>

namespace rbac {

class AuditWorker;

// Entries per local-time hour or day, failures apart: the activity chart's data.
struct AuditActivityBucket
{
    QDateTime start; // local time
    qint64 total = 0;
    qint64 failed = 0;
};

enum class AuditBucketSize
{
    Hour,
    Day,
};

// Summaries of the log for the filter bar (who and what appears) and the activity chart.
// The functions run on any connection; AuditStats runs them on its own reader thread.
class AuditStats : public QObject
{
    Q_OBJECT

public:
    struct Facets
    {
        QStringList actors;
        QStringList roles;
        QStringList actions;
    };

    // Counts per UTC hour ("2026-11-26T14") of the filtered entries, in time order.
    struct HourCount
    {
        QString hour;
        qint64 total = 0;
        qint64 failed = 0;
    };
    static Expected<QVector<HourCount>> hourly(QSqlDatabase& db, const AuditFilter& filter);
    // Groups UTC hours into contiguous local-time buckets from `from` to `to` (local; invalid:
    // the first and last hour with entries), empty buckets included so gaps show as zero.
    static QVector<AuditActivityBucket> bucket(const QVector<HourCount>& hours,
        AuditBucketSize size,
        const QDateTime& from = {},
        const QDateTime& to = {});
    // Hours for up to three days, days beyond.
    static AuditBucketSize suggestedSize(const QDateTime& from, const QDateTime& to);
    static Expected<Facets> facets(QSqlDatabase& db);

    explicit AuditStats(const QString& databasePath, QObject* parent = nullptr);
    ~AuditStats() override;

public slots:
    void requestFacets();
    // A newer request supersedes an older one still queued or running.
    void requestActivity(const AuditFilter& filter);

signals:
    void facetsReady(const QStringList& actors, const QStringList& roles, const QStringList& actions);
    void activityReady(const QVector<rbac::AuditActivityBucket>& buckets, rbac::AuditBucketSize size);
    void errorOccurred(const QString& message);

private:
    std::unique_ptr<AuditWorker> m_worker;
    quint64 m_generation = 0;
};

} // namespace rbac

Q_DECLARE_METATYPE(rbac::AuditActivityBucket)
