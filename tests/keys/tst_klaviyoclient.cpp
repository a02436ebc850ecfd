#include "FakeKlaviyoServer.h"
#include "klaviyo/KlaviyoClient.h"
#include "klaviyo/KlaviyoConfig.h"
#include "policy/ScopeCatalog.h"
#include "klaviyo/Timing.h"
#include "VirtualTiming.h"
#include "workspace/Workspace.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rbac;
using rbac::test::FakeKlaviyoServer;
using rbac::test::VirtualTiming;

namespace {
const QByteArray key = "pk_client0123456789abcdef0123456789ab";
const RateLimit accountsLimit {QStringLiteral("1/s"), QStringLiteral("15/m"), {}};
// For the retry tests: roomy enough that pacing never adds to the waits they check.
const RateLimit roomyLimit {QStringLiteral("1000/s"), QStringLiteral("10000/m"), {}};
} // namespace

class TestKlaviyoClient : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeKlaviyoServer> server;
    VirtualTiming timing;

    KlaviyoConfig config() const
    {
        KlaviyoConfig c;
        c.baseUrl = server->baseUrl();
        c.revision = ScopeCatalog::builtin().stableRevision();
        c.timeoutMs = 2000;
        return c;
    }

    KlaviyoReply run(KlaviyoClient& client,
        const QString& path = QStringLiteral("/api/accounts"),
        const QByteArray& withKey = key,
        const RateLimit& limit = roomyLimit)
    {
        KlaviyoCall* call = client.get({path, {}, client.config().revision, limit}, withKey);
        QSignalSpy finished(call, &KlaviyoCall::finished);
        if (!finished.wait(20000))
            return {};
        const KlaviyoReply reply = call->reply();
        delete call;
        return reply;
    }

