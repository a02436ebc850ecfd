// Two consoles on one PostgreSQL workspace: the second sees the first's changes through
// LISTEN/NOTIFY alone (no polling runs here), and the audit browser reads a team workspace.
#include "items/AuditTableModel.h"
#include "TestWorkspaces.h"
#include "workspace/Workspace.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestPostgresLive : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    test::TestWorkspaces m_pg {m_dir.path()};

private slots:
    void initTestCase()
    {
        if (!m_pg.postgres())
            QSKIP("run under tests/pg/with-postgres.sh");
    }

    void anotherConsolesChangeArrivesAsANotification()
    {
        const QString uri = m_pg.next();
        auto first = Workspace::open(uri);
        QVERIFY2(first.isOk(), qPrintable(first.status().message()));
        auto second = Workspace::open(uri);
        QVERIFY2(second.isOk(), qPrintable(second.status().message()));
        Workspace* watching = first.value().get();
        QVERIFY(!watching->policy().isGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));

        QSignalSpy policy(watching, &Workspace::policyChanged);
        QSignalSpy audit(watching, &Workspace::auditAppended);
        QVERIFY(second.value()->setGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents"), true));
        // Nothing here polls or calls refresh(): only the notification can bring the change.
        QVERIFY(policy.wait(5000));
        QVERIFY(watching->policy().isGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));
        QTRY_VERIFY_WITH_TIMEOUT(!audit.isEmpty(), 5000);

        // The writer's own notification does not bounce back to it as "changed elsewhere".
        QSignalSpy own(second.value().get(), &Workspace::policyChanged);
        QVERIFY(watching->setGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents"), false));
        QVERIFY(own.wait(5000));
        QVERIFY(
            !second.value()->policy().isGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));
    }

    void theAuditBrowserReadsATeamWorkspace()
    {
        const QString uri = m_pg.next();
        auto ws = Workspace::open(uri);
        QVERIFY2(ws.isOk(), qPrintable(ws.status().message()));
        for (const char* role : {"viewer", "service", "developer"})
            QVERIFY(
                ws.value()->setGranted(QString::fromLatin1(role), QStringLiteral("canDeleteProfiles"), true));
        AuditTableModel model(ws.value()->path());
        QTRY_VERIFY_WITH_TIMEOUT(model.totalCount() >= 0, 10000);
        const qint64 total = ws.value()->auditLog().count().value();
        QCOMPARE(total, qint64(4)); // workspace.create + three grants (none of these roles had it)
        QCOMPARE(model.totalCount(), total);
        model.prefetch(0, 2);
        QTRY_VERIFY_WITH_TIMEOUT(model.entryAt(0).has_value(), 10000);
        QCOMPARE(model.entryAt(0)->role, QStringLiteral("developer")); // newest first
        QCOMPARE(model.entryAt(0)->action, QStringLiteral("grant"));

        // Another admin's change appears in the open browser by itself.
        auto other = Workspace::open(uri);
        QVERIFY2(other.isOk(), qPrintable(other.status().message()));
        QVERIFY(
            other.value()->setGranted(QStringLiteral("marketer"), QStringLiteral("canDeleteProfiles"), true));
        QTRY_COMPARE_WITH_TIMEOUT(model.totalCount(), total + 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            model.entryAt(0).has_value() && model.entryAt(0)->role == QLatin1String("marketer"), 10000);
    }
};

QTEST_GUILESS_MAIN(TestPostgresLive)
#include "tst_postgres_live.moc"
