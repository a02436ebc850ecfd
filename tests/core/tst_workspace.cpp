#include "policy/PolicyJson.h"
#include "TestWorkspaces.h"
#include "workspace/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestWorkspace : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TestWorkspaces m_locations {m_dir.path()};
    std::unique_ptr<Workspace> m_ws;

    std::unique_ptr<Workspace> openAt(const QString& path)
    {
        auto ws = Workspace::open(path);
        if (!ws)
            qWarning("%s", qPrintable(ws.status().message()));
        return ws ? std::move(ws.value()) : nullptr;
    }

    qint64 auditCount() { return m_ws->auditLog().count().value(); }
    AuditEntry lastEntry() { return m_ws->auditLog().latest(1).value().first(); }
    QJsonObject lastDetails() { return QJsonDocument::fromJson(lastEntry().details.toUtf8()).object(); }

    qint64 rows(const QString& table)
    {
        QSqlQuery q(m_ws->database());
        q.exec("SELECT COUNT(*) FROM " + table);
        q.next();
        return q.value(0).toLongLong();
    }

private slots:
    void init()
    {
        m_ws = openAt(m_locations.next());
        QVERIFY(m_ws);
        m_ws->setActor("alice");
    }

    void cleanup() { m_ws.reset(); }

    void grantAndRevokeAreAudited()
    {
        QSignalSpy changed(m_ws.get(), &Workspace::policyChanged);
        QVERIFY(m_ws->setGranted("viewer", "canTrackEvents", true));
        QVERIFY(m_ws->policy().isGranted("viewer", "canTrackEvents"));
        QCOMPARE(changed.count(), 1);
        AuditEntry e = lastEntry();
        QCOMPARE(e.action, QStringLiteral("grant"));
        QCOMPARE(e.actor, QStringLiteral("alice"));
        QCOMPARE(e.role, QStringLiteral("viewer"));
        QCOMPARE(e.resource, QStringLiteral("permission:canTrackEvents"));
        QCOMPARE(lastDetails().value("before").toObject().value("granted").toBool(), false);
        QCOMPARE(lastDetails().value("after").toObject().value("granted").toBool(), true);

        QVERIFY(m_ws->setGranted("viewer", "canTrackEvents", false));
        QCOMPARE(lastEntry().action, QStringLiteral("revoke"));
        QVERIFY(!m_ws->policy().isGranted("viewer", "canTrackEvents"));
    }

    void noChangeNoEntry()
    {
        const qint64 before = auditCount();
        QVERIFY(m_ws->setGranted("admin", "canReadProfiles", true)); // already granted
        QVERIFY(m_ws->renameRole("admin", "admin"));
        QVERIFY(m_ws->setRoleDescription("admin", m_ws->policy().role("admin")->description));
        QCOMPARE(auditCount(), before);
    }

    void failuresWriteNothing_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<int>("kind");
        QTest::newRow("grant unknown role") << 0 << int(ErrorKind::NotFound);
        QTest::newRow("grant unknown permission") << 1 << int(ErrorKind::NotFound);
        QTest::newRow("duplicate role") << 2 << int(ErrorKind::Conflict);
        QTest::newRow("invalid role name") << 3 << int(ErrorKind::InvalidInput);
        QTest::newRow("rename onto existing") << 4 << int(ErrorKind::Conflict);
        QTest::newRow("clone from missing") << 5 << int(ErrorKind::NotFound);
        QTest::newRow("permission without operations") << 6 << int(ErrorKind::InvalidInput);
        QTest::newRow("permission unknown scope") << 7 << int(ErrorKind::InvalidInput);
        QTest::newRow("remove missing role") << 8 << int(ErrorKind::NotFound);
        QTest::newRow("bulk with one bad cell") << 9 << int(ErrorKind::NotFound);
    }

    void failuresWriteNothing()
    {
        QFETCH(int, which);
        QFETCH(int, kind);
        const qint64 before = auditCount();
        const Policy policyBefore = m_ws->policy();
        Status s;
        switch (which) {
        case 0:
            s = m_ws->setGranted("ghost", "canReadProfiles", true);
            break;
        case 1:
            s = m_ws->setGranted("viewer", "canFly", true);
            break;
        case 2:
            s = m_ws->addRole("viewer");
            break;
        case 3:
            s = m_ws->addRole("two words");
            break;
        case 4:
            s = m_ws->renameRole("viewer", "admin");
            break;
        case 5:
            s = m_ws->addRole("copy", {}, "ghost");
            break;
        case 6:
            s = m_ws->addPermission(Permission {"empty", {}, {}, {}});
            break;
        case 7:
            s = m_ws->addPermission(Permission {"odd", {}, {}, {"profiles:fly"}});
            break;
        case 8:
            s = m_ws->removeRole("ghost");
            break;
        case 9:
            s = m_ws->setGrants({{"viewer", "canTrackEvents", true}, {"ghost", "canTrackEvents", true}});
            break;
        }
        QVERIFY(!s);
        QCOMPARE(int(s.kind()), kind);
        QVERIFY(!s.message().isEmpty());
        QCOMPARE(auditCount(), before);
        QVERIFY(m_ws->policy() == policyBefore);
        // And the database agrees with the cache.
        auto again = openAt(m_ws->path());
        QVERIFY(again->policy() == policyBefore);
    }

    // If the audit entry cannot be written, the change it records is rolled back with it.
    void changeAndEntryAreOneTransaction()
    {
        QSqlQuery q(m_ws->database());
        if (m_ws->engine() == SqlEngine::SQLite) {
            QVERIFY(q.exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log "
                           "BEGIN SELECT RAISE(ABORT, 'disk full'); END"));
        } else {
            QVERIFY(q.exec("CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS "
                           "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$"));
            QVERIFY(q.exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log "
                           "FOR EACH ROW EXECUTE FUNCTION no_audit()"));
        }
        const Status s = m_ws->setGranted("viewer", "canTrackEvents", true);
        QVERIFY(!s);
        QCOMPARE(s.kind(), ErrorKind::Environment);
        QVERIFY(!m_ws->policy().isGranted("viewer", "canTrackEvents"));
        QSqlQuery check(m_ws->database());
        QVERIFY(check.exec("SELECT COUNT(*) FROM grants g JOIN roles r ON r.id = g.role_id "
                           "JOIN permissions p ON p.id = g.permission_id "
                           "WHERE r.name = 'viewer' AND p.name = 'canTrackEvents'"));
        QVERIFY(check.next());
        QCOMPARE(check.value(0).toInt(), 0);
    }

    void cloneCopiesGrants()
    {
        QVERIFY(m_ws->addRole("junior", "new marketer", "marketer"));
        QCOMPARE(m_ws->policy().role("junior")->permissions, m_ws->policy().role("marketer")->permissions);
        QCOMPARE(lastEntry().action, QStringLiteral("role.clone"));
        QCOMPARE(lastDetails().value("clonedFrom").toString(), QStringLiteral("marketer"));
        QVERIFY(m_ws->setGranted("junior", "canSendCampaigns", false));
        QVERIFY(m_ws->policy().isGranted("marketer", "canSendCampaigns")); // independent copy
    }

    void renameKeepsIdentityAndGrants()
    {
        const QString uid = m_ws->policy().role("viewer")->uid;
        QVERIFY(m_ws->renameRole("viewer", "reader"));
        QVERIFY(!m_ws->policy().role("viewer"));
        QCOMPARE(m_ws->policy().role("reader")->uid, uid);
        QVERIFY(m_ws->policy().isGranted("reader", "canViewReports"));
        QCOMPARE(lastEntry().action, QStringLiteral("role.rename"));
        QCOMPARE(lastDetails().value("before").toObject().value("name").toString(), QStringLiteral("viewer"));
    }

    void removeRoleCascades()
    {
        const qint64 grantsBefore = rows("grants");
        QVERIFY(m_ws->removeRole("marketer"));
        QCOMPARE(rows("grants"), grantsBefore - 4);
        QCOMPARE(lastEntry().action, QStringLiteral("role.remove"));
        QCOMPARE(lastDetails().value("before").toObject().value("permissions").toArray().size(), 4);
    }

    void permissionLifecycle()
    {
        QVERIFY(m_ws->addPermission(
            Permission {"canReadSegments", "segments", {"get_segments", "get_segment"}, {}}));
        QCOMPARE(m_ws->policy().permission("canReadSegments")->operations,
            (QStringList {"get_segment", "get_segments"}));
        QVERIFY(m_ws->setGranted("viewer", "canReadSegments", true));
        Permission updated = *m_ws->policy().permission("canReadSegments");
        updated.name = "canSeeSegments";
        updated.scopes = {"lists:read"};
        QVERIFY(m_ws->updatePermission("canReadSegments", updated));
        QVERIFY(m_ws->policy().isGranted("viewer", "canSeeSegments"));
        QCOMPARE(lastEntry().action, QStringLiteral("permission.update"));
        QVERIFY(m_ws->removePermission("canSeeSegments"));
        QVERIFY(!m_ws->policy().role("viewer")->permissions.contains("canSeeSegments"));
        QCOMPARE(lastDetails().value("before").toObject().value("grantedTo").toArray().first().toString(),
            QStringLiteral("viewer"));
        // The cache matches what is stored.
        auto again = openAt(m_ws->path());
        QVERIFY(again->policy() == m_ws->policy());
    }

    void bulkGrantIsOneTransactionManyEntries()
    {
        const qint64 before = auditCount();
        QVERIFY(m_ws->setGrants({{"viewer", "canTrackEvents", true}, {"viewer", "canWriteProfiles", true},
            {"viewer", "canReadProfiles", true}})); // already: no entry
        QCOMPARE(auditCount(), before + 2);
    }

    void otherWritersAreSeen()
    {
        auto other = openAt(m_ws->path());
        QVERIFY(other);
        QVERIFY(!m_ws->changedElsewhere());
        QVERIFY(other->removeRole("viewer"));
        QVERIFY(m_ws->changedElsewhere());
        // A stale cache must not let a change through: validated against the database.
        const Status s = m_ws->setGranted("viewer", "canTrackEvents", true);
        QCOMPARE(s.kind(), ErrorKind::NotFound);
        QVERIFY(!m_ws->policy().role("viewer")); // refreshed on the way
        QSignalSpy changed(m_ws.get(), &Workspace::policyChanged);
        QVERIFY(other->addRole("late"));
        QVERIFY(m_ws->refresh());
        QCOMPARE(changed.count(), 1);
        QVERIFY(m_ws->policy().role("late"));
        QVERIFY(m_ws->auditLog().verify().intact);
    }

    // Two admins on one workspace: the second, looking at a stale matrix, is told rather than
    // silently overwriting or merging.
    void collidingCellChangeIsRefused()
    {
        auto other = openAt(m_ws->path());
        QVERIFY(other);
        QVERIFY(other->setGranted("viewer", "canTrackEvents", true));
        const qint64 before = auditCount();
        const Status s = m_ws->setGranted("viewer", "canTrackEvents", false); // made on the old view
        QCOMPARE(s.kind(), ErrorKind::Conflict);
        QVERIFY2(s.message().contains("changed by someone else"), qPrintable(s.message()));
        QCOMPARE(auditCount(), before);
        QVERIFY(m_ws->policy().isGranted("viewer", "canTrackEvents")); // now shows the other's choice
        QVERIFY(m_ws->setGranted("viewer", "canTrackEvents", false));  // a deliberate second try works
        QVERIFY(!other->policy().isGranted("viewer", "canTrackEvents") || other->changedElsewhere());
        // Changes to other cells are not blocked by an unrelated concurrent edit.
        QVERIFY(other->setGranted("service", "canViewReports", true));
        QVERIFY(m_ws->setGranted("marketer", "canTrackEvents", true));
    }

    void replacePolicyKeepsIdentityByName()
    {
        const QString viewerUid = m_ws->policy().role("viewer")->uid;
        Policy next = m_ws->policy();
        next.roles.removeIf([](const Role& r) { return r.name == "service"; });
        next.role("viewer")->permissions = {"canReadProfiles"};
        next.roles.append(Role {{}, "auditor", "new", {"canViewReports"}});
        QVERIFY(m_ws->replacePolicy(next, "policy.json"));
        QCOMPARE(m_ws->policy().role("viewer")->uid, viewerUid);
        QVERIFY(!m_ws->policy().role("service"));
        QVERIFY(m_ws->policy().role("auditor"));
        QCOMPARE(lastEntry().action, QStringLiteral("policy.import"));
        const QJsonObject d = lastDetails();
        QCOMPARE(d.value("source").toString(), QStringLiteral("policy.json"));
        QVERIFY(d.value("before").toObject().value("roles").toObject().contains("service"));
        QVERIFY(d.value("after").toObject().value("roles").toObject().contains("auditor"));
        // Same policy again: nothing to record.
        const qint64 count = auditCount();
        QVERIFY(m_ws->replacePolicy(next, "policy.json"));
        QCOMPARE(auditCount(), count);
        auto again = openAt(m_ws->path());
        QCOMPARE(PolicyJson::exportPolicy(again->policy()), PolicyJson::exportPolicy(next));
    }

    void settingsAreAudited()
    {
        QCOMPARE(m_ws->setting("x", "fallback"), QStringLiteral("fallback"));
        QVERIFY(m_ws->setSetting("x", "1"));
        QCOMPARE(m_ws->setting("x"), QStringLiteral("1"));
        QCOMPARE(lastEntry().action, QStringLiteral("setting.set"));
    }

    void originIsRecorded()
    {
        m_ws->setOrigin("undo");
        QVERIFY(m_ws->setGranted("viewer", "canTrackEvents", true));
        QCOMPARE(lastDetails().value("origin").toString(), QStringLiteral("undo"));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
