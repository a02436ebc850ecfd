// Against the real Secret Service: gnome-keyring in a private D-Bus session (with-test-keyring.sh).
#include "keychain/KeyService.h"
#include "KeyTestSupport.h"
#include "keychain/QtKeychainStore.h"
#include "workspace/Workspace.h"
#include "WorkspaceProbe.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rbac;
using namespace rbac::test;

namespace {
const QByteArray key1 = "pk_keyring0123456789abcdef0123456789K1K1";
const QByteArray key2 = "pk_keyring0123456789abcdef0123456789K2K2";

SecretResult run(const std::function<void(QObject*, SecretStore::Callback)>& op)
{
    QObject context;
    std::optional<SecretResult> result;
    op(&context, [&result](SecretResult r) { result = std::move(r); });
    (void)QTest::qWaitFor([&result] { return result.has_value(); }, 30000);
    return result.value_or(SecretResult {SecretResult::Failed, QStringLiteral("test: no answer"), {}});
}

// What secret-tool sees, without the secret lines (the output may end up in a test log).
QString secretToolSearch()
{
    QProcess p;
    p.start(QStringLiteral("secret-tool"),
        {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"),
            QtKeychainStore::serviceName()});
    if (!p.waitForFinished(15000))
        return QStringLiteral("(secret-tool did not finish)");
    QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    static const QRegularExpression secretLine(
        QStringLiteral("^secret = .*$"), QRegularExpression::MultilineOption);
    return out.replace(secretLine, QStringLiteral("secret = (hidden)"));
}

bool dbusCall(const QString& method, const QString& argument)
{
    QProcess p;
    p.start(QStringLiteral("dbus-send"),
        {QStringLiteral("--session"), QStringLiteral("--print-reply"),
            QStringLiteral("--dest=org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
            QStringLiteral("org.freedesktop.Secret.Service.") + method, argument});
    return p.waitForFinished(15000) && p.exitCode() == 0;
}
} // namespace

class TestKeychainStore : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
            "run through with-test-keyring.sh: no private D-Bus session");
    }

    void roundTripThroughTheSecretService()
    {
        QtKeychainStore store;
        const QString entry = QStringLiteral("test/round-trip");
        SecretResult r = run([&](QObject* c, SecretStore::Callback cb) { store.write(entry, key1, c, cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));
        r = run([&](QObject* c, SecretStore::Callback cb) { store.read(entry, c, cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.data, key1);
        r = run([&](QObject* c, SecretStore::Callback cb) { store.remove(entry, c, cb); });
        QVERIFY2(r.ok(), qPrintable(r.message));
        r = run([&](QObject* c, SecretStore::Callback cb) { store.read(entry, c, cb); });
        QCOMPARE(r.code, SecretResult::NotFound);
        // Deleting what is not there answers Ok: the reason KeyService reads before it deletes.
        r = run([&](QObject* c, SecretStore::Callback cb) { store.remove(entry, c, cb); });
        QCOMPARE(r.code, SecretResult::Ok);
    }

    void secretToolSeesTheEntryUnderTheServiceName()
    {
        auto ws = Workspace::open(dir.filePath(QStringLiteral("a.sqlite")));
        QVERIFY(ws.isOk());
        QtKeychainStore store;
        KeyService service(ws->get(), &store);
        QVERIFY(await(
            [&](KeyService::Done d) { service.storeKey(QStringLiteral("admin"), key1, std::nullopt, d); }));
        const QString entry = service.entryFor((*ws)->policy().role(QStringLiteral("admin"))->uid);
        const QString seen = secretToolSearch();
        QVERIFY2(seen.contains(QStringLiteral("attribute.server = klaviyo-rbac-console")), qPrintable(seen));
        QVERIFY2(seen.contains(QStringLiteral("attribute.user = ") + entry), qPrintable(seen));
        QCOMPARE(awaitKey(service, QStringLiteral("admin")), key1);
    }

    void twoWorkspacesKeepTwoEntries()
    {
        auto a = Workspace::open(dir.filePath(QStringLiteral("a.sqlite")));
        auto b = Workspace::open(dir.filePath(QStringLiteral("b.sqlite")));
        QVERIFY(a.isOk() && b.isOk());
        QtKeychainStore store;
        KeyService serviceA(a->get(), &store);
        KeyService serviceB(b->get(), &store);
        QVERIFY(await(
            [&](KeyService::Done d) { serviceB.storeKey(QStringLiteral("admin"), key2, std::nullopt, d); }));
        QCOMPARE(awaitKey(serviceA, QStringLiteral("admin")), key1);
        QCOMPARE(awaitKey(serviceB, QStringLiteral("admin")), key2);
        QCOMPARE(secretToolSearch().count(QStringLiteral("attribute.server = klaviyo-rbac-console")), 2);
    }

    void removingTheRoleRemovesTheEntry()
    {
        auto b = Workspace::open(dir.filePath(QStringLiteral("b.sqlite")));
        QtKeychainStore store;
        KeyService service(b->get(), &store);
        const QString entry = service.entryFor((*b)->policy().role(QStringLiteral("admin"))->uid);
        QVERIFY(await([&](KeyService::Done d) { service.removeRole(QStringLiteral("admin"), d); }));
        QVERIFY(!secretToolSearch().contains(entry));
        QCOMPARE(secretToolSearch().count(QStringLiteral("attribute.server = klaviyo-rbac-console")), 1);
    }

    // Last: the keyring stays locked afterwards until the daemon is replaced.
    void aLockedKeyringIsUnavailableNotMissing()
    {
        auto ws = Workspace::open(dir.filePath(QStringLiteral("a.sqlite")));
        QtKeychainStore store(5000);
        KeyService service(ws->get(), &store);
        QVERIFY(dbusCall(QStringLiteral("Lock"),
            QStringLiteral("array:objpath:/org/freedesktop/secrets/collection/login")));
        const qint64 audits = auditCount(**ws);

        Status s;
        QVERIFY(awaitKey(service, QStringLiteral("admin"), &s).isEmpty());
        QCOMPARE(s.kind(), ErrorKind::Environment);
        QVERIFY2(s.message().contains(QLatin1String("locked or unavailable")), qPrintable(s.message()));

        s = await([&](KeyService::Done d) { service.removeKey(QStringLiteral("admin"), d); });
        QCOMPARE(s.kind(), ErrorKind::Environment);
        s = await(
            [&](KeyService::Done d) { service.storeKey(QStringLiteral("admin"), key2, std::nullopt, d); });
        QCOMPARE(s.kind(), ErrorKind::Environment);
        QVERIFY(service.record(QStringLiteral("admin"))->hasKey);
        QCOMPARE(auditCount(**ws), audits);

        // Unlocked again (a new daemon on the same keyring file), the key is still there. Looked up
        // from a fresh process: this one's libsecret session died with the replaced daemon.
        QProcess unlock;
        unlock.start(QStringLiteral("sh"),
            {QStringLiteral("-c"),
                QStringLiteral("printf %s throwaway-test-password | gnome-keyring-daemon "
                               "--replace --unlock --components=secrets >/dev/null 2>&1")});
        QVERIFY(unlock.waitForFinished(15000));
        const QString entry = service.entryFor((*ws)->policy().role(QStringLiteral("admin"))->uid);
        QByteArray stored;
        for (int attempt = 0; attempt < 50 && stored.isEmpty(); ++attempt) {
            QProcess lookup;
            lookup.start(QStringLiteral("secret-tool"),
                {QStringLiteral("lookup"), QStringLiteral("server"), QtKeychainStore::serviceName(),
                    QStringLiteral("user"), entry});
            QVERIFY(lookup.waitForFinished(15000));
            stored = lookup.readAllStandardOutput().trimmed();
            if (stored.isEmpty())
                QTest::qWait(100);
        }
        QVERIFY2(stored == key1.toBase64(),
            "the key did not survive the locked period"); // QtKeychain stores base64
    }
};

QTEST_GUILESS_MAIN(TestKeychainStore)
#include "tst_keychainstore.moc"
