// After sign-in: refresh (rotation, before expiry, on 401), invalid_grant, revoke, timeouts,
// fewer scopes than requested, and the audit trail never holding a secret.
#include "MockClock.h"
#include "OAuthFixture.h"

#include <QElapsedTimer>
#include <QSqlQuery>

using namespace rbac;

class TestOAuthSession : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::OAuthFixture> f;

    QByteArray keychain(const QString& entry) { return f->memory.value(entry); }
    QByteArray access() { return keychain(OAuthKeychain::accessToken(f->id())); }
    QByteArray refreshToken() { return keychain(OAuthKeychain::refreshToken(f->id())); }
    int tokenRequests() { return f->server.requests(QStringLiteral("POST /oauth/token")); }
    int accountRequests() { return f->server.requests(QStringLiteral("GET /api/accounts")); }

    OAuthResult refresh()
    {
        return f->run([&](auto done) { f->service->refresh(f->service.get(), done); });
    }
    OAuthResult checkAccount()
    {
        return f->run([&](auto done) { f->service->checkAccount(f->service.get(), done); });
    }
    OAuthResult disconnect(bool force = false)
    {
        return f->run([&](auto done) { f->service->disconnectAccount(force, f->service.get(), done); });
    }
    QPair<OAuthResult, QByteArray> accessToken()
    {
        QByteArray token;
        const OAuthResult r = f->run([&](auto done) {
            f->service->session().accessToken(
                f->service.get(), [&token, done](const OAuthResult& result, QByteArray t) {
                    token = t;
                    done(result);
                });
        });
        return {r, token};
    }

