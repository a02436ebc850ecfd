#include "credentials/ApiKeyFormat.h"
#include "FakeKlaviyoServer.h"
#include "credentials/KeyFingerprint.h"
#include "credentials/KeyIndex.h"
#include "keychain/KeyService.h"
#include "keychain/OrphanKeyCleaner.h"
#include "KeyTestSupport.h"
#include "klaviyo/KeyVerifier.h"
#include "klaviyo/KlaviyoClient.h"
#include "keychain/MemorySecretStore.h"
#include "MockClock.h"
#include "VirtualTiming.h"
#include "workspace/Workspace.h"
#include "WorkspaceProbe.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rbac;
using namespace rbac::test;

namespace {
const QByteArray key1 = "pk_first00123456789abcdef0123456789AAAA";
const QByteArray key2 = "pk_second0123456789abcdef0123456789BBBB";
} // namespace

class TestKeyService : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<MemorySecretStore> store;
    std::unique_ptr<KeyService> service;
    std::unique_ptr<MockClock> clock;

    QString uidOf(const QString& role) const { return ws->policy().role(role)->uid; }
    QString entryOf(const QString& role) const { return KeyService::entryName(ws->id(), uidOf(role)); }
    KeyRecord recordOf(const QString& role) const
    {
        Expected<KeyRecord> r = service->record(role);
        return r ? *r : KeyRecord();
    }
    Status storeKey(const QString& role, const QByteArray& key)
    {
        return await([&](KeyService::Done done) { service->storeKey(role, key, std::nullopt, done); });
    }
    AuditEntry lastEntry()
    {
        Expected<QVector<AuditEntry>> latest = ws->auditLog().latest(1);
        return latest && !latest->isEmpty() ? latest->constFirst() : AuditEntry();
    }