private slots:
    void init()
    {
        server = std::make_unique<FakeKlaviyoServer>();
        QVERIFY(server->listen());
        server->addKey(key, {QStringLiteral("accounts:read")});
        timing.clearWaits();
    }

    void cleanup() { server.reset(); }

    void sendsTheHeadersKlaviyoRequires()
    {
        KlaviyoClient client(config(), &timing);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.outcome, KlaviyoReply::Answered);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.attempts, 1);
        QVERIFY2(server->problems().isEmpty(), qPrintable(server->problems().join(QLatin1Char('\n'))));
        const FakeKlaviyoServer::Request& sent = server->requests().constFirst();
        QCOMPARE(sent.authorization, QByteArray("Klaviyo-API-Key ") + key);
        QCOMPARE(sent.revision, ScopeCatalog::builtin().stableRevision().toLatin1());
        QCOMPARE(sent.accept, QByteArray("application/vnd.api+json"));
    }

    void fakeRejectsWrongHeaders()
    {
        // The stand-in itself must catch a client that gets the headers wrong.
        KlaviyoConfig c = config();
        c.revision = QStringLiteral("2020-01-01");
        KlaviyoClient client(c, &timing);
        QCOMPARE(run(client).status, 400);
        QCOMPARE(server->problems().size(), 1);
    }

    void unknownKeyIs401()
    {
        KlaviyoClient client(config(), &timing);
        const KlaviyoReply r
            = run(client, QStringLiteral("/api/accounts"), "pk_unknown0123456789abcdef0123456789");
        QCOMPARE(r.outcome, KlaviyoReply::Answered);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.attempts, 1); // a bad key is not retried
    }

    void honoursRetryAfter()
    {
        // 2 s, not 1: the first exponential backoff step is 1 s too, so 1 would not tell them apart.
        server->inject({QStringLiteral("/api/accounts"), 429, "2", {}, {}, false});
        KlaviyoClient client(config(), &timing);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.attempts, 2);
        QCOMPARE(timing.waits(), QVector<qint64> {2000});
        QCOMPARE(r.waitedMs, 2000);
    }

    void fallsBackToTheSecondsInTheDetail()
    {
        server->inject({QStringLiteral("/api/accounts"), 429, {}, {},
            R"({"errors":[{"id":"1","code":"throttled","title":"Request was throttled.","detail":"Request was throttled. Expected available in 3 seconds."}]})",
            false});
        KlaviyoClient client(config(), &timing);
        QCOMPARE(run(client).status, 200);
        QCOMPARE(timing.waits(), QVector<qint64> {3000});
    }

    void backsOffExponentiallyWithoutHints()
    {
        server->inject(
            {QStringLiteral("/api/accounts"), 429, {}, {}, R"({"errors":[{"detail":"slow down"}]})", false},
            3);
        KlaviyoClient client(config(), &timing);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.attempts, 4);
        QCOMPARE(timing.waits(), (QVector<qint64> {1000, 2000, 4000}));
    }

    void throttlingHasABudget()
    {
        server->inject({QStringLiteral("/api/accounts"), 429, "1", {}, {}, false}, 20);
        KlaviyoConfig c = config();
        c.maxThrottleRetries = 5;
        KlaviyoClient client(c, &timing);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.outcome, KlaviyoReply::Failed);
        QCOMPARE(r.attempts, 6);
        QVERIFY2(r.error.contains(QLatin1String("429")), qPrintable(r.error));
    }

    void aLongRetryAfterIsReportedNotWaitedOut()
    {
        server->inject({QStringLiteral("/api/accounts"), 429, "86400", {}, {}, false});
        KlaviyoClient client(config(), &timing);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.outcome, KlaviyoReply::Failed);
        QVERIFY(timing.waits().isEmpty());
        QVERIFY2(r.error.contains(QLatin1String("86400 s")), qPrintable(r.error));
    }

    void serverErrorsAreRetriedABoundedNumberOfTimes()
    {
        server->inject({QStringLiteral("/api/accounts"), 503, {}, {}, {}, false}, 2);
        KlaviyoClient client(config(), &timing);
        QCOMPARE(run(client).status, 200);
        QCOMPARE(timing.waits(), (QVector<qint64> {1000, 2000}));

        server->inject({QStringLiteral("/api/accounts"), 500, {}, {}, {}, false}, 10);
        timing.clearWaits();
        const KlaviyoReply r = run(client);
        QCOMPARE(r.outcome, KlaviyoReply::Failed);
        QCOMPARE(r.attempts, 4); // one try and three retries
        QCOMPARE(r.status, 500);
        QVERIFY2(r.error.contains(QLatin1String("HTTP 500")), qPrintable(r.error));
    }

    void timeoutsAreRetriedThenReported()
    {
        KlaviyoConfig c = config();
        c.timeoutMs = 300;
        c.maxServerRetries = 1;
        KlaviyoClient client(c, &timing);
        server->inject({QStringLiteral("/api/accounts"), 0, {}, {}, {}, true});
        QCOMPARE(run(client).status, 200); // one hang, then an answer

        server->inject({QStringLiteral("/api/accounts"), 0, {}, {}, {}, true}, 2);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.outcome, KlaviyoReply::Failed);
        QCOMPARE(r.attempts, 2);
        QVERIFY2(r.error.contains(QLatin1String("no answer within 0.3 s")), qPrintable(r.error));
    }

    void unreachableServerFailsClearly()
    {
        KlaviyoConfig c = config();
        const quint16 port = server->baseUrl().port();
        server.reset(); // nothing listens there any more
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
        c.maxServerRetries = 2;
        KlaviyoClient client(c, &timing);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.outcome, KlaviyoReply::Failed);
        QCOMPARE(r.attempts, 3);
        QVERIFY2(r.error.contains(QLatin1String("could not reach Klaviyo")), qPrintable(r.error));
        QVERIFY(!r.error.contains(QString::fromLatin1(key)));
        server = std::make_unique<FakeKlaviyoServer>(); // for cleanup()
    }

    void cancelEndsTheCall()
    {
        server->inject({QStringLiteral("/api/accounts"), 0, {}, {}, {}, true});
        KlaviyoClient client(config(), &timing);
        KlaviyoCall* call
            = client.get({QStringLiteral("/api/accounts"), {}, client.config().revision, accountsLimit}, key);
        QSignalSpy finished(call, &KlaviyoCall::finished);
        QTRY_COMPARE(server->requests().size(), 1);
        call->cancel();
        QCOMPARE(finished.size(), 1);
        QCOMPARE(call->reply().outcome, KlaviyoReply::Cancelled);
        QTest::qWait(100);
        QCOMPARE(finished.size(), 1);
        delete call;
    }

    void redirectsAreNotFollowed()
    {
        // A redirect could carry the Authorization header to another host.
        server->inject({QStringLiteral("/api/accounts"), 302, {}, "Location: http://127.0.0.1:9/steal\r\n",
            "{}", false});
        KlaviyoClient client(config(), &timing);
        const KlaviyoReply r = run(client);
        QCOMPARE(r.outcome, KlaviyoReply::Answered);
        QCOMPARE(r.status, 302);
        QCOMPARE(server->requests().size(), 1);
    }

    void pacesInRealTimeWithinThePublishedLimit()
    {
        // Real clock: the stand-in answers 429 to anything over 1/s on /api/accounts.
        server->setEnforceRateLimits(true);
        KlaviyoClient client(config());
        QElapsedTimer elapsed;
        elapsed.start();
        for (int i = 0; i < 3; ++i)
            QCOMPARE(run(client, QStringLiteral("/api/accounts"), key, accountsLimit).status, 200);
        const qint64 ms = elapsed.elapsed();
        QCOMPARE(server->count(QStringLiteral("/api/accounts")), 3); // no 429, so no retries
        QVERIFY2(ms >= 2000 && ms < 4000, qPrintable(QString::number(ms)));
        qInfo("3 requests to a 1/s endpoint took %lld ms", ms);
    }

    void baseUrlRules_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("klaviyo") << "https://a.klaviyo.com" << true;
        QTest::newRow("trailing slash") << "https://a.klaviyo.com/" << true;
        QTest::newRow("loopback http") << "http://127.0.0.1:8080" << true;
        QTest::newRow("localhost http") << "http://localhost:8080/prefix" << true;
        QTest::newRow("remote http") << "http://a.klaviyo.com" << false;
        QTest::newRow("ftp") << "ftp://a.klaviyo.com" << false;
        QTest::newRow("query") << "https://a.klaviyo.com/?x=1" << false;
        QTest::newRow("user") << "https://me@a.klaviyo.com" << false;
        QTest::newRow("garbage") << "not a url" << false;
    }

    void baseUrlRules()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        QCOMPARE(KlaviyoConfig::checkBaseUrl(url, QStringLiteral("test")).isOk(), accepted);
    }

    void configComesFromEnvironmentThenWorkspace()
    {
        QTemporaryDir dir;
        auto ws = Workspace::open(dir.filePath(QStringLiteral("w.sqlite")));
        QVERIFY(ws.isOk());
        qunsetenv("KLAVIYO_API_BASE_URL");
        Expected<KlaviyoConfig> c = KlaviyoConfig::fromWorkspace(**ws);
        QVERIFY(c.isOk());
        QCOMPARE(c->baseUrl, QUrl(QStringLiteral("https://a.klaviyo.com")));
        QCOMPARE(c->revision, ScopeCatalog::builtin().stableRevision());
        QCOMPARE(c->betaRevision(), ScopeCatalog::builtin().betaRevision());

        QVERIFY((*ws)->setSetting(
            KlaviyoConfig::baseUrlSettingKey(), QStringLiteral("https://proxy.example.com/k")));
        QVERIFY((*ws)->setSetting(KlaviyoConfig::revisionSettingKey(), QStringLiteral("2026-10-15")));
        c = KlaviyoConfig::fromWorkspace(**ws);
        QCOMPARE(c->baseUrl, QUrl(QStringLiteral("https://proxy.example.com/k")));
        QCOMPARE(c->betaRevision(), QStringLiteral("2026-10-15.pre"));

        qputenv("KLAVIYO_API_BASE_URL", "http://127.0.0.1:1234");
        c = KlaviyoConfig::fromWorkspace(**ws);
        QCOMPARE(c->baseUrl, QUrl(QStringLiteral("http://127.0.0.1:1234")));
        qputenv("KLAVIYO_API_BASE_URL", "http://evil.example.com");
        QVERIFY(!KlaviyoConfig::fromWorkspace(**ws).isOk());
        qunsetenv("KLAVIYO_API_BASE_URL");

        QVERIFY((*ws)->setSetting(KlaviyoConfig::revisionSettingKey(), QStringLiteral("latest")));
        QCOMPARE(KlaviyoConfig::fromWorkspace(**ws).status().kind(), ErrorKind::InvalidInput);
    }
};

QTEST_GUILESS_MAIN(TestKlaviyoClient)
#include "tst_klaviyoclient.moc"
