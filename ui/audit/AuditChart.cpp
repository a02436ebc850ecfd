#include "audit/AuditChart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QVBoxLayout>
#include <QValueAxis>

namespace rbac {

namespace {

// Drawn as steps: each bucket is a flat segment over its whole hour or day, so a reader sees
// counts per bucket rather than a line interpolated between them.
void addStep(QLineSeries* series, const QDateTime& start, const QDateTime& end, qint64 value)
{
    series->append(double(start.toMSecsSinceEpoch()), double(value));
    series->append(double(end.toMSecsSinceEpoch()), double(value));
}

} // namespace

AuditChart::AuditChart(QWidget* parent)
    : QWidget(parent)
    , m_view(new QChartView(this))
    , m_chart(new QChart)
    , m_caption(new QLabel(this))
{
    setObjectName(QStringLiteral("auditChart"));
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_view->setChart(m_chart); // the view owns the chart
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setObjectName(QStringLiteral("auditChartView"));
    m_view->viewport()->setObjectName(QStringLiteral("auditChartViewport"));
    m_view->viewport()->setAccessibleName(tr("Activity chart"));
    m_view->setAccessibleName(tr("Activity chart"));
    m_view->setMinimumHeight(140);
    m_caption->setObjectName(QStringLiteral("auditChartCaption"));
    m_caption->setAccessibleName(tr("Activity chart summary"));
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_caption);
    setBuckets({}, AuditBucketSize::Day);
}

void AuditChart::setBuckets(const QVector<AuditActivityBucket>& buckets, AuditBucketSize size)
{
    m_chart->removeAllSeries();
    for (QAbstractAxis* axis : m_chart->axes())
        m_chart->removeAxis(axis);
    m_buckets = int(buckets.size());

    auto* total = new QLineSeries;
    total->setName(tr("Entries"));
    auto* failedLine = new QLineSeries;
    auto* baseline = new QLineSeries;
    qint64 entries = 0;
    qint64 failed = 0;
    qint64 peak = 0;
    for (const AuditActivityBucket& b : buckets) {
        const QDateTime end = size == AuditBucketSize::Day ? QDateTime(b.start.date().addDays(1), QTime(0, 0))
                                                           : b.start.addSecs(3600);
        addStep(total, b.start, end, b.total);
        addStep(failedLine, b.start, end, b.failed);
        addStep(baseline, b.start, end, 0);
        entries += b.total;
        failed += b.failed;
        peak = qMax(peak, b.total);
    }
    auto* failures = new QAreaSeries(failedLine, baseline);
    failures->setName(tr("Failed"));
    failures->setColor(QColor(200, 40, 40, 170));
    failures->setBorderColor(QColor(200, 40, 40));
    total->setColor(QColor(40, 90, 170));
    m_chart->addSeries(total);
    m_chart->addSeries(failures);

    auto* x = new QDateTimeAxis;
    x->setFormat(size == AuditBucketSize::Day ? QStringLiteral("MMM d") : QStringLiteral("MMM d HH:mm"));
    x->setTickCount(6);
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%d"));
    y->setRange(0, double(qMax<qint64>(peak, 1)) * 1.1);
    if (!buckets.isEmpty()) {
        const QDateTime last = buckets.constLast().start;
        x->setRange(buckets.constFirst().start,
            size == AuditBucketSize::Day ? QDateTime(last.date().addDays(1), QTime(0, 0))
                                         : last.addSecs(3600));
    }
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s : m_chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }

    const QLocale locale;
    if (buckets.isEmpty()) {
        m_summary = tr("No entries in this range.");
    } else {
        m_summary = tr("%1 entries, %2 failed, over %3 %4 (local time); busiest: %5.")
                        .arg(locale.toString(entries), locale.toString(failed))
                        .arg(buckets.size())
                        .arg(size == AuditBucketSize::Day ? tr("days") : tr("hours"))
                        .arg(locale.toString(peak));
    }
    m_caption->setText(m_summary);
    m_view->setAccessibleDescription(m_summary);
}

} // namespace rbac