private slots:
    void init()
    {
        f = std::make_unique<test::OAuthFixture>();
        const QString problem = f->setUp();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(f->connect());
    }
    void cleanup() { f.reset(); }

    void refreshStoresTheRotatedRefreshToken()
    {
        const QByteArray oldRefresh = refreshToken();
        const QByteArray oldAccess = access();
        const OAuthResult r = refresh();
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(tokenRequests(), 2);
        QVERIFY(refreshToken() != oldRefresh);
        QCOMPARE(refreshToken(), f->server.lastRefreshToken());
        QVERIFY(!f->server.refreshTokenValid(oldRefresh)); // the old one died with the rotation
        QVERIFY(access() != oldAccess);
        QCOMPARE(access(), f->server.lastAccessToken());
        QVERIFY(f->connection()->refreshedAt.isValid());
        // And again: each refresh uses the newest refresh token.
        QVERIFY(refresh().ok());
        QCOMPARE(refreshToken(), f->server.lastRefreshToken());
        const AuditEntry last = f->workspace->auditLog().latest(1)->first();
        QCOMPARE(last.action, QStringLiteral("oauth.refresh"));
        QVERIFY(last.details.contains(QLatin1String("\"refreshTokenRotated\":true")));
    }

    void refreshWithoutRotationKeepsTheRefreshToken()
    {
        f->server.rotateRefreshTokens = false;
        const QByteArray oldRefresh = refreshToken();
        QVERIFY(refresh().ok());
        QCOMPARE(refreshToken(), oldRefresh);
        QVERIFY(f->server.refreshTokenValid(oldRefresh));
        QCOMPARE(access(), f->server.lastAccessToken());
    }

    void concurrentRefreshesShareOneRequest()
    {
        int answers = 0;
        f->service->refresh(f->service.get(), [&](const OAuthResult& r) { answers += r.ok(); });
        f->service->refresh(f->service.get(), [&](const OAuthResult& r) { answers += r.ok(); });
        QTRY_COMPARE(answers, 2);
        QCOMPARE(tokenRequests(), 2); // the exchange and one refresh
    }

    void accessTokenIsRefreshedShortlyBeforeExpiry()
    {
        test::MockClock clock(QDateTime::currentDateTimeUtc());
        // Fresh: no refresh.
        auto [ok, token] = accessToken();
        QVERIFY(ok.ok());
        QCOMPARE(token, f->server.lastAccessToken());
        QCOMPARE(tokenRequests(), 1);
        // Within the lead time before expiry: refreshed first.
        clock.advanceMs((3600 - OAuthConfig::refreshLeadSeconds + 5) * 1000LL);
        auto [ok2, token2] = accessToken();
        QVERIFY2(ok2.ok(), qPrintable(ok2.message));
        QCOMPARE(tokenRequests(), 2);
        QVERIFY(token2 != token);
        QCOMPARE(token2, f->server.lastAccessToken());
        // The new expiry counts from now: no further refresh.
        auto [ok3, token3] = accessToken();
        QVERIFY(ok3.ok());
        QCOMPARE(tokenRequests(), 2);
        QCOMPARE(token3, token2);
    }

    void unauthorizedCallRefreshesOnceAndRetries()
    {
        QVERIFY(checkAccount().ok());
        QCOMPARE(accountRequests(), 2); // connect + check
        f->server.killAccessTokens();   // revoked early, clock skew …
        const OAuthResult r = checkAccount();
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(accountRequests(), 4); // 401, then the retry
        QCOMPARE(tokenRequests(), 2);   // one refresh
        QCOMPARE(access(), f->server.lastAccessToken());
        // Still 401 after the refresh: reported, not retried forever.
        f->server.killAccessTokens();
        f->server.rotateRefreshTokens = false;
        QTimer killer;
        QObject::connect(&killer, &QTimer::timeout, &f->server, [this] { f->server.killAccessTokens(); });
        killer.start(1);
        const OAuthResult again = checkAccount();
        killer.stop();
        QVERIFY(!again.ok());
        QVERIFY(accountRequests() <= 6);
    }

    void invalidGrantMeansReconnectAndNoLoop()
    {
        f->server.refuseRefresh = true;
        const OAuthResult r = refresh();
        QCOMPARE(r.code, OAuthResult::Failed);
        QCOMPARE(r.error, QStringLiteral("reconnect_required"));
        QVERIFY2(r.message.startsWith(QStringLiteral("disconnected — reconnect")), qPrintable(r.message));
        QVERIFY(r.message.contains(QLatin1String("invalid_grant")));
        const OAuthConnection c = *f->connection();
        QCOMPARE(c.state, OAuthConnection::State::ReconnectRequired);
        QVERIFY(!c.problem.isEmpty());
        QVERIFY(!f->memory.contains(OAuthKeychain::accessToken(f->id())));
        QVERIFY(!f->memory.contains(OAuthKeychain::refreshToken(f->id())));
        // Later calls fail at once, without a request.
        const int before = tokenRequests() + accountRequests();
        QCOMPARE(refresh().error, QStringLiteral("reconnect_required"));
        QCOMPARE(checkAccount().error, QStringLiteral("reconnect_required"));
        QCOMPARE(accessToken().first.error, QStringLiteral("reconnect_required"));
        QCOMPARE(tokenRequests() + accountRequests(), before);
        // Connecting again clears it.
        f->server.refuseRefresh = false;
        QVERIFY(f->connect());
        QCOMPARE(f->connection()->state, OAuthConnection::State::Connected);
        QVERIFY(f->connection()->problem.isEmpty());
    }

    void otherRefreshFailuresKeepTheConnection()
    {
        // Wrong client secret: invalid_client with its description, tokens kept.
        QVERIFY(f->storeSecret("not-the-right-secret").ok());
        OAuthResult r = refresh();
        QCOMPARE(r.code, OAuthResult::Failed);
        QCOMPARE(r.error, QStringLiteral("invalid_client"));
        QVERIFY(r.message.contains(QLatin1String("Client authentication failed")));
        QCOMPARE(f->connection()->state, OAuthConnection::State::Connected);
        QVERIFY(!refreshToken().isEmpty());
        // Token endpoint hangs: a timeout, an environment problem, tokens kept.
        QVERIFY(f->storeSecret(f->server.clientSecret).ok());
        f->service->setRequestTimeoutMs(300);
        f->server.hangTokenEndpoint = true;
        QElapsedTimer timer;
        timer.start();
        r = refresh();
        QCOMPARE(r.code, OAuthResult::Environment);
        QVERIFY2(r.message.contains(QLatin1String("did not answer in time")), qPrintable(r.message));
        QVERIFY(timer.elapsed() < 3000);
        QCOMPARE(f->connection()->state, OAuthConnection::State::Connected);
        QVERIFY(f->server.refreshTokenValid(refreshToken()));
    }

    void disconnectRevokesThenDeletes()
    {
        const QByteArray revoked = refreshToken();
        const OAuthResult r = disconnect();
        QVERIFY2(r.ok(), qPrintable(r.message));
        QVERIFY(r.warning.isEmpty());
        QCOMPARE(f->server.requests(QStringLiteral("POST /oauth/revoke")), 1);
        QVERIFY(!f->server.refreshTokenValid(revoked));
        QVERIFY(!f->memory.contains(OAuthKeychain::accessToken(f->id())));
        QVERIFY(!f->memory.contains(OAuthKeychain::refreshToken(f->id())));
        QVERIFY(!f->connection().has_value());
        QVERIFY(f->memory.contains(OAuthKeychain::clientSecret(f->id()))); // the app stays configured
        const AuditEntry last = f->workspace->auditLog().latest(1)->first();
        QCOMPARE(last.action, QStringLiteral("oauth.disconnect"));
        QVERIFY(last.details.contains(QLatin1String("\"revoked\":true")));
        QCOMPARE(refresh().error, QStringLiteral("not_connected"));
    }

    void failedRevokeKeepsTokensUnlessForced()
    {
        f->server.failRevoke = true;
        OAuthResult r = disconnect();
        QCOMPARE(r.code, OAuthResult::Environment);
        QVERIFY(r.message.contains(QLatin1String("--force")));
        QVERIFY(f->connection().has_value());
        QVERIFY(!refreshToken().isEmpty());
        r = disconnect(true);
        QVERIFY(r.ok());
        QVERIFY(!r.warning.isEmpty());
        QVERIFY(!f->connection().has_value());
        QVERIFY(refreshToken().isEmpty());
    }

    void fewerScopesThanRequestedIsAWarning()
    {
        QVERIFY(disconnect().ok());
        const QStringList requested = f->service->config()->scopes;
        QVERIFY(requested.size() > 2);
        f->server.withheldScopes = {requested.at(1)};
        QVERIFY(f->connect());
        QVERIFY2(
            f->finished->warning.contains(QLatin1String("fewer scopes")), qPrintable(f->finished->warning));
        QVERIFY(f->finished->warning.contains(requested.at(1)));
        QCOMPARE(f->connection()->missingScopes(), QStringList {requested.at(1)});
        QVERIFY(refresh().warning.contains(requested.at(1)));
    }

    void expiryAndFactsAreInTheWorkspaceTokensAreNot()
    {
        QVERIFY(refresh().ok());
        QVERIFY(disconnect().ok());
        QVERIFY(f->connect());
        const QList<QByteArray> secrets = f->server.secrets();
        QVERIFY(secrets.size() >= 8);
        QSqlQuery q(f->workspace->database());
        QVERIFY(
            q.exec(QStringLiteral("SELECT details FROM audit_log UNION ALL SELECT value FROM settings "
                                  "UNION ALL SELECT state || client_id || requested_scopes || granted_scopes "
                                  "|| coalesce(expires_at, '') FROM oauth_connection")));
        int rows = 0;
        while (q.next()) {
            ++rows;
            const QByteArray text = q.value(0).toString().toUtf8();
            for (const QByteArray& secret : secrets)
                QVERIFY2(secret.size() < 8 || !text.contains(secret), text.constData());
        }
        QVERIFY(rows > 5);
        QVERIFY(f->connection()->expiresAt.isValid());
    }
};

QTEST_GUILESS_MAIN(TestOAuthSession)
#include "tst_oauthsession.moc"
