#include "FakeKlaviyoServer.h"
#include "klaviyo/KeyVerifier.h"
#include "klaviyo/KlaviyoClient.h"
#include "policy/ScopeCatalog.h"
#include "VirtualTiming.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace rbac;
using rbac::test::FakeKlaviyoServer;
using rbac::test::VirtualTiming;

namespace {
const QByteArray key = "pk_verifier0123456789abcdef0123456789";
const QStringList required {QStringLiteral("accounts:read"), QStringLiteral("lists:read"),
    QStringLiteral("lists:write"), QStringLiteral("profiles:read")};
const QStringList exactReads {
    QStringLiteral("accounts:read"), QStringLiteral("lists:read"), QStringLiteral("profiles:read")};

const ScopeCheck* checkFor(const KeyVerification& v, const QString& scope)
{
    for (const ScopeCheck& c : v.checks) {
        if (c.scope == scope)
            return &c;
    }
    return nullptr;
}

int probeableCount()
{
    int n = 0;
    for (const ScopeProbe& p : ScopeCatalog::builtin().probes())
        n += p.path.contains(QLatin1Char('{')) ? 0 : 1;
    return n;
}
} // namespace

class TestKeyVerifier : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeKlaviyoServer> server;
    std::unique_ptr<VirtualTiming> timing;
    std::unique_ptr<KlaviyoClient> client;

    KlaviyoConfig config() const
    {
        KlaviyoConfig c;
        c.baseUrl = server->baseUrl();
        c.revision = ScopeCatalog::builtin().stableRevision();
        c.timeoutMs = 2000;
        return c;
    }

    KeyVerification verify(const QByteArray& withKey = key, const QStringList& requiredScopes = required)
    {
        KeyVerifier verifier(client.get(), ScopeCatalog::builtin());
        QSignalSpy finished(&verifier, &KeyVerifier::finished);
        verifier.start(withKey, requiredScopes);
        if (!finished.wait(30000))
            return {};
        return verifier.result();
    }

