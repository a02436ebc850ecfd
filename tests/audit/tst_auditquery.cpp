// Filtered reads of the audit log against an independent oracle: counts, keyset pages in both
// orders (ties on ts included), offsets, positions, distinct values, time parsing, the indexes.
#include "AuditFixture.h"
#include "audit/AuditLog.h"
#include "audit/AuditStats.h"
#include "audit/AuditWorker.h"
#include "MockClock.h"
#include "workspace/Workspace.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

Q_DECLARE_METATYPE(rbac::AuditFilter)

class TestAuditQuery : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QVector<AuditEntry> m_all;
    QSqlDatabase m_db;

    static AuditFilter make(std::function<void(AuditFilter&)> edit)
    {
        AuditFilter f;
        edit(f);
        return f;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("ws.sqlite"));
        test::AuditFixtureOptions options;
        options.entries = 6000;
        Expected<qint64> made = test::generateAuditLog(m_path, options);
        QVERIFY2(made, qPrintable(made.status().message()));
        m_all = test::readAllEntries(m_path);
        QCOMPARE(m_all.size(), 6001);
        QString error;
        m_db = AuditWorker::openReadConnection(m_path, &error);
        QVERIFY2(m_db.isOpen(), qPrintable(error));
    }

    void cleanupTestCase() { AuditWorker::closeReadConnection(m_db); }

    void generatedChainVerifies()
    {
        const AuditVerification v = AuditLog(m_db).verify();
        QVERIFY2(v.intact, qPrintable(v.problem));
        QCOMPARE(v.entries, 6001);
    }

    void filters_data()
    {
        QTest::addColumn<AuditFilter>("filter");
        const QDateTime mid(QDate(2025, 6, 1), QTime(0, 0), Qt::UTC);
        QTest::newRow("none") << AuditFilter();
        QTest::newRow("actor") << make([](AuditFilter& f) { f.actor = QStringLiteral("alice"); });
        QTest::newRow("actor unicode") << make([](AuditFilter& f) { f.actor = QStringLiteral("zoë"); });
        QTest::newRow("role") << make([](AuditFilter& f) { f.role = QStringLiteral("marketer"); });
        QTest::newRow("two actions") << make([](AuditFilter& f) { f.actions = {"grant", "revoke"}; });
        QTest::newRow("failed") << make([](AuditFilter& f) { f.result = AuditFilter::Result::Failed; });
        QTest::newRow("succeeded") << make([](AuditFilter& f) { f.result = AuditFilter::Result::Succeeded; });
        QTest::newRow("resource any case")
            << make([](AuditFilter& f) { f.resource = QStringLiteral("ROLE:Mark"); });
        QTest::newRow("text") << make([](AuditFilter& f) { f.text = QStringLiteral("SEC-12"); });
        QTest::newRow("like wildcards are literal")
            << make([](AuditFilter& f) { f.text = QStringLiteral("SEC-1_"); });
        QTest::newRow("week") << make([mid](AuditFilter& f) {
            f.since = mid;
            f.until = mid.addDays(7);
        });
        QTest::newRow("actor action week") << make([mid](AuditFilter& f) {
            f.actor = QStringLiteral("bob");
            f.actions = {"api.request"};
            f.since = mid.addDays(-30);
            f.until = mid.addDays(7);
        });
        QTest::newRow("everything") << make([mid](AuditFilter& f) {
            f.role = QStringLiteral("viewer");
            f.actions = {"grant", "api.request"};
            f.resource = QStringLiteral("api");
            f.result = AuditFilter::Result::Failed;
            f.text = QStringLiteral("403");
            f.since = mid.addDays(-90);
        });
        QTest::newRow("id window") << make([](AuditFilter& f) {
            f.afterId = 1000;
            f.upToId = 1200;
        });
        QTest::newRow("nothing") << make([](AuditFilter& f) { f.actor = QStringLiteral("nobody"); });
    }

    // Keyset pages of 97 (not a divisor of anything) in both orders give exactly the oracle.
    void filters()
    {
        QFETCH(AuditFilter, filter);
        AuditLog log(m_db);
        for (AuditOrder order : {AuditOrder::NewestFirst, AuditOrder::OldestFirst}) {
            const QVector<AuditEntry> want = test::expected(m_all, filter, order);
            QCOMPARE(log.count(filter).value(), qint64(want.size()));
            AuditPageQuery q;
            q.filter = filter;
            q.order = order;
            q.limit = 97;
            QVector<AuditEntry> got;
            for (;;) {
                const QVector<AuditEntry> page = log.page(q).value();
                got += page;
                if (page.size() < q.limit)
                    break;
                q.after = AuditKey {page.constLast().ts, page.constLast().id};
            }
            QCOMPARE(got.size(), want.size());
            for (int i = 0; i < got.size(); ++i)
                QCOMPARE(got.at(i).id, want.at(i).id);
            if (!want.isEmpty()) {
                // Offsets land on the same rows; positions find them.
                const int at = int(want.size()) / 2;
                AuditPageQuery o;
                o.filter = filter;
                o.order = order;
                o.offset = at;
                o.limit = 3;
                QCOMPARE(log.page(o).value().first().id, want.at(at).id);
                QCOMPARE(log.position(filter, order, want.at(at).id).value(), qint64(at));
            }
        }
    }

    void tiesOnTimestampAreOrderedById()
    {
        int ties = 0;
        for (int i = 1; i < m_all.size(); ++i)
            ties += m_all.at(i).ts == m_all.at(i - 1).ts;
        QVERIFY2(ties > 20, "the generator should produce entries sharing a millisecond");
    }

    void positionOfAHiddenEntryIsMinusOne()
    {
        AuditFilter f;
        f.actor = QStringLiteral("alice");
        const auto notAlice = std::find_if(m_all.cbegin(), m_all.cend(),
            [](const AuditEntry& e) { return e.actor != QLatin1String("alice"); });
        QCOMPARE(AuditLog(m_db).position(f, AuditOrder::NewestFirst, notAlice->id).value(), qint64(-1));
        QCOMPARE(AuditLog(m_db).position(f, AuditOrder::NewestFirst, 999999).value(), qint64(-1));
    }

    void distinctValues()
    {
        for (const char* column : {"actor", "role", "action"}) {
            QStringList want;
            for (const AuditEntry& e : std::as_const(m_all)) {
                want << (qstrcmp(column, "actor") == 0 ? e.actor
                        : qstrcmp(column, "role") == 0 ? e.role
                                                       : e.action);
            }
            want.removeDuplicates();
            std::sort(want.begin(), want.end(), [](const QString& a, const QString& b) {
                return a.toUtf8() < b.toUtf8(); // SQLite's BINARY collation
            });
            QCOMPARE(AuditLog(m_db).distinctValues(QLatin1String(column)).value(), want);
        }
        QVERIFY(!AuditLog(m_db).distinctValues(QStringLiteral("details; DROP TABLE x")));
    }

    // The browser's common filters must not scan the table (a million rows would show).
    void filtersUseIndexes_data()
    {
        QTest::addColumn<AuditFilter>("filter");
        QTest::addColumn<QString>("index");
        QTest::newRow("none") << AuditFilter() << "audit_log_ts";
        QTest::newRow("actor") << make([](AuditFilter& f) { f.actor = "alice"; }) << "audit_log_actor";
        QTest::newRow("role") << make([](AuditFilter& f) { f.role = "viewer"; }) << "audit_log_role";
        QTest::newRow("action") << make([](AuditFilter& f) { f.actions = {"grant"}; }) << "audit_log_action";
        QTest::newRow("failed") << make([](AuditFilter& f) { f.result = AuditFilter::Result::Failed; })
                                << "audit_log_failed";
    }

    void filtersUseIndexes()
    {
        QFETCH(AuditFilter, filter);
        QFETCH(QString, index);
        AuditPageQuery q;
        q.filter = filter;
        q.filter.upToId = 5000;
        q.after = AuditKey {QStringLiteral("2025-06-01T00:00:00.000Z"), 3000};
        QVariantList binds;
        const QString sql = AuditLog::pageSql(q, &binds);
        QSqlQuery plan(m_db);
        QVERIFY(plan.prepare(QStringLiteral("EXPLAIN QUERY PLAN ") + sql));
        for (const QVariant& b : binds)
            plan.addBindValue(b);
        QVERIFY(plan.exec());
        QString detail;
        while (plan.next())
            detail += plan.value(3).toString() + QLatin1Char('\n');
        QVERIFY2(detail.contains(QStringLiteral("USING INDEX ") + index)
                || detail.contains(QStringLiteral("USING COVERING INDEX ") + index),
            qPrintable(detail));
        QVERIFY2(!detail.contains(QLatin1String("TEMP B-TREE")), qPrintable(detail)); // no sort step
    }

    void activityPerHourAndDay()
    {
        for (AuditFilter::Result result : {AuditFilter::Result::Any, AuditFilter::Result::Failed}) {
            AuditFilter f;
            f.actions = {"grant", "api.request"};
            f.result = result;
            QMap<QString, QPair<qint64, qint64>> want;
            qint64 total = 0;
            for (const AuditEntry& e : std::as_const(m_all)) {
                if (!test::matches(f, e))
                    continue;
                auto& h = want[e.ts.left(13)];
                ++h.first;
                h.second += e.success ? 0 : 1;
                ++total;
            }
            const QVector<AuditStats::HourCount> hours = AuditStats::hourly(m_db, f).value();
            QCOMPARE(hours.size(), want.size());
            for (const AuditStats::HourCount& h : hours) {
                QCOMPARE(h.total, want.value(h.hour).first);
                QCOMPARE(h.failed, want.value(h.hour).second);
            }
            const QVector<AuditActivityBucket> days = AuditStats::bucket(hours, AuditBucketSize::Day);
            qint64 sum = 0;
            for (int i = 0; i < days.size(); ++i) {
                sum += days.at(i).total;
                if (i > 0) // contiguous local days, empty ones included
                    QCOMPARE(days.at(i).start.date(), days.at(i - 1).start.date().addDays(1));
            }
            QCOMPARE(sum, total);
        }
        QCOMPARE(
            AuditStats::suggestedSize(QDateTime::currentDateTime().addDays(-2), QDateTime::currentDateTime()),
            AuditBucketSize::Hour);
        QCOMPARE(AuditStats::suggestedSize(
                     QDateTime::currentDateTime().addDays(-20), QDateTime::currentDateTime()),
            AuditBucketSize::Day);
    }

    void parsesTimes()
    {
        const QDateTime now(QDate(2026, 11, 26), QTime(12, 0), Qt::UTC);
        QCOMPARE(parseAuditTime("7d", now).value(), now.addDays(-7));
        QCOMPARE(parseAuditTime("90m", now).value(), now.addSecs(-90 * 60));
        QCOMPARE(parseAuditTime("2w", now).value(), now.addDays(-14));
        QCOMPARE(
            parseAuditTime("2026-01-02", now).value(), QDateTime(QDate(2026, 1, 2), QTime(0, 0), Qt::UTC));
        QCOMPARE(parseAuditTime("2026-01-02T03:04:05", now).value(),
            QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC));
        QCOMPARE(parseAuditTime("2026-01-02T03:04:05+02:00", now).value(),
            QDateTime(QDate(2026, 1, 2), QTime(1, 4, 5), Qt::UTC));
        QCOMPARE(parseAuditTime("2026-01-02T03:04:05.250Z", now).value(),
            QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 250), Qt::UTC));
        for (const char* bad : {"", "yesterday", "7x", "2026-13-01", "2026-01-02T25:00:00Z", "-3d"}) {
            const Expected<QDateTime> parsed = parseAuditTime(QLatin1String(bad), now);
            QVERIFY2(!parsed, bad);
            QCOMPARE(parsed.status().kind(), ErrorKind::InvalidInput);
            QVERIFY(parsed.status().message().contains(QLatin1String(bad)));
        }
    }

    void appendKeepsAGivenTimestampOnlyInTheLogsForm()
    {
        QTemporaryDir dir;
        auto ws = Workspace::open(dir.filePath("ws.sqlite"));
        QVERIFY(ws);
        QSqlDatabase db = (*ws)->database();
        QSqlQuery(db).exec("BEGIN IMMEDIATE");
        AuditEntry good;
        good.actor = "svc";
        good.action = "api.request";
        good.ts = "2020-02-03T04:05:06.007Z";
        good.keepTimestamp = true;
        QVERIFY(AuditLog(db).append(good));
        QCOMPARE(good.ts, QStringLiteral("2020-02-03T04:05:06.007Z"));
        AuditEntry bad = good;
        bad.ts = "2020-02-03 04:05:06";
        const Status s = AuditLog(db).append(bad);
        QVERIFY(!s);
        QCOMPARE(s.kind(), ErrorKind::InvalidInput);
        AuditEntry stamped = good;
        stamped.keepTimestamp = false;
        test::MockClock clock(QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC));
        QVERIFY(AuditLog(db).append(stamped));
        QCOMPARE(stamped.ts, QStringLiteral("2030-01-01T00:00:00.000Z"));
        QSqlQuery(db).exec("COMMIT");
        QVERIFY(AuditLog(db).verify().intact);
    }
};

QTEST_GUILESS_MAIN(TestAuditQuery)
#include "tst_auditquery.moc"
