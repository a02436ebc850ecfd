#pragma once

#include "audit/AuditStats.h"

#include <QWidget>

class QChart;
class QChartView;
class QLabel;

namespace rbac {

// Entries per hour or day over the filtered range, failures drawn apart in red so a burst of
// denied requests stands out.
class AuditChart : public QWidget
{
    Q_OBJECT

public:
    explicit AuditChart(QWidget* parent = nullptr);

    void setBuckets(const QVector<AuditActivityBucket>& buckets, AuditBucketSize size);
    // A one-line summary, also the chart's accessible description ("1,204 entries, 17 failed, …").
    QString summary() const { return m_summary; }
    int bucketCount() const { return m_buckets; }

private:
    QChartView* m_view;
    QChart* m_chart;
    QLabel* m_caption;
    QString m_summary;
    int m_buckets = 0;
};

} // namespace rbac