private slots:
    void init()
    {
        server = std::make_unique<FakeKlaviyoServer>();
        QVERIFY(server->listen());
        timing = std::make_unique<VirtualTiming>();
        client = std::make_unique<KlaviyoClient>(config(), timing.get());
    }

    void cleanup()
    {
        QVERIFY2(server->problems().isEmpty(), qPrintable(server->problems().join(QLatin1Char('\n'))));
        client.reset();
        server.reset();
    }

    void exactKeyIsVerified()
    {
        server->addKey(key, exactReads);
        const KeyVerification v = verify();
        QCOMPARE(v.verdict, KeyVerification::Verdict::Verified);
        QVERIFY(v.hasAccount);
        QCOMPARE(v.account.organizationName, QStringLiteral("Fake Shop Ltd"));
        QCOMPARE(v.account.publicKey, QStringLiteral("AbC123"));
        QCOMPARE(v.account.testAccount, true);
        QCOMPARE(v.revision, ScopeCatalog::builtin().stableRevision());
        // One request per probeable read scope, /api/accounts doubling as the accounts:read probe.
        QCOMPARE(server->requests().size(), probeableCount());
        QCOMPARE(v.checks.size(), ScopeCatalog::builtin().probes().size());
        const KeyVerification::Assessment a = v.assess(required);
        QCOMPARE(a.writeScopes, QStringList {QStringLiteral("lists:write")});
        QVERIFY(a.missing.isEmpty());
        QVERIFY(a.excess.isEmpty());
    }

    void betaProbesSendThePreRevision()
    {
        server->addKey(key, exactReads);
        verify();
        int beta = 0;
        for (const FakeKlaviyoServer::Request& r : server->requests())
            beta += r.revision.endsWith(".pre") ? 1 : 0;
        QVERIFY(beta >= 5); // agents, applications, brands, credentials, sender-config, translations, usage
        // cleanup() checks the stand-in saw the right revision on every endpoint.
    }

    void missingScopeMeansTheRoleWillFail()
    {
        server->addKey(key, {QStringLiteral("accounts:read"), QStringLiteral("profiles:read")});
        const KeyVerification v = verify();
        QCOMPARE(v.verdict, KeyVerification::Verdict::MissingScopes);
        QCOMPARE(v.assess(required).missing, QStringList {QStringLiteral("lists:read")});
        QCOMPARE(checkFor(v, QStringLiteral("lists:read"))->httpStatus, 403);
    }

    void excessScopeBreaksLeastPrivilege()
    {
        server->addKey(
            key, exactReads + QStringList {QStringLiteral("events:read"), QStringLiteral("flows:read")});
        const KeyVerification v = verify();
        QCOMPARE(v.verdict, KeyVerification::Verdict::ExcessScopes);
        QCOMPARE(v.assess(required).excess,
            (QStringList {QStringLiteral("events:read"), QStringLiteral("flows:read")}));
    }

    void twoScopeProbeIsAmbiguousUnlessTheOtherIsKnown()
    {
        // push-tokens' probe also needs profiles:read.
        server->addKey(key, {QStringLiteral("accounts:read"), QStringLiteral("push-tokens:read")});
        KeyVerification v
            = verify(key, {QStringLiteral("accounts:read"), QStringLiteral("push-tokens:read")});
        const ScopeCheck* c = checkFor(v, QStringLiteral("push-tokens:read"));
        QCOMPARE(c->finding, ScopeFinding::Ambiguous);
        QVERIFY2(c->note.contains(QLatin1String("profiles:read")), qPrintable(c->note));
        QCOMPARE(v.assess({QStringLiteral("push-tokens:read")}).undetermined,
            QStringList {QStringLiteral("push-tokens:read")});

        server->addKey("pk_second0123456789abcdef0123456789ab",
            {QStringLiteral("accounts:read"), QStringLiteral("profiles:read")});
        v = verify("pk_second0123456789abcdef0123456789ab");
        QCOMPARE(checkFor(v, QStringLiteral("push-tokens:read"))->finding, ScopeFinding::Lacking);

        server->addKey("pk_third00123456789abcdef0123456789ab",
            {QStringLiteral("accounts:read"), QStringLiteral("profiles:read"),
                QStringLiteral("push-tokens:read")});
        v = verify("pk_third00123456789abcdef0123456789ab");
        QCOMPARE(checkFor(v, QStringLiteral("push-tokens:read"))->finding, ScopeFinding::Granted);
    }

    void pathIdProbesAreUnprobeable()
    {
        server->addKey(key, exactReads);
        const KeyVerification v = verify();
        const ScopeCheck* c = checkFor(v, QStringLiteral("conversations:read"));
        QCOMPARE(c->finding, ScopeFinding::Unprobeable);
        QCOMPARE(c->httpStatus, 0);
        for (const FakeKlaviyoServer::Request& r : server->requests())
            QVERIFY(!r.path.contains(QLatin1String("conversation")));
    }

    void badKeyStopsAtOnce()
    {
        const KeyVerification v = verify("pk_nobody0123456789abcdef0123456789ab");
        QCOMPARE(v.verdict, KeyVerification::Verdict::BadKey);
        QCOMPARE(server->requests().size(), 1);
        QVERIFY2(v.message.contains(QLatin1String("401")), qPrintable(v.message));
        QVERIFY(!v.message.contains(QLatin1String("0123456789abcdef")));
    }

    void keyWithoutAccountsReadIsStillProbed()
    {
        server->addKey(key, {QStringLiteral("lists:read"), QStringLiteral("profiles:read")});
        const KeyVerification v = verify();
        QCOMPARE(v.verdict, KeyVerification::Verdict::MissingScopes);
        QVERIFY(!v.hasAccount);
        QCOMPARE(v.assess(required).missing, QStringList {QStringLiteral("accounts:read")});
        QCOMPARE(checkFor(v, QStringLiteral("lists:read"))->finding, ScopeFinding::Granted);
    }

    void malformedAccountAnswerFailsClearly_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("html") << QByteArray("<html>oops</html>");
        QTest::newRow("wrong shape") << QByteArray(R"({"data":{"id":1}})");
        QTest::newRow("missing fields")
            << QByteArray(R"({"data":[{"type":"account","id":"1","attributes":{}}]})");
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe garbage", 12);
    }

    void malformedAccountAnswerFailsClearly()
    {
        QFETCH(QByteArray, body);
        server->addKey(key, exactReads);
        server->setAccountsBody(body);
        const KeyVerification v = verify();
        QCOMPARE(v.verdict, KeyVerification::Verdict::Failed);
        QVERIFY2(v.message.contains(QLatin1String("not understood")), qPrintable(v.message));
        QCOMPARE(server->requests().size(), 1);
    }

    void unexpectedProbeAnswersAreInconclusive()
    {
        server->addKey(key, exactReads);
        server->inject({QStringLiteral("/api/lists"), 404, {}, {}, {}, false});
        const KeyVerification v = verify();
        const ScopeCheck* c = checkFor(v, QStringLiteral("lists:read"));
        QCOMPARE(c->finding, ScopeFinding::Inconclusive);
        QCOMPARE(v.assess(required).undetermined, QStringList {QStringLiteral("lists:read")});
    }

    void throttledProbeWaitsAndContinues()
    {
        server->addKey(key, exactReads);
        server->inject({QStringLiteral("/api/lists"), 429, "1", {}, {}, false});
        const KeyVerification v = verify();
        QCOMPARE(v.verdict, KeyVerification::Verdict::Verified);
        QVERIFY(timing->waits().contains(1000));
        QCOMPARE(server->count(QStringLiteral("/api/lists")), 2);
    }

    void unreachableKlaviyoFailsWithoutGuessing()
    {
        server->addKey(key, exactReads);
        server->inject({QStringLiteral("/api/accounts"), 503, {}, {}, {}, false}, 10);
        const KeyVerification v = verify();
        QCOMPARE(v.verdict, KeyVerification::Verdict::Failed);
        QVERIFY(v.checks.isEmpty());
        QVERIFY2(v.message.contains(QLatin1String("503")), qPrintable(v.message));
    }

    void cancelStopsProbing()
    {
        server->addKey(key, exactReads);
        KeyVerifier verifier(client.get(), ScopeCatalog::builtin());
        QSignalSpy finished(&verifier, &KeyVerifier::finished);
        QSignalSpy progress(&verifier, &KeyVerifier::progress);
        verifier.start(key, required);
        QTRY_VERIFY(server->requests().size() >= 3);
        verifier.cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(verifier.result().verdict, KeyVerification::Verdict::Cancelled);
        const qsizetype sent = server->requests().size();
        QTest::qWait(200);
        QVERIFY(server->requests().size() <= sent + 1); // at most the one already on the wire
        QVERIFY(progress.size() >= 3);
    }

    void cancelBeforeStartSendsNothing()
    {
        // The key may still be on its way from the keychain when the user presses Cancel.
        server->addKey(key, exactReads);
        KeyVerifier verifier(client.get(), ScopeCatalog::builtin());
        QSignalSpy finished(&verifier, &KeyVerifier::finished);
        verifier.cancel();
        verifier.start(key, required);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(verifier.result().verdict, KeyVerification::Verdict::Cancelled);
        QTest::qWait(100);
        QVERIFY(server->requests().isEmpty());
    }

    void repeatedVerificationsArePacedToTheSteadyLimit()
    {
        // /api/accounts allows 15 a minute: the 16th verification in a row must wait for the
        // minute to pass. Virtual time makes that instant for the test.
        server->addKey(key, exactReads);
        QElapsedTimer real;
        real.start();
        qint64 virtualStart = timing->nowMs();
        for (int i = 0; i < 16; ++i)
            QCOMPARE(verify().verdict, KeyVerification::Verdict::Verified);
        const qint64 virtualElapsed = timing->nowMs() - virtualStart;
        QVERIFY2(virtualElapsed >= 60000, qPrintable(QString::number(virtualElapsed)));
        QVERIFY2(virtualElapsed < 70000, qPrintable(QString::number(virtualElapsed)));
        qInfo("16 verifications: %lld ms of paced (virtual) time, %lld ms real, %lld requests",
            virtualElapsed, real.elapsed(), qint64(server->requests().size()));
    }

    void oneVerificationInRealTime()
    {
        server->addKey(key, exactReads);
        KlaviyoClient realClient(config());
        KeyVerifier verifier(&realClient, ScopeCatalog::builtin());
        QSignalSpy finished(&verifier, &KeyVerifier::finished);
        verifier.start(key, required);
        QVERIFY(finished.wait(30000));
        QCOMPARE(verifier.result().verdict, KeyVerification::Verdict::Verified);
        QCOMPARE(verifier.waitedMs(), 0);
        QVERIFY2(verifier.elapsedMs() < 5000, qPrintable(QString::number(verifier.elapsedMs())));
        qInfo("one verification against the loopback stand-in: %d requests in %lld ms",
            verifier.requestsSent(), verifier.elapsedMs());
    }
};

QTEST_GUILESS_MAIN(TestKeyVerifier)
#include "tst_keyverifier.moc"
