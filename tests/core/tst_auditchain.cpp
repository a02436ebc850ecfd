#include "MockClock.h"
#include "TestWorkspaces.h"
#include "workspace/Workspace.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestAuditChain : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TestWorkspaces m_locations {m_dir.path()};
    std::unique_ptr<Workspace> m_ws;

    void exec(const QString& sql)
    {
        for (const QString& statement : sql.split(QLatin1Char(';'))) {
            QSqlQuery q(m_ws->database());
            QVERIFY2(q.exec(statement), qPrintable(statement));
        }
    }

private slots:
    // Vectors computed independently (Python's hashlib) from the rule documented in the README.
    void hashRuleMatchesTheDocumentedEncoding()
    {
        AuditEntry e;
        e.id = 1;
        e.ts = "2026-01-02T03:04:05.678Z";
        e.actor = "alice";
        e.role = "marketer";
        e.action = "grant";
        e.resource = "permission:canSendCampaigns";
        e.success = true;
        e.details = R"({"after":{"granted":true},"before":{"granted":false}})";
        QCOMPARE(AuditChain::computeHash(e, AuditChain::genesisHash()),
            QStringLiteral("ab3a61d91185fea911d5e77470186adca1651b724d97afb77d57becb8ba82ad5"));
        AuditEntry f;
        f.id = 2;
        f.ts = "2026-01-02T03:04:05.678Z";
        f.actor = QStringLiteral("zo\u00eb");
        f.action = "x\ny";
        f.success = false;
        QCOMPARE(AuditChain::computeHash(f, AuditChain::genesisHash()),
            QStringLiteral("3b055a0a1fd165d83599b2b92bbdf36b1877c8f9f5af9448beb9331fe6b4136d"));
    }

    void init()
    {
        QVERIFY(m_dir.isValid());
        m_ws.reset();
        auto opened = Workspace::open(m_locations.next());
        QVERIFY2(opened, qPrintable(opened.status().message()));
        m_ws = std::move(opened.value());
        // Entries 2..6 on top of workspace.create (1).
        QVERIFY(m_ws->setGranted("viewer", "canTrackEvents", true));
        QVERIFY(m_ws->setGranted("viewer", "canTrackEvents", false));
        QVERIFY(m_ws->addRole("auditor", "reads the trail"));
        QVERIFY(m_ws->renameRole("auditor", "reviewer"));
        QVERIFY(m_ws->removeRole("reviewer"));
        QCOMPARE(m_ws->auditLog().count().value(), 6);
    }

    void intactChainVerifies()
    {
        const AuditVerification v = m_ws->auditLog().verify();
        QVERIFY2(v.intact, qPrintable(v.problem));
        QCOMPARE(v.entries, 6);
        QCOMPARE(v.firstBadId, 0);
    }

    void entriesChainTogether()
    {
        const QVector<AuditEntry> entries = m_ws->auditLog().latest(10).value();
        QCOMPARE(entries.size(), 6);
        QCOMPARE(entries.last().prevHash, AuditChain::genesisHash());
        for (int i = 0; i + 1 < entries.size(); ++i) {
            QCOMPARE(entries.at(i).prevHash, entries.at(i + 1).hash);
            QCOMPARE(entries.at(i).id, entries.at(i + 1).id + 1);
        }
        QVERIFY(entries.first().ts.endsWith(QLatin1Char('Z')));
        QCOMPARE(entries.first().ts.size(), 24); // yyyy-MM-ddTHH:mm:ss.zzzZ
    }

    void tampering_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<qint64>("badId");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("update actor")
            << "UPDATE audit_log SET actor = 'mallory' WHERE id = 3" << qint64(3) << "altered";
        QTest::newRow("update success")
            << "UPDATE audit_log SET success = 0 WHERE id = 2" << qint64(2) << "altered";
        QTest::newRow("update details")
            << "UPDATE audit_log SET details = '{}' WHERE id = 4" << qint64(4) << "altered";
        QTest::newRow("update prev_hash")
            << "UPDATE audit_log SET prev_hash = hash WHERE id = 5" << qint64(5) << "altered";
        QTest::newRow("delete middle") << "DELETE FROM audit_log WHERE id = 3" << qint64(3) << "missing";
        QTest::newRow("delete first") << "DELETE FROM audit_log WHERE id = 1" << qint64(1) << "missing";
        QTest::newRow("delete last") << "DELETE FROM audit_log WHERE id = 6" << qint64(6) << "missing";
        QTest::newRow("append forged")
            << "INSERT INTO audit_log SELECT 7, ts, actor, role, action, resource, success, "
               "details, hash, hash FROM audit_log WHERE id = 6"
            << qint64(7) << "";
        // Swap two rows' contents wholesale (ids kept): the chain links break.
        QTest::newRow("reorder")
            << "UPDATE audit_log SET id = 100 WHERE id = 4;UPDATE audit_log SET id = 4 WHERE id = 5;"
               "UPDATE audit_log SET id = 5 WHERE id = 100"
            << qint64(4) << "altered";
    }

    void tampering()
    {
        QFETCH(QString, sql);
        QFETCH(qint64, badId);
        QFETCH(QString, phrase);
        exec(sql);
        const AuditVerification v = m_ws->auditLog().verify();
        QVERIFY(!v.intact);
        QCOMPARE(v.firstBadId, badId);
        QVERIFY2(v.problem.contains(QStringLiteral("entry %1").arg(badId)), qPrintable(v.problem));
        QVERIFY2(v.problem.contains(phrase), qPrintable(v.problem));
    }

    void recomputedHashStillBreaksTheNextLink()
    {
        // A careful forger rewrites entry 3 and recomputes its hash; entry 4 no longer follows it.
        AuditEntry e = m_ws->auditLog().latest(10).value().at(3); // id 3
        QCOMPARE(e.id, 3);
        e.actor = QStringLiteral("mallory");
        const QString forged = AuditChain::computeHash(e, e.prevHash);
        exec(QStringLiteral("UPDATE audit_log SET actor = 'mallory', hash = '%1' WHERE id = 3").arg(forged));
        const AuditVerification v = m_ws->auditLog().verify();
        QVERIFY(!v.intact);
        QCOMPARE(v.firstBadId, 4);
        QVERIFY2(v.problem.contains(QLatin1String("prev_hash")), qPrintable(v.problem));
    }

    void timestampsComeFromTheClock()
    {
        test::MockClock clock(QDateTime(QDate(2030, 5, 6), QTime(7, 8, 9, 10), Qt::UTC));
        QVERIFY(m_ws->setGranted("viewer", "canTrackEvents", true));
        QCOMPARE(m_ws->auditLog().latest(1).value().first().ts, QStringLiteral("2030-05-06T07:08:09.010Z"));
    }

    void cleanupTestCase() { m_ws.reset(); }
};

QTEST_GUILESS_MAIN(TestAuditChain)
#include "tst_auditchain.moc"
