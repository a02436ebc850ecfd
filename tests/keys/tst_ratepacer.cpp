#include "klaviyo/RatePacer.h"
#include "policy/ScopeCatalog.h"

#include <QTest>

using namespace rbac;

namespace {
const RateLimit xs {QStringLiteral("1/s"), QStringLiteral("15/m"), {}};
const RateLimit m {QStringLiteral("10/s"), QStringLiteral("150/m"), {}};
const QString accounts = QStringLiteral("GET /api/accounts");

// Sends `n` requests as early as the pacer allows and returns their send times.
QVector<qint64> sendAsFastAsAllowed(
    RatePacer& pacer, const QString& endpoint, const RateLimit& limit, int n, qint64 start = 0)
{
    QVector<qint64> times;
    qint64 now = start;
    for (int i = 0; i < n; ++i) {
        now += pacer.delayMs(endpoint, limit, now);
        pacer.recordSend(endpoint, limit, now);
        times.append(now);
    }
    return times;
}

// The most requests inside any window [t, t + length) — Klaviyo's fixed windows are among them.
int busiestWindow(const QVector<qint64>& times, qint64 length)
{
    int most = 0;
    for (const qint64 start : times) {
        int inside = 0;
        for (const qint64 t : times)
            inside += (t >= start && t < start + length) ? 1 : 0;
        most = std::max(most, inside);
    }
    return most;
}
} // namespace

class TestRatePacer : public QObject
{
    Q_OBJECT

private slots:
    void parsesPublishedLimits()
    {
        QStringList problems;
        const QVector<RatePacer::Window> w = RatePacer::windows(
            {QStringLiteral("3/s"), QStringLiteral("100/m"), QStringLiteral("500/d")}, &problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(w.size(), 3);
        QCOMPARE(w.at(0).count, 3);
        QCOMPARE(w.at(0).lengthMs, 1000);
        QCOMPARE(w.at(1).count, 100);
        QCOMPARE(w.at(1).lengthMs, 60000);
        QCOMPARE(w.at(2).lengthMs, qint64(86400000));
        RatePacer::windows({QStringLiteral("fast"), QStringLiteral("0/m"), {}}, &problems);
        QCOMPARE(problems.size(), 2);
    }

    void everyCatalogLimitParses()
    {
        for (const ScopeProbe& p : ScopeCatalog::builtin().probes()) {
            QStringList problems;
            QVERIFY2(RatePacer::windows(p.rateLimit, &problems).size() >= 2, qPrintable(p.scope));
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char(' '))));
        }
    }

    void firstRequestGoesAtOnce()
    {
        RatePacer pacer(0);
        QCOMPARE(pacer.delayMs(accounts, xs, 5000), 0);
    }

    void burstLimitSpacesRequests()
    {
        RatePacer pacer(0);
        pacer.recordSend(accounts, xs, 5000);
        QCOMPARE(pacer.delayMs(accounts, xs, 5000), 1000);
        QCOMPARE(pacer.delayMs(accounts, xs, 5400), 600);
        QCOMPARE(pacer.delayMs(accounts, xs, 6000), 0);
    }

    void steadyLimitHoldsTheSixteenthForAMinute()
    {
        RatePacer pacer(0);
        const QVector<qint64> times = sendAsFastAsAllowed(pacer, accounts, xs, 16);
        // 15 at one per second, then the 16th waits until the first has left the minute window.
        QCOMPARE(times.at(14), 14000);
        QCOMPARE(times.at(15), 60000);
        QVERIFY(busiestWindow(times, 1000) <= 1);
        QVERIFY(busiestWindow(times, 60000) <= 15);
    }

    void neverExceedsAnyWindow()
    {
        RatePacer pacer; // with the default margin
        const QVector<qint64> times = sendAsFastAsAllowed(pacer, QStringLiteral("GET /api/lists"), m, 400);
        QVERIFY(busiestWindow(times, 1000) <= 10);
        QVERIFY(busiestWindow(times, 60000) <= 150);
        // Even if any request arrived up to the margin late and the next one on time.
        QVERIFY(busiestWindow(times, 1000 + RatePacer::defaultMarginMs) <= 10);
        // …and is not needlessly slow: 400 requests at 150/min fit in just over two minutes.
        QVERIFY2(times.constLast() <= 2 * (60000 + RatePacer::defaultMarginMs) + 10000,
            qPrintable(QString::number(times.constLast())));
    }

    void endpointsArePacedSeparately()
    {
        RatePacer pacer(0);
        pacer.recordSend(accounts, xs, 0);
        QCOMPARE(pacer.delayMs(QStringLiteral("GET /api/webhooks"), xs, 0), 0);
        QCOMPARE(pacer.delayMs(accounts, xs, 0), 1000);
    }

    void marginKeepsJitterFromBreakingTheLimit()
    {
        RatePacer pacer;
        pacer.recordSend(accounts, xs, 5000);
        QCOMPARE(pacer.delayMs(accounts, xs, 5000), 1000 + RatePacer::defaultMarginMs);
        const QVector<qint64> times = sendAsFastAsAllowed(pacer, QStringLiteral("GET /api/webhooks"), xs, 16);
        QCOMPARE(times.at(15) - times.at(0), 60000 + RatePacer::defaultMarginMs);
    }

    void holdAfterThrottling()
    {
        RatePacer pacer(0);
        pacer.holdUntil(accounts, 30000);
        QCOMPARE(pacer.delayMs(accounts, xs, 10000), 20000);
        QCOMPARE(pacer.delayMs(accounts, xs, 30000), 0);
        pacer.holdUntil(accounts, 20000); // an earlier hold never shortens a later one
        QCOMPARE(pacer.delayMs(accounts, xs, 10000), 20000);
    }
};

QTEST_GUILESS_MAIN(TestRatePacer)
#include "tst_ratepacer.moc"
