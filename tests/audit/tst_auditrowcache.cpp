// The browser's row cache: segments merge, gaps open, far rows are dropped.
#include "audit/AuditRowCache.h"

#include <QTest>

using namespace rbac;

namespace {

QVector<AuditEntry> rows(qint64 firstId, int count)
{
    QVector<AuditEntry> out;
    for (int i = 0; i < count; ++i) {
        AuditEntry e;
        e.id = firstId + i;
        out.append(e);
    }
    return out;
}

qint64 idAt(const AuditRowCache& cache, int row)
{
    const AuditEntry* e = cache.find(row);
    return e ? e->id : -1;
}

} // namespace

class TestAuditRowCache : public QObject
{
    Q_OBJECT

private slots:
    void storeAndFind()
    {
        AuditRowCache cache;
        QVERIFY(cache.isEmpty());
        cache.store(100, rows(1000, 10));
        QCOMPARE(cache.size(), 10);
        QCOMPARE(idAt(cache, 100), 1000);
        QCOMPARE(idAt(cache, 109), 1009);
        QCOMPARE(idAt(cache, 99), -1);
        QCOMPARE(idAt(cache, 110), -1);
    }

    void overlappingAndTouchingSegmentsMerge()
    {
        AuditRowCache cache;
        cache.store(0, rows(0, 10));
        cache.store(20, rows(20, 10));
        QCOMPARE(cache.firstMissing(0, 29), 10);
        cache.store(10, rows(10, 10)); // fills the gap exactly: one segment
        QCOMPARE(cache.size(), 30);
        QCOMPARE(cache.firstMissing(0, 29), -1);
        cache.store(5, rows(500, 10)); // overwrites 5..14 in the middle
        QCOMPARE(cache.size(), 30);
        QCOMPARE(idAt(cache, 4), 4);
        QCOMPARE(idAt(cache, 5), 500);
        QCOMPARE(idAt(cache, 14), 509);
        QCOMPARE(idAt(cache, 15), 15);
        QCOMPARE(idAt(cache, 29), 29);
        QCOMPARE(cache.cachedBefore(0), -1);
        QCOMPARE(cache.cachedAfter(29), -1);
    }

    void neighbours()
    {
        AuditRowCache cache;
        cache.store(10, rows(10, 5));   // 10..14
        cache.store(100, rows(100, 5)); // 100..104
        QCOMPARE(cache.cachedBefore(50), 14);
        QCOMPARE(cache.cachedAfter(50), 100);
        QCOMPARE(cache.cachedBefore(12), 11);
        QCOMPARE(cache.cachedAfter(12), 13);
        QCOMPARE(cache.cachedBefore(10), -1);
        QCOMPARE(cache.cachedAfter(104), -1);
        QCOMPARE(cache.cachedAfter(14), 100);
        QCOMPARE(cache.firstMissing(10, 14), -1);
        QCOMPARE(cache.firstMissing(12, 20), 15);
        QCOMPARE(cache.firstMissing(0, 9), 0);
    }

    void insertGapShiftsRows()
    {
        AuditRowCache cache;
        cache.store(0, rows(0, 10));
        cache.insertGap(0, 3); // three new rows at the top
        QCOMPARE(idAt(cache, 0), -1);
        QCOMPARE(idAt(cache, 3), 0);
        QCOMPARE(idAt(cache, 12), 9);
        cache.insertGap(5, 2); // inside a segment: it splits
        QCOMPARE(idAt(cache, 4), 1);
        QCOMPARE(idAt(cache, 5), -1);
        QCOMPARE(idAt(cache, 6), -1);
        QCOMPARE(idAt(cache, 7), 2);
        QCOMPARE(idAt(cache, 14), 9);
        QCOMPARE(cache.size(), 10);
        cache.store(0, rows(100, 3));
        cache.store(5, rows(200, 2));
        QCOMPARE(cache.firstMissing(0, 14), -1);
        QCOMPARE(cache.size(), 15);
    }

    void truncate()
    {
        AuditRowCache cache;
        cache.store(0, rows(0, 10));
        cache.store(20, rows(20, 10));
        cache.truncate(25);
        QCOMPARE(cache.size(), 15);
        QCOMPARE(idAt(cache, 24), 24);
        QCOMPARE(idAt(cache, 25), -1);
        cache.truncate(5);
        QCOMPARE(cache.size(), 5);
        QCOMPARE(cache.cachedAfter(4), -1);
    }

    void trimKeepsRowsAroundTheFocus()
    {
        AuditRowCache cache;
        cache.store(0, rows(0, 1000));
        cache.store(5000, rows(5000, 1000));
        cache.trim(5500, 400);
        QVERIFY(cache.size() <= 401);
        QCOMPARE(idAt(cache, 5500), 5500);
        QCOMPARE(idAt(cache, 5300), 5300);
        QCOMPARE(idAt(cache, 5700), 5700);
        QCOMPARE(idAt(cache, 5299), -1);
        QCOMPARE(idAt(cache, 0), -1);
        cache.trim(5500, 10000); // under the limit: nothing goes
        QVERIFY(cache.size() > 300);
    }
};

QTEST_GUILESS_MAIN(TestAuditRowCache)
#include "tst_auditrowcache.moc"
