// The browser's item model, under QAbstractItemModelTester: every row in the right place in both
// orders, under filters, after eviction and far jumps, with live appends from another connection.
#include "AuditFixture.h"
#include "items/AuditTableModel.h"
#include "workspace/Workspace.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestAuditTableModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QVector<AuditEntry> m_all;

    // Loads rows [first, last] and waits until all are there.
    static bool load(AuditTableModel& model, int first, int last)
    {
        model.prefetch(first, last);
        for (int i = 0; i < 400; ++i) {
            bool all = true;
            for (int r = first; r <= last && all; ++r)
                all = model.isRowLoaded(r);
            if (all)
                return true;
            QSignalSpy spy(&model, &AuditTableModel::rowsLoaded);
            model.prefetch(first, last);
            spy.wait(50);
        }
        return false;
    }

    static bool waitForCount(AuditTableModel& model)
    {
        for (int i = 0; i < 400 && model.totalCount() < 0; ++i)
            QTest::qWait(50);
        return model.totalCount() >= 0;
    }

    // Every row of the model, read page by page like a scrolling view, against the oracle.
    static void compareAll(AuditTableModel& model, const QVector<AuditEntry>& want)
    {
        QVERIFY(waitForCount(model));
        QCOMPARE(model.totalCount(), qint64(want.size()));
        QCOMPARE(model.rowCount(), int(want.size()));
        for (int first = 0; first < want.size(); first += 300) {
            const int last = qMin(first + 299, int(want.size()) - 1);
            QVERIFY2(load(model, first, last), qPrintable(QStringLiteral("rows %1-%2").arg(first).arg(last)));
            for (int r = first; r <= last; ++r) {
                QCOMPARE(
                    model.data(model.index(r, 0), AuditTableModel::EntryIdRole).toLongLong(), want.at(r).id);
            }
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("ws.sqlite"));
        test::AuditFixtureOptions options;
        options.entries = 3000;
        QVERIFY(test::generateAuditLog(m_path, options));
        m_all = test::readAllEntries(m_path);
    }

    void allRowsNewestFirstThenOldestFirst()
    {
        AuditTableModel model(m_path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        compareAll(model, test::expected(m_all, AuditFilter(), AuditOrder::NewestFirst));
        model.sort(AuditTableModel::TimeColumn, Qt::AscendingOrder);
        QCOMPARE(model.order(), AuditOrder::OldestFirst);
        compareAll(model, test::expected(m_all, AuditFilter(), AuditOrder::OldestFirst));
        model.sort(AuditTableModel::ActorColumn, Qt::DescendingOrder); // only time sorts
        QCOMPARE(model.order(), AuditOrder::OldestFirst);
    }

    void displayShowsLocalTimeAndResult()
    {
        AuditTableModel model(m_path);
        QVERIFY(load(model, 0, 10));
        const AuditEntry top = test::expected(m_all, AuditFilter(), AuditOrder::NewestFirst).first();
        const QDateTime local = QDateTime::fromString(top.ts, Qt::ISODateWithMs).toLocalTime();
        QCOMPARE(model.data(model.index(0, AuditTableModel::TimeColumn)).toString(),
            local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        QCOMPARE(model.data(model.index(0, AuditTableModel::TimeColumn), AuditTableModel::TimestampRole)
                     .toString(),
            top.ts);
        QCOMPARE(model.data(model.index(0, AuditTableModel::ActorColumn)).toString(), top.actor);
        QCOMPARE(model.data(model.index(0, AuditTableModel::ResultColumn)).toString(),
            top.success ? QStringLiteral("succeeded") : QStringLiteral("failed"));
        QCOMPARE(model.entryAt(0)->hash, top.hash);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Time"));
    }

    void filtersNarrowTheRows()
    {
        AuditTableModel model(m_path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AuditFilter f;
        f.actions = {QStringLiteral("grant"), QStringLiteral("revoke")};
        f.result = AuditFilter::Result::Succeeded;
        f.since = QDateTime(QDate(2025, 3, 1), QTime(0, 0), Qt::UTC);
        model.setFilter(f);
        compareAll(model, test::expected(m_all, f, AuditOrder::NewestFirst));
        f = AuditFilter();
        f.actor = QStringLiteral("nobody");
        model.setFilter(f);
        QVERIFY(waitForCount(model));
        QCOMPARE(model.rowCount(), 0);
    }

    void farJumpsAndEvictionKeepRowsRight()
    {
        AuditTableModel model(m_path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCacheLimit(600);
        QVERIFY(waitForCount(model));
        const QVector<AuditEntry> want = test::expected(m_all, AuditFilter(), AuditOrder::NewestFirst);
        // The bottom, the middle, near the top, then back: each lands by a different path
        // (OFFSET from the end, from a loaded row, keyset next to a loaded row).
        for (int row : {int(want.size()) - 1, 1500, 1490, 40, 2990, 1500, 700}) {
            QVERIFY2(load(model, qMax(0, row - 5), qMin(int(want.size()) - 1, row + 5)),
                qPrintable(QString::number(row)));
            for (int r = qMax(0, row - 5); r <= qMin(int(want.size()) - 1, row + 5); ++r)
                QCOMPARE(model.entryAt(r)->id, want.at(r).id);
        }
        // The cache stays small: seven visits of a page or more each would hold ~1,800 rows
        // without eviction; the model trims back to its limit plus at most one page.
        int loaded = 0;
        for (int r = 0; r < want.size(); ++r)
            loaded += model.isRowLoaded(r) ? 1 : 0;
        QVERIFY2(loaded <= 600 + AuditTableModel::pageSize, qPrintable(QString::number(loaded)));
        QVERIFY(model.isRowLoaded(700)); // the place looked at last is kept
    }

    void liveAppendsAppearAtTheNewestEnd()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("live.sqlite"));
        test::AuditFixtureOptions options;
        options.entries = 700;
        options.end = QDateTime::currentDateTimeUtc().addDays(-1);
        options.start = options.end.addDays(-30);
        QVERIFY(test::generateAuditLog(path, options));
        auto writer = Workspace::open(path);
        QVERIFY(writer);
        (*writer)->setActor(QStringLiteral("live-writer"));

        for (AuditOrder order : {AuditOrder::NewestFirst, AuditOrder::OldestFirst}) {
            AuditTableModel model(path);
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            model.setPollInterval(0); // only explicit notifications, so the test controls timing
            model.setOrder(order);
            QVERIFY(waitForCount(model));
            const int before = model.rowCount();
            QVERIFY(load(model, 0, 20));
            QVERIFY(load(model, before - 20, before - 1));
            QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
            QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
            for (int i = 0; i < 3; ++i)
                QVERIFY((*writer)->recordEvent(QStringLiteral("key.verify"), QStringLiteral("viewer"),
                    QStringLiteral("role:viewer"), true, {}));
            model.notifyAppended();
            QTRY_COMPARE(model.rowCount(), before + 3);
            QCOMPARE(reset.count(), 0); // inserted in place, not reloaded
            QCOMPARE(inserted.count(), 1);
            const int newest = order == AuditOrder::NewestFirst ? 0 : before + 2;
            QCOMPARE(model.data(model.index(newest, AuditTableModel::ActorColumn)).toString(),
                QStringLiteral("live-writer"));
            QCOMPARE(model.totalCount(), qint64(before + 3));
            // Rows loaded before the insert still sit at their (shifted) place.
            compareAll(model, test::expected(test::readAllEntries(path), AuditFilter(), order));
        }
    }

    void appendsTheFilterHidesChangeNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("hidden.sqlite"));
        test::AuditFixtureOptions options;
        options.entries = 300;
        QVERIFY(test::generateAuditLog(path, options));
        auto writer = Workspace::open(path);
        QVERIFY(writer);
        AuditTableModel model(path);
        model.setPollInterval(50); // polling finds other programs' appends
        AuditFilter f;
        f.actor = QStringLiteral("alice");
        model.setFilter(f);
        QVERIFY(waitForCount(model));
        const int before = model.rowCount();
        (*writer)->setActor(QStringLiteral("bob"));
        QVERIFY((*writer)->recordEvent(QStringLiteral("key.verify"), {}, QStringLiteral("x"), true, {}));
        QTest::qWait(300);
        QCOMPARE(model.rowCount(), before);
        (*writer)->setActor(QStringLiteral("alice"));
        QVERIFY((*writer)->recordEvent(QStringLiteral("key.verify"), {}, QStringLiteral("x"), false, {}));
        QTRY_COMPARE(model.rowCount(), before + 1);
        QVERIFY(load(model, 0, 0));
        QCOMPARE(model.data(model.index(0, 0), AuditTableModel::SuccessRole).toBool(), false);
    }

    void locateFindsAnEntry()
    {
        AuditTableModel model(m_path);
        QVERIFY(waitForCount(model));
        const QVector<AuditEntry> want = test::expected(m_all, AuditFilter(), AuditOrder::NewestFirst);
        QSignalSpy located(&model, &AuditTableModel::located);
        model.locate(want.at(1234).id);
        QVERIFY(located.wait(5000));
        QCOMPARE(located.first().at(1).toInt(), 1234);
    }
};

QTEST_GUILESS_MAIN(TestAuditTableModel)
#include "tst_audittablemodel.moc"
