// The whole page, as a person sees it: building every widget, painting the rows, scrolling with
// the scroll bar. Reported for information; painting costs the same whatever the data source.
#include "audit/AuditChart.h"
#include "audit/AuditPage.h"
#include "items/AuditTableModel.h"
#include "BenchReport.h"
#include "BenchSupport.h"

#include <QScrollBar>
#include <QTableView>

#include <memory>

namespace rbac::bench {

namespace {

QTableView* tableOf(AuditPage* page)
{
    return page->findChild<QTableView*>(QStringLiteral("auditTable"));
}

// True when every row the table shows is loaded (asking for the missing ones, as a paint would).
bool visibleLoaded(QTableView* table)
{
    auto* model = static_cast<AuditTableModel*>(table->model());
    if (model->rowCount() == 0)
        return model->totalCount() == 0;
    const int first = qMax(0, table->rowAt(0));
    int last = table->rowAt(table->viewport()->height() - 1);
    if (last < 0)
        last = model->rowCount() - 1;
    for (int r = first; r <= last; ++r) {
        if (!model->isRowLoaded(r)) {
            model->prefetch(r, last);
            return false;
        }
    }
    return true;
}

double paintMillis(QTableView* table)
{
    QElapsedTimer t;
    t.start();
    table->viewport()->repaint();
    return millisSince(t);
}

} // namespace

int measureThroughPage(BenchContext& ctx)
{
    BenchReport& report = *ctx.report;
    QVector<double> open;
    for (int r = 0; r < ctx.runs; ++r) {
        QElapsedTimer t;
        t.start();
        auto page = std::make_unique<AuditPage>(ctx.workspace);
        page->resize(1280, 900);
        page->show();
        if (!waitUntil([&] { return visibleLoaded(tableOf(page.get())); }))
            return report.fail(QStringLiteral("the page never showed its first rows"));
        tableOf(page.get())->viewport()->repaint();
        open << millisSince(t);
    }
    report.info(QStringLiteral("whole page built and first rows painted"), open);

    // One page stays open for the rest, so its memory is counted too.
    auto page = std::make_unique<AuditPage>(ctx.workspace);
    page->resize(1280, 900);
    page->show();
    QTableView* table = tableOf(page.get());
    auto* model = page->model();
    auto* chart = page->findChild<AuditChart*>();
    // Let its own background work (the chart over a million entries) finish first.
    if (!waitUntil(
            [&] { return model->totalCount() >= 0 && visibleLoaded(table) && chart->bucketCount() > 0; }))
        return report.fail(QStringLiteral("the page never settled"));

    QVector<double> paints;
    QVector<double> steps;
    QScrollBar* bar = table->verticalScrollBar();
    for (const double fraction : {0.0, 0.5, 0.999}) {
        table->scrollTo(
            model->index(int(double(model->rowCount() - 1) * fraction), 0), QAbstractItemView::PositionAtTop);
        waitUntil([&] { return visibleLoaded(table); });
        paints << paintMillis(table);
        for (int s = 0; s < (ctx.quick ? 3 : 40) && bar->value() < bar->maximum(); ++s) {
            idle(30); // keyboard auto-repeat
            QElapsedTimer t;
            t.start();
            bar->setValue(bar->value() + bar->pageStep());
            waitUntil([&] { return visibleLoaded(table); });
            steps << millisSince(t);
            paints << paintMillis(table);
        }
    }
    report.info(QStringLiteral("scroll-bar page-down, 30 ms apart, rows loaded"), steps);
    report.info(QStringLiteral("repaint of the visible rows (1280×900)"), paints);
    report.memory();
    return 0;
}

} // namespace rbac::bench
