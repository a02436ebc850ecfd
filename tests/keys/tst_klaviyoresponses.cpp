#include "klaviyo/KlaviyoResponses.h"

#include <QTest>

using namespace rbac;

namespace {
const QByteArray goodAccounts
    = R"({"data":[{"type":"account","id":"XyZ123","attributes":{"test_account":false,
"contact_information":{"default_sender_name":"A","default_sender_email":"a@example.com","organization_name":"Shop & Co"},
"timezone":"UTC","preferred_currency":"USD","public_api_key":"AbC123","locale":"en-US"},"links":{"self":"x"}}],"links":{}})";
}

class TestKlaviyoResponses : public QObject
{
    Q_OBJECT

private slots:
    void readsTheAccount()
    {
        Expected<KlaviyoAccount> a = KlaviyoResponses::parseAccounts(goodAccounts);
        QVERIFY2(a.isOk(), qPrintable(a.status().message()));
        QCOMPARE(a->id, QStringLiteral("XyZ123"));
        QCOMPARE(a->organizationName, QStringLiteral("Shop & Co"));
        QCOMPARE(a->publicKey, QStringLiteral("AbC123"));
        QCOMPARE(a->testAccount, false);
    }

    void rejectsUnexpectedShapes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << QByteArray() << "not JSON";
        QTest::newRow("html") << QByteArray("<html>502 Bad Gateway</html>") << "not JSON";
        QTest::newRow("truncated") << goodAccounts.left(60) << "not JSON";
        QTest::newRow("array") << QByteArray("[1,2]") << "not a JSON object";
        QTest::newRow("no data") << QByteArray(R"({"links":{}})") << "no \"data\" array";
        QTest::newRow("data object") << QByteArray(R"({"data":{"type":"account"}})") << "no \"data\" array";
        QTest::newRow("no account") << QByteArray(R"({"data":[]})") << "lists no account";
        QTest::newRow("data[0] string") << QByteArray(R"({"data":["x"]})") << "not an object";
        QTest::newRow("wrong type") << QByteArray(R"({"data":[{"type":"profile","id":"1","attributes":{}}]})")
                                    << "not of type";
        QTest::newRow("no attributes")
            << QByteArray(R"({"data":[{"type":"account","id":"1"}]})") << "attributes";
        QTest::newRow("number id") << QByteArray(
            R"({"data":[{"type":"account","id":5,"attributes":{"public_api_key":"A","test_account":true,
"contact_information":{"organization_name":"x"}}}]})")
                                   << "account id";
        QTest::newRow("test_account string") << QByteArray(
            R"({"data":[{"type":"account","id":"1","attributes":{"public_api_key":"A","test_account":"no",
"contact_information":{"organization_name":"x"}}}]})")
                                             << "test_account";
        QTest::newRow("no organization") << QByteArray(
            R"({"data":[{"type":"account","id":"1","attributes":{"public_api_key":"A","test_account":true,
"contact_information":{}}}]})") << "organization_name";
        QTest::newRow("deep nesting") << QByteArray(20000, '[') << "not JSON";
    }

    void rejectsUnexpectedShapes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        Expected<KlaviyoAccount> a = KlaviyoResponses::parseAccounts(body);
        QVERIFY(!a.isOk());
        QCOMPARE(a.status().kind(), ErrorKind::Environment);
        QVERIFY2(a.status().message().contains(mentions), qPrintable(a.status().message()));
    }

    void summarisesErrors()
    {
        const QByteArray body
            = R"({"errors":[{"id":"1","code":"not_authenticated","title":"Authentication credentials were not provided.","detail":"Missing or invalid authorization scheme. Please use Klaviyo-API-Key."}]})";
        QCOMPARE(KlaviyoResponses::errorSummary(body),
            QStringLiteral("Authentication credentials were not provided.: Missing or invalid authorization "
                           "scheme. Please use Klaviyo-API-Key."));
        QCOMPARE(KlaviyoResponses::errorSummary("garbage"), QString());
        QCOMPARE(KlaviyoResponses::errorSummary(R"({"errors":"x"})"), QString());
    }

    void untrustedTextIsCleaned()
    {
        // A server echoing a key back, control characters and endless text.
        const QString echoed = KlaviyoResponses::sanitize(
            QStringLiteral("bad key pk_0123456789abcdef0123456789abcdWXYZ\x1b[31m\nend"));
        QVERIFY(!echoed.contains(QLatin1String("0123456789abcdef")));
        QVERIFY(echoed.contains(QStringLiteral("pk_\u2026WXYZ")));
        QVERIFY(!echoed.contains(QChar(0x1b)));
        QVERIFY(!echoed.contains(QLatin1Char('\n')));
        QVERIFY(KlaviyoResponses::sanitize(QString(5000, QLatin1Char('x'))).size() <= 301);
    }

    void throttleDetailSeconds()
    {
        const QByteArray body
            = R"({"errors":[{"id":"1","code":"throttled","title":"Request was throttled.","detail":"Request was throttled. Expected available in 7 seconds."}]})";
        QCOMPARE(KlaviyoResponses::secondsFromThrottleDetail(body), std::optional<qint64>(7));
        QCOMPARE(KlaviyoResponses::secondsFromThrottleDetail(
                     R"({"errors":[{"detail":"Expected available in 1 second."}]})"),
            std::optional<qint64>(1));
        QVERIFY(!KlaviyoResponses::secondsFromThrottleDetail(R"({"errors":[{"detail":"slow down"}]})"));
        QVERIFY(!KlaviyoResponses::secondsFromThrottleDetail("not json"));
    }

    void retryAfterHeader()
    {
        const QDateTime now(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC);
        QCOMPARE(KlaviyoResponses::retryAfterSeconds("1", now), std::optional<qint64>(1));
        QCOMPARE(KlaviyoResponses::retryAfterSeconds(" 30 ", now), std::optional<qint64>(30));
        QCOMPARE(KlaviyoResponses::retryAfterSeconds("Fri, 02 Jan 2026 03:04:15 GMT", now),
            std::optional<qint64>(10));
        QCOMPARE(KlaviyoResponses::retryAfterSeconds("Fri, 02 Jan 2026 03:00:00 GMT", now),
            std::optional<qint64>(0));
        QVERIFY(!KlaviyoResponses::retryAfterSeconds("", now));
        QVERIFY(!KlaviyoResponses::retryAfterSeconds("-5", now));
        QVERIFY(!KlaviyoResponses::retryAfterSeconds("soon", now));
    }
};

QTEST_GUILESS_MAIN(TestKlaviyoResponses)
#include "tst_klaviyoresponses.moc"