private slots:
    void init()
    {
        clock = std::make_unique<MockClock>();
        dir = std::make_unique<QTemporaryDir>();
        auto opened = Workspace::open(dir->filePath(QStringLiteral("w.sqlite")));
        QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
        ws = std::move(opened.value());
        store = std::make_unique<MemorySecretStore>();
        service = std::make_unique<KeyService>(ws.get(), store.get());
    }

    void cleanup()
    {
        // Whatever happened, no key ever reached the audit log.
        const QString audit = allAuditText(*ws);
        for (const QByteArray& k : {key1, key2})
            QVERIFY2(!audit.contains(QString::fromLatin1(k.mid(3, 12))), qPrintable(audit));
        service.reset();
        store.reset();
        ws.reset();
        dir.reset();
        clock.reset();
    }

    void storesTheKeyInTheKeychainAndOnlyMetadataInTheWorkspace()
    {
        QVERIFY(storeKey(QStringLiteral("admin"), key1 + "\n"));
        QCOMPARE(store->value(entryOf(QStringLiteral("admin"))), key1);
        QVERIFY(entryOf(QStringLiteral("admin")).contains(ws->id()));
        QVERIFY(entryOf(QStringLiteral("admin")).contains(uidOf(QStringLiteral("admin"))));
        const KeyRecord r = recordOf(QStringLiteral("admin"));
        QVERIFY(r.hasKey);
        QCOMPARE(r.last4, QStringLiteral("AAAA"));
        QCOMPARE(r.storedAt, Clock::nowUtc());
        QVERIFY(!r.verification);
        const AuditEntry e = lastEntry();
        QCOMPARE(e.action, QStringLiteral("key.set"));
        QCOMPARE(e.role, QStringLiteral("admin"));
        QVERIFY(e.details.contains(QLatin1String("\"last4\":\"AAAA\"")));
        Status s;
        QCOMPARE(awaitKey(*service, QStringLiteral("admin"), &s), key1);
        QVERIFY(s.isOk());
    }

    void rejectsWhatIsNotAKey()
    {
        const qint64 before = auditCount(*ws);
        const Status s = storeKey(QStringLiteral("admin"), "AbC123");
        QCOMPARE(s.kind(), ErrorKind::InvalidInput);
        QVERIFY(store->entries().isEmpty());
        QCOMPARE(auditCount(*ws), before);
        QCOMPARE(storeKey(QStringLiteral("nobody"), key1).kind(), ErrorKind::NotFound);
        QCOMPARE(store->operations(), 0);
    }

    void rotationListsTheOldKeyUntilConfirmed()
    {
        QVERIFY(storeKey(QStringLiteral("admin"), key1));
        clock->advanceMs(1000);
        QVERIFY(storeKey(QStringLiteral("admin"), key2));
        QCOMPARE(store->value(entryOf(QStringLiteral("admin"))), key2);
        KeyRecord r = recordOf(QStringLiteral("admin"));
        QCOMPARE(r.last4, QStringLiteral("BBBB"));
        QCOMPARE(r.retired.size(), 1);
        QCOMPARE(r.retired.at(0).last4, QStringLiteral("AAAA"));
        const AuditEntry rotate = lastEntry();
        QCOMPARE(rotate.action, QStringLiteral("key.rotate"));
        QVERIFY(rotate.details.contains(QStringLiteral("pk_\u2026AAAA")));

        QVERIFY(service->confirmDeletedInKlaviyo(QStringLiteral("admin"), r.retired.at(0).id));
        QVERIFY(recordOf(QStringLiteral("admin")).retired.isEmpty());
        QCOMPARE(lastEntry().action, QStringLiteral("key.deleted-in-klaviyo"));
        QCOMPARE(service->confirmDeletedInKlaviyo(QStringLiteral("admin"), r.retired.at(0).id).kind(),
            ErrorKind::NotFound);
    }

    void theSameKeyAgainIsNoRotation()
    {
        QVERIFY(storeKey(QStringLiteral("admin"), key1));
        QVERIFY(storeKey(QStringLiteral("admin"), key1));
        QVERIFY(recordOf(QStringLiteral("admin")).retired.isEmpty());
        QCOMPARE(lastEntry().action, QStringLiteral("key.set"));
    }

    void lockedKeychainIsNeverReadAsMissing()
    {
        QVERIFY(storeKey(QStringLiteral("admin"), key1));
        const qint64 before = auditCount(*ws);
        store->setMode(MemorySecretStore::Mode::Locked); // reads answer "not found", like the Secret Service
        Status s;
        QVERIFY(awaitKey(*service, QStringLiteral("admin"), &s).isEmpty());
        QCOMPARE(s.kind(), ErrorKind::Environment);
        QVERIFY2(s.message().contains(QLatin1String("locked or unavailable")), qPrintable(s.message()));
        QVERIFY2(s.message().contains(QLatin1String("nothing was deleted")), qPrintable(s.message()));
        QVERIFY(!s.message().contains(QString::fromLatin1(key1.mid(3, 12))));

        std::optional<bool> readable = true;
        bool answered = false;
        service->checkReadable(QStringLiteral("admin"), [&](std::optional<bool> r) {
            readable = r;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QCOMPARE(readable, std::optional<bool>(false));

        // Neither removal nor replacement goes ahead against a locked keychain.
        QCOMPARE(await([&](KeyService::Done d) { service->removeKey(QStringLiteral("admin"), d); }).kind(),
            ErrorKind::Environment);
        QCOMPARE(storeKey(QStringLiteral("admin"), key2).kind(), ErrorKind::Environment);
        QVERIFY(recordOf(QStringLiteral("admin")).hasKey);
        QCOMPARE(recordOf(QStringLiteral("admin")).last4, QStringLiteral("AAAA"));
        QCOMPARE(store->value(entryOf(QStringLiteral("admin"))), key1);
        QCOMPARE(auditCount(*ws), before);
    }

    void unavailableKeychainWritesNothing()
    {
        store->setMode(MemorySecretStore::Mode::Unavailable);
        const qint64 before = auditCount(*ws);
        const Status s = storeKey(QStringLiteral("admin"), key1);
        QCOMPARE(s.kind(), ErrorKind::Environment);
        QVERIFY2(s.message().contains(QLatin1String("not stored")), qPrintable(s.message()));
        QVERIFY(!recordOf(QStringLiteral("admin")).hasKey);
        QCOMPARE(auditCount(*ws), before);
    }

    void anEntryGoneFromAnOpenKeychainCanStillBeRemoved()
    {
        QVERIFY(storeKey(QStringLiteral("admin"), key1));
        // Someone deleted it with another tool; the keychain itself is open.
        QVERIFY(await([&](KeyService::Done d) {
            store->remove(entryOf(QStringLiteral("admin")), this, [d](SecretResult) { d(Status::ok()); });
        }));
        Status s;
        awaitKey(*service, QStringLiteral("admin"), &s);
        QCOMPARE(s.kind(), ErrorKind::Environment); // still "locked or unavailable", never "missing"
        QVERIFY(await([&](KeyService::Done d) { service->removeKey(QStringLiteral("admin"), d); }));
        QVERIFY(!recordOf(QStringLiteral("admin")).hasKey);
        QVERIFY(lastEntry().details.contains(QLatin1String("already gone")));
        QVERIFY(!store->contains(QStringLiteral("workspace/%1/canary").arg(ws->id())));
    }

    void removalKeepsADeleteInKlaviyoReminder()
    {
        QVERIFY(storeKey(QStringLiteral("viewer"), key1));
        QVERIFY(await([&](KeyService::Done d) { service->removeKey(QStringLiteral("viewer"), d); }));
        QVERIFY(!store->contains(entryOf(QStringLiteral("viewer"))));
        const KeyRecord r = recordOf(QStringLiteral("viewer"));
        QVERIFY(!r.hasKey);
        QCOMPARE(r.retired.size(), 1);
        QCOMPARE(lastEntry().action, QStringLiteral("key.remove"));
    }

    void renameKeepsTheKey()
    {
        QVERIFY(storeKey(QStringLiteral("marketer"), key1));
        const QString entry = entryOf(QStringLiteral("marketer"));
        QVERIFY(ws->renameRole(QStringLiteral("marketer"), QStringLiteral("marketing")));
        QCOMPARE(entryOf(QStringLiteral("marketing")), entry);
        QCOMPARE(awaitKey(*service, QStringLiteral("marketing")), key1);
        QCOMPARE(recordOf(QStringLiteral("marketing")).last4, QStringLiteral("AAAA"));
    }

    void removingTheRoleDeletesItsEntryFirst()
    {
        QVERIFY(storeKey(QStringLiteral("developer"), key1));
        const QString entry = entryOf(QStringLiteral("developer"));
        QVERIFY(await([&](KeyService::Done d) { service->removeRole(QStringLiteral("developer"), d); }));
        QVERIFY(!store->contains(entry));
        QVERIFY(!ws->policy().role(QStringLiteral("developer")));
        Expected<QVector<AuditEntry>> latest = ws->auditLog().latest(2);
        QCOMPARE(latest->at(0).action, QStringLiteral("role.remove"));
        QCOMPARE(latest->at(1).action, QStringLiteral("key.remove"));
        QSqlQuery q(ws->database());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM role_keys")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }

    void aLockedKeychainKeepsTheRole()
    {
        QVERIFY(storeKey(QStringLiteral("developer"), key1));
        store->setMode(MemorySecretStore::Mode::Locked);
        const Status s
            = await([&](KeyService::Done d) { service->removeRole(QStringLiteral("developer"), d); });
        QCOMPARE(s.kind(), ErrorKind::Environment);
        QVERIFY2(s.message().contains(QLatin1String("role was not removed")), qPrintable(s.message()));
        QVERIFY(ws->policy().role(QStringLiteral("developer")));
        QCOMPARE(store->value(entryOf(QStringLiteral("developer"))), key1);
    }

    void rolesWithoutKeysNeedNoKeychain()
    {
        store->setMode(MemorySecretStore::Mode::Unavailable);
        QVERIFY(await([&](KeyService::Done d) { service->removeRole(QStringLiteral("viewer"), d); }));
        QVERIFY(!ws->policy().role(QStringLiteral("viewer")));
        QCOMPARE(store->operations(), 0);
    }

    void twoWorkspacesNeverCollide()
    {
        QTemporaryDir otherDir;
        auto other = Workspace::open(otherDir.filePath(QStringLiteral("w.sqlite")));
        QVERIFY(other.isOk());
        KeyService otherService(other->get(), store.get()); // the same keychain
        QVERIFY(storeKey(QStringLiteral("admin"), key1));
        QVERIFY(await([&](KeyService::Done d) {
            otherService.storeKey(QStringLiteral("admin"), key2, std::nullopt, d);
        }));
        QCOMPARE(store->entries().size(), 2);
        QCOMPARE(awaitKey(*service, QStringLiteral("admin")), key1);
        QCOMPARE(awaitKey(otherService, QStringLiteral("admin")), key2);
    }

    void aFailedMetadataWriteLeavesTheKeychainAsItWas()
    {
        QVERIFY(storeKey(QStringLiteral("admin"), key1));
        // Break the table the rotation needs: the keychain must get the old key back.
        QSqlQuery q(ws->database());
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE retired_keys RENAME TO broken")));
        const Status s = storeKey(QStringLiteral("admin"), key2);
        QCOMPARE(s.kind(), ErrorKind::Environment);
        QTRY_COMPARE(store->value(entryOf(QStringLiteral("admin"))), key1);
        QVERIFY(q.exec(QStringLiteral("ALTER TABLE broken RENAME TO retired_keys")));
        QCOMPARE(recordOf(QStringLiteral("admin")).last4, QStringLiteral("AAAA"));

        // First key for a role and the metadata write fails: the new entry is removed again.
        QVERIFY(q.exec(QStringLiteral(
            "CREATE TRIGGER refuse BEFORE INSERT ON role_keys BEGIN SELECT RAISE(ABORT, 'no'); END")));
        QCOMPARE(storeKey(QStringLiteral("viewer"), key2).kind(), ErrorKind::Environment);
        QTRY_VERIFY(!store->contains(entryOf(QStringLiteral("viewer"))));
    }

    void verificationIsRecorded()
    {
        FakeKlaviyoServer server;
        QVERIFY(server.listen());
        server.addKey(key1, service->requiredScopes(QStringLiteral("viewer")));
        QVERIFY(storeKey(QStringLiteral("viewer"), key1));
        VirtualTiming timing;
        KlaviyoConfig config;
        config.baseUrl = server.baseUrl();
        config.revision = ScopeCatalog::builtin().stableRevision();
        KlaviyoClient client(config, &timing);
        KeyVerifier verifier(&client, ScopeCatalog::builtin());
        QVERIFY(await(
            [&](KeyService::Done d) { service->verifyStored(QStringLiteral("viewer"), &verifier, d); }));
        QCOMPARE(verifier.result().verdict, KeyVerification::Verdict::Verified);
        const KeyRecord r = recordOf(QStringLiteral("viewer"));
        QVERIFY(r.verification.has_value());
        QCOMPARE(r.verification->verdict, KeyVerification::Verdict::Verified);
        QCOMPARE(r.verifiedAt, Clock::nowUtc());
        const AuditEntry e = lastEntry();
        QCOMPARE(e.action, QStringLiteral("key.verify"));
        QVERIFY(e.success);
        QVERIFY(e.details.contains(QLatin1String("Fake Shop Ltd")));

        // A failed attempt is audited but does not replace what Klaviyo last said.
        server.inject({QStringLiteral("/api/accounts"), 500, {}, {}, {}, false}, 10);
        KeyVerifier failing(&client, ScopeCatalog::builtin());
        QVERIFY(
            await([&](KeyService::Done d) { service->verifyStored(QStringLiteral("viewer"), &failing, d); }));
        QCOMPARE(failing.result().verdict, KeyVerification::Verdict::Failed);
        QCOMPARE(
            recordOf(QStringLiteral("viewer")).verification->verdict, KeyVerification::Verdict::Verified);
        QCOMPARE(lastEntry().action, QStringLiteral("key.verify"));
        QVERIFY(!lastEntry().success);
    }

    void fingerprintTellsWhetherThisKeychainHasTheTeamsKey()
    {
        // The rule, against a value computed independently (Python's hmac module).
        QCOMPARE(keyFingerprint(QStringLiteral("ws-1"), "pk_abc"),
            QStringLiteral("664aa3953bf93385cddf12183683fe04"));
        QVERIFY(keyFingerprint(QStringLiteral("ws-2"), "pk_abc")
            != keyFingerprint(QStringLiteral("ws-1"), "pk_abc"));

        QVERIFY(storeKey(QStringLiteral("viewer"), key1));
        const KeyRecord recorded = recordOf(QStringLiteral("viewer"));
        QCOMPARE(recorded.fingerprint, keyFingerprint(ws->id(), key1));
        QVERIFY(!recorded.fingerprint.contains(QString::fromLatin1(key1.mid(3, 8))));
        const auto matches = [](KeyService& s) -> std::optional<std::optional<bool>> {
            std::optional<bool> result;
            bool called = false;
            s.checkMatchesRecord(QStringLiteral("viewer"), [&](std::optional<bool> m) {
                result = m;
                called = true;
            });
            for (int i = 0; i < 500 && !called; ++i)
                QTest::qWait(10);
            return called ? std::optional<std::optional<bool>>(result) : std::nullopt; // outer: answered
        };
        QVERIFY(matches(*service) == std::optional<std::optional<bool>>(true));

        // A second admin on the same workspace whose keychain holds an older key for the role.
        MemorySecretStore otherKeychain;
        bool written = false;
        otherKeychain.write(
            entryOf(QStringLiteral("viewer")), key2, this, [&](SecretResult) { written = true; });
        QTRY_VERIFY(written);
        KeyService otherConsole(ws.get(), &otherKeychain);
        QVERIFY(matches(otherConsole) == std::optional<std::optional<bool>>(false));
        // No key in a keychain at all: no verdict, rather than a wrong one.
        MemorySecretStore emptyKeychain;
        KeyService newConsole(ws.get(), &emptyKeychain);
        QVERIFY(matches(newConsole) == std::optional<std::optional<bool>>(std::optional<bool>()));
    }

    void rolesRemovedElsewhereLoseTheirEntries()
    {
        OrphanKeyCleaner cleaner(service.get());
        QVERIFY(storeKey(QStringLiteral("service"), key1));
        const QString entry = entryOf(QStringLiteral("service"));
        QVERIFY(ws->removeRole(QStringLiteral("service"))); // not through the key service
        QTRY_VERIFY(!store->contains(entry));
        QTRY_COMPARE(lastEntry().action, QStringLiteral("key.remove"));
        QVERIFY(lastEntry().details.contains(QLatin1String("role removed elsewhere")));

        // Locked: the entry stays, and the console says so instead of pretending.
        QVERIFY(storeKey(QStringLiteral("marketer"), key2));
        const QString locked = entryOf(QStringLiteral("marketer"));
        store->setMode(MemorySecretStore::Mode::Locked);
        QSignalSpy problem(&cleaner, &OrphanKeyCleaner::keychainProblem);
        QVERIFY(ws->removeRole(QStringLiteral("marketer")));
        QTRY_COMPARE(problem.size(), 1);
        QVERIFY(problem.at(0).at(0).toString().contains(locked));
        QVERIFY(store->contains(locked));
    }
};

QTEST_GUILESS_MAIN(TestKeyService)
#include "tst_keyservice.moc"
