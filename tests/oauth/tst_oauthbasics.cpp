// The pieces without a browser: PKCE values, settings validation, the callback page, the token
// client's error reporting and timeouts.
#include "FakeAuthServer.h"
#include "OAuthTestSupport.h"
#include "policy/PolicyEngine.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"
#include "oauth/CallbackPage.h"
#include "oauth/OAuthConfig.h"
#include "oauth/Pkce.h"
#include "oauth/TokenClient.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestOAuthBasics : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    std::unique_ptr<Workspace> workspace()
    {
        auto opened = Workspace::open(m_dir.filePath(QStringLiteral("ws%1.sqlite").arg(++m_counter)));
        return opened ? std::move(opened.value()) : nullptr;
    }

    TokenReply waitToken(const std::function<void(TokenClient::TokenCallback)>& start)
    {
        std::optional<TokenReply> reply;
        start([&](TokenReply r) { reply = std::move(r); });
        for (int waited = 0; waited < 10000 && !reply; waited += 10)
            QTest::qWait(10);
        if (!reply) {
            TokenReply none;
            none.message = QStringLiteral("test: no token reply");
            return none;
        }
        return *reply;
    }

private slots:
    void init()
    {
        for (const char* v : {"KLAVIYO_OAUTH_AUTHORIZE_URL", "KLAVIYO_OAUTH_TOKEN_URL",
                 "KLAVIYO_OAUTH_REVOKE_URL", "KLAVIYO_API_BASE_URL"})
            qunsetenv(v);
    }

    void verifierAndStateComeFromTheCsprngInTheRightShape()
    {
        const QRegularExpression unreserved(QStringLiteral("^[A-Za-z0-9_-]+$"));
        QSet<QByteArray> seen;
        for (int i = 0; i < 50; ++i) {
            const QByteArray verifier = Pkce::makeVerifier();
            const QByteArray state = Pkce::makeState();
            QCOMPARE(verifier.size(), 86); // 64 random bytes
            QVERIFY(verifier.size() >= 43 && verifier.size() <= 128);
            QVERIFY(Pkce::isValidVerifier(verifier));
            QCOMPARE(state.size(), 43); // 32 random bytes
            QVERIFY(unreserved.match(QString::fromLatin1(state)).hasMatch());
            QVERIFY(!seen.contains(verifier) && !seen.contains(state));
            seen << verifier << state;
        }
    }

    void challengeIsS256AsInRfc7636AppendixB()
    {
        QCOMPARE(Pkce::challengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            QByteArray("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        QVERIFY(!Pkce::isValidVerifier("short"));
        QVERIFY(!Pkce::isValidVerifier(QByteArray(43, 'a') + '+'));
        QVERIFY(!Pkce::isValidVerifier(QByteArray(129, 'a')));
    }

    void stateComparisonIsExact()
    {
        QVERIFY(Pkce::constantTimeEquals("abcdef", "abcdef"));
        QVERIFY(!Pkce::constantTimeEquals("abcdef", "abcdeg"));
        QVERIFY(!Pkce::constantTimeEquals("abcdef", "abcde"));
        QVERIFY(!Pkce::constantTimeEquals("", "a"));
    }

    void redirectUriRules_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("valid");
        QTest::newRow("default") << OAuthConfig::defaultRedirectUri() << true;
        QTest::newRow("ip literal") << "http://127.0.0.1:5000/auth/callback" << true;
        QTest::newRow("https") << "https://localhost:28761/callback" << false;
        QTest::newRow("other host") << "http://example.com:28761/callback" << false;
        QTest::newRow("all interfaces") << "http://0.0.0.0:28761/callback" << false;
        QTest::newRow("ipv6 literal") << "http://[::1]:28761/callback" << false;
        QTest::newRow("no port") << "http://localhost/callback" << false;
        QTest::newRow("no path") << "http://localhost:28761" << false;
        QTest::newRow("root path") << "http://localhost:28761/" << false;
        QTest::newRow("query") << "http://localhost:28761/callback?x=1" << false;
        QTest::newRow("fragment") << "http://localhost:28761/callback#x" << false;
        QTest::newRow("user") << "http://u@localhost:28761/callback" << false;
        QTest::newRow("garbage") << "not a url" << false;
    }

    void redirectUriRules()
    {
        QFETCH(QString, uri);
        QFETCH(bool, valid);
        QCOMPARE(OAuthConfig::checkRedirectUri(uri).isOk(), valid);
    }

    void defaultsAreDocumented()
    {
        QCOMPARE(OAuthConfig::defaultRedirectUri(), QStringLiteral("http://localhost:28761/callback"));
        auto ws = workspace();
        QVERIFY(ws);
        Expected<OAuthConfig> config = OAuthConfig::fromWorkspace(*ws);
        QVERIFY2(config, qPrintable(config.status().message()));
        QCOMPARE(config->authorizeUrl, QUrl(QStringLiteral("https://www.klaviyo.com/oauth/authorize")));
        QCOMPARE(config->tokenUrl, QUrl(QStringLiteral("https://a.klaviyo.com/oauth/token")));
        QCOMPARE(config->revokeUrl, QUrl(QStringLiteral("https://a.klaviyo.com/oauth/revoke")));
        QCOMPARE(config->apiBaseUrl, QUrl(QStringLiteral("https://a.klaviyo.com")));
        QCOMPARE(config->browserTimeoutMs, 5 * 60 * 1000);
        QVERIFY(config->clientId.isEmpty());
        QVERIFY(!config->requireClient());
    }

    void defaultScopesAreAccountsReadAndTheRolesUnion()
    {
        auto ws = workspace();
        QVERIFY(ws);
        QStringList expected;
        for (const Role& role : ws->policy().roles)
            expected += PolicyEngine::requiredScopeNames(ws->policy(), role, ScopeCatalog::builtin());
        expected.removeDuplicates();
        const QStringList scopes = OAuthConfig::fromWorkspace(*ws)->scopes;
        QCOMPARE(scopes.first(), QStringLiteral("accounts:read"));
        QCOMPARE(
            QSet<QString>(scopes.begin(), scopes.end()), QSet<QString>(expected.begin(), expected.end()));
        QVERIFY(scopes.size() > 3);
        // Editable: an explicit list replaces the default, accounts:read stays.
        QVERIFY(ws->setSetting(OAuthConfig::scopesKey(), QStringLiteral("lists:read")));
        QCOMPARE(OAuthConfig::fromWorkspace(*ws)->scopes, QStringList({"accounts:read", "lists:read"}));
        QVERIFY(ws->setSetting(OAuthConfig::scopesKey(), QStringLiteral("lists:read flying:write")));
        QVERIFY(!OAuthConfig::fromWorkspace(*ws));
    }

    void endpointsFollowEnvironmentThenSettings()
    {
        auto ws = workspace();
        QVERIFY(ws);
        QVERIFY(
            ws->setSetting(OAuthConfig::tokenUrlKey(), QStringLiteral("http://127.0.0.1:1/setting-token")));
        QCOMPARE(OAuthConfig::fromWorkspace(*ws)->tokenUrl,
            QUrl(QStringLiteral("http://127.0.0.1:1/setting-token")));
        qputenv("KLAVIYO_OAUTH_TOKEN_URL", "http://127.0.0.1:2/env-token");
        qputenv("KLAVIYO_OAUTH_AUTHORIZE_URL", "http://localhost:3/env-authorize");
        qputenv("KLAVIYO_OAUTH_REVOKE_URL", "http://127.0.0.1:4/env-revoke");
        qputenv("KLAVIYO_API_BASE_URL", "http://127.0.0.1:5");
        Expected<OAuthConfig> config = OAuthConfig::fromWorkspace(*ws);
        QVERIFY(config);
        QCOMPARE(config->tokenUrl, QUrl(QStringLiteral("http://127.0.0.1:2/env-token")));
        QCOMPARE(config->authorizeUrl, QUrl(QStringLiteral("http://localhost:3/env-authorize")));
        QCOMPARE(config->revokeUrl, QUrl(QStringLiteral("http://127.0.0.1:4/env-revoke")));
        QCOMPARE(config->apiBaseUrl, QUrl(QStringLiteral("http://127.0.0.1:5")));
        // Secrets never travel in clear text to another machine.
        qputenv("KLAVIYO_OAUTH_TOKEN_URL", "http://token.example.com/oauth/token");
        Expected<OAuthConfig> bad = OAuthConfig::fromWorkspace(*ws);
        QVERIFY(!bad);
        QVERIFY(bad.status().message().contains(QLatin1String("KLAVIYO_OAUTH_TOKEN_URL")));
    }

    void clientIdRules()
    {
        QVERIFY(OAuthConfig::checkClientId(QStringLiteral("abc-123_XYZ")));
        QVERIFY(!OAuthConfig::checkClientId(QString()));
        QVERIFY(!OAuthConfig::checkClientId(QStringLiteral("has space")));
        QVERIFY(!OAuthConfig::checkClientId(QStringLiteral("has:colon")));
    }

    void callbackPageEscapesWhatTheServerSaid()
    {
        const QByteArray page = CallbackPage::html(
            false, QStringLiteral("Not connected"), QStringLiteral("<script>alert(1)</script> & \"x\""));
        QVERIFY(!page.contains("<script>"));
        QVERIFY(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        const QByteArray response = CallbackPage::response(400, page);
        QVERIFY(response.startsWith("HTTP/1.1 400 Bad Request\r\n"));
        QVERIFY(response.contains("Content-Type: text/html; charset=utf-8\r\n"));
        QVERIFY(response.contains("Connection: close\r\n"));
        QVERIFY(response.contains("Content-Length: " + QByteArray::number(page.size()) + "\r\n"));
        QVERIFY(response.contains("Referrer-Policy: no-referrer\r\n"));
    }

    void tokenEndpointErrorsAreReportedWithTheirDescription()
    {
        test::FakeAuthServer server;
        QVERIFY(server.listen());
        TokenClient client(5000);
        // Wrong secret: invalid_client with its description.
        TokenReply r = waitToken([&](auto done) {
            client.refresh(server.tokenUrl(), {server.clientId, "wrong-secret-value"}, "rt-whatever-token",
                &client, done);
        });
        QCOMPARE(r.outcome, TokenReply::OAuthError);
        QCOMPARE(r.error, QStringLiteral("invalid_client"));
        QCOMPARE(r.message, QStringLiteral("invalid_client: Client authentication failed"));
        QCOMPARE(r.httpStatus, 401);
        // Right client, unknown refresh token: invalid_grant.
        r = waitToken([&](auto done) {
            client.refresh(
                server.tokenUrl(), {server.clientId, server.clientSecret}, "rt-unknown-token", &client, done);
        });
        QCOMPARE(r.error, QStringLiteral("invalid_grant"));
        QVERIFY(r.message.contains(QLatin1String("refresh token is invalid")));
        QVERIFY(r.tokens.accessToken.isEmpty());
        // A secret echoed back by a server is taken out of the message.
        r = waitToken([&](auto done) {
            client.exchangeCode(server.tokenUrl(), {server.clientId, server.clientSecret},
                "code-not-issued-1234", Pkce::makeVerifier(), QUrl(server.redirectUri), &client, done);
        });
        QCOMPARE(r.error, QStringLiteral("invalid_grant"));
        QVERIFY2(r.message.startsWith(QLatin1String("invalid_grant: unknown code ")), qPrintable(r.message));
        QVERIFY2(!r.message.contains(QLatin1String("code-not-issued-1234")), qPrintable(r.message));
    }

    void tokenRequestsTimeOutAndNeverFollowRedirects()
    {
        test::FakeAuthServer server;
        QVERIFY(server.listen());
        server.hangTokenEndpoint = true;
        TokenClient client(300);
        QElapsedTimer timer;
        timer.start();
        TokenReply r = waitToken([&](auto done) {
            client.refresh(
                server.tokenUrl(), {server.clientId, server.clientSecret}, "rt-x-token-value", &client, done);
        });
        QCOMPARE(r.outcome, TokenReply::Failed);
        QVERIFY2(r.message.contains(QLatin1String("did not answer in time")), qPrintable(r.message));
        QVERIFY(timer.elapsed() < 3000);

        // A redirect is reported, not followed: the form and the Basic header stay where they were sent.
        server.hangTokenEndpoint = false;
        r = waitToken([&](auto done) {
            client.refresh(server.url(QStringLiteral("/redirect")), {server.clientId, server.clientSecret},
                "rt-x-token-value", &client, done);
        });
        QCOMPARE(r.outcome, TokenReply::Failed);
        QVERIFY2(r.message.contains(QLatin1String("redirect")), qPrintable(r.message));
        QCOMPARE(server.requests(QStringLiteral("POST /oauth/token")), 1); // only the hung one
    }
};

QTEST_GUILESS_MAIN(TestOAuthBasics)
#include "tst_oauthbasics.moc"
