// The sign-in flow against the independent authorization server, with the browser played by
// plain HTTP requests so that every hostile callback can be sent exactly: each must leave the
// attempt waiting for the genuine callback or end it cleanly, never connected.
#include "OAuthFixture.h"

#include <QNetworkInterface>
#include <QUrlQuery>

using namespace rbac;
using test::RawResult;

class TestOAuthFlow : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<test::OAuthFixture> f;

    QUrl withQuery(QUrl url, const QList<QPair<QString, QString>>& items)
    {
        QUrlQuery q;
        for (const auto& [k, v] : items)
            q.addQueryItem(k, QString::fromUtf8(QUrl::toPercentEncoding(v)));
        url.setQuery(q.query(QUrl::FullyEncoded), QUrl::StrictMode);
        return url;
    }
    QString param(const QUrl& url, const QString& key)
    {
        return QUrlQuery(url).queryItemValue(key, QUrl::FullyDecoded);
    }

    // Nothing stored, nothing recorded: the state a failed or unfinished attempt must leave.
    void verifyNothingStored()
    {
        QVERIFY(!f->connection().has_value());
        QVERIFY(!f->memory.contains(OAuthKeychain::accessToken(f->id())));
        QVERIFY(!f->memory.contains(OAuthKeychain::refreshToken(f->id())));
    }
    void verifyStillWaiting()
    {
        QVERIFY(!f->finished.has_value());
        QVERIFY(f->service->isConnecting());
        QCOMPARE(f->service->currentFlow()->state(), OAuthFlow::State::WaitingForBrowser);
        verifyNothingStored();
    }
    // After a hostile request: the genuine callback still connects.
    void verifyGenuineStillWorks(const QUrl& callback)
    {
        const RawResult page = f->deliver(callback);
        QVERIFY2(page.status() == 200, page.response.constData());
        QVERIFY(page.body().contains("Connected to Klaviyo"));
        QVERIFY(f->waitFinished());
        QVERIFY2(f->finished->ok(), qPrintable(f->finished->message));
        QVERIFY2(
            f->finished->warning.isEmpty(), qPrintable(f->finished->warning + f->server.log().join(',')));
        QVERIFY(f->connection().has_value());
    }
    bool refused(const QHostAddress& address = QHostAddress(QHostAddress::LocalHost))
    {
        return !test::rawRequest(address, f->port, "GET / HTTP/1.1\r\n\r\n", 2000).connected;
    }

private slots:
    void init()
    {
        f = std::make_unique<test::OAuthFixture>();
        const QString problem = f->setUp();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    void cleanup() { f.reset(); }

    void authorizationRequestCarriesEverythingKlaviyoRequires()
    {
        const QUrl url = f->startConnect();
        QVERIFY(url.toString().startsWith(f->server.authorizeUrl().toString() + QLatin1Char('?')));
        QCOMPARE(param(url, "response_type"), QStringLiteral("code"));
        QCOMPARE(param(url, "client_id"), f->server.clientId);
        QCOMPARE(param(url, "redirect_uri"), f->redirect.toString());
        QCOMPARE(param(url, "code_challenge_method"), QStringLiteral("S256"));
        QCOMPARE(param(url, "code_challenge").size(), 43);
        QCOMPARE(param(url, "state").size(), 43);
        const QStringList scopes = param(url, "scope").split(QLatin1Char(' '));
        QCOMPARE(scopes.first(), QStringLiteral("accounts:read"));
        QCOMPARE(scopes, f->service->config()->scopes);
        QVERIFY(url.toEncoded().contains("scope=accounts%3Aread%20")); // space-separated, encoded
        // Listening on loopback only, 127.0.0.1 and ::1 for a `localhost` redirect URI.
        const auto addresses = f->service->currentFlow()->listener().addresses();
        QVERIFY(addresses.contains(QHostAddress(QHostAddress::LocalHost)));
        for (const QHostAddress& a : addresses)
            QVERIFY2(a.isLoopback(), qPrintable(a.toString()));
        // Fresh state and verifier for every attempt.
        f->service->cancelConnect();
        QVERIFY(f->waitFinished());
        const QUrl second = f->startConnect();
        QVERIFY(param(second, "state") != param(url, "state"));
        QVERIFY(param(second, "code_challenge") != param(url, "code_challenge"));
    }

    void genuineCallbackConnectsAndClosesTheListener()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        QVERIFY(!callback.isEmpty());
        verifyGenuineStillWorks(callback);
        QCOMPARE(f->memory.value(OAuthKeychain::accessToken(f->id())), f->server.lastAccessToken());
        QCOMPARE(f->memory.value(OAuthKeychain::refreshToken(f->id())), f->server.lastRefreshToken());
        QVERIFY(f->connection().has_value());
        const OAuthConnection c = *f->connection();
        QCOMPARE(c.organizationName, QStringLiteral("Fake Shop Ltd"));
        QCOMPARE(c.accountId, QStringLiteral("01FAKEACCOUNT"));
        QCOMPARE(c.connectedBy, QStringLiteral("test-admin"));
        QCOMPARE(c.grantedScopes, c.requestedScopes);
        QVERIFY(c.expiresAt > QDateTime::currentDateTimeUtc().addSecs(3500));
        QVERIFY(refused());
        QVERIFY(refused(QHostAddress(QHostAddress::LocalHostIPv6)));
    }

    void callbackOverIpv6WhenTheHostIsLocalhost()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        if (!f->service->currentFlow()->listener().addresses().contains(
                QHostAddress(QHostAddress::LocalHostIPv6)))
            QSKIP("this machine has no ::1");
        const RawResult page = test::rawRequest(QHostAddress(QHostAddress::LocalHostIPv6), f->port,
            test::getRequest(callback, "GET", "[::1]:" + QByteArray::number(f->port)));
        QCOMPARE(page.status(), 200);
        QVERIFY(f->waitFinished() && f->finished->ok());
    }

    void wrongStateIsIgnored()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        RawResult r = f->deliver(
            withQuery(f->redirect, {{"code", param(callback, "code")}, {"state", QString(43, 'A')}}));
        QCOMPARE(r.status(), 400);
        // Even the right state with one character changed.
        QString near = param(callback, "state");
        near[5] = near[5] == QLatin1Char('x') ? QLatin1Char('y') : QLatin1Char('x');
        r = f->deliver(withQuery(f->redirect, {{"code", param(callback, "code")}, {"state", near}}));
        QCOMPARE(r.status(), 400);
        QVERIFY(f->ignored.contains(QStringLiteral("a callback with the wrong state")));
        QCOMPARE(f->server.requests(QStringLiteral("POST /oauth/token")), 0); // the code was not even tried
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void missingStateIsIgnored()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        QCOMPARE(f->deliver(withQuery(f->redirect, {{"code", param(callback, "code")}})).status(), 400);
        QCOMPARE(
            f->deliver(withQuery(f->redirect, {{"code", param(callback, "code")}, {"state", ""}})).status(),
            400);
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void repeatedParametersAreIgnored()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        QCOMPARE(f->deliver(withQuery(f->redirect,
                                {{"code", param(callback, "code")}, {"state", param(callback, "state")},
                                    {"state", "forged"}}))
                     .status(),
            400);
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void missingCodeEndsTheAttemptCleanly()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        const RawResult r = f->deliver(withQuery(f->redirect, {{"state", param(callback, "state")}}));
        QCOMPARE(r.status(), 400);
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->code, OAuthResult::Failed);
        QVERIFY(f->finished->message.contains(QLatin1String("neither a code nor an error")));
        verifyNothingStored();
        QVERIFY(refused());
        // The genuine callback after the end: nobody listens any more.
        QVERIFY(!f->deliver(callback).connected);
        verifyNothingStored();
    }

    void errorFromTheServerEndsTheAttemptAndIsShownEscaped()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        const RawResult r = f->deliver(withQuery(f->redirect,
            {{"error", "access_denied"}, {"error_description", "<b>No</b> thanks"},
                {"state", param(callback, "state")}}));
        QCOMPARE(r.status(), 400);
        QVERIFY(r.body().contains("access_denied: &lt;b&gt;No&lt;/b&gt; thanks"));
        QVERIFY(!r.body().contains("<b>No</b>"));
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->code, OAuthResult::Failed);
        QCOMPARE(f->finished->error, QStringLiteral("access_denied"));
        QVERIFY(f->finished->message.contains(QLatin1String("denied")));
        verifyNothingStored();
        QCOMPARE(f->server.requests(QStringLiteral("POST /oauth/token")), 0);
        const AuditEntry last = f->workspace->auditLog().latest(1)->first();
        QCOMPARE(last.action, QStringLiteral("oauth.connect"));
        QVERIFY(!last.success);
    }

    void deniedConsentThroughTheRealRedirect()
    {
        f->server.denyConsent = true;
        const QUrl callback = f->callbackFor(f->startConnect());
        QCOMPARE(param(callback, "error"), QStringLiteral("access_denied"));
        QCOMPARE(f->deliver(callback).status(), 400);
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->error, QStringLiteral("access_denied"));
        verifyNothingStored();
    }

    void forgedErrorWithoutStateIsIgnored()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        QCOMPARE(f->deliver(withQuery(f->redirect, {{"error", "access_denied"}})).status(), 400);
        QCOMPARE(
            f->deliver(withQuery(f->redirect, {{"error", "access_denied"}, {"state", "forged"}})).status(),
            400);
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void otherPathsAreNotCallbacks()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        QUrl other = callback;
        for (const char* path : {"/favicon.ico", "/", "/callback/", "/callbackx", "/CALLBACK", "/other"}) {
            other.setPath(QString::fromLatin1(path));
            QCOMPARE(f->deliver(other).status(), 404);
        }
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void onlyGetCounts()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        for (const char* method : {"POST", "HEAD", "PUT", "OPTIONS"}) {
            const RawResult r = f->deliver(callback, method);
            QCOMPARE(r.status(), 405);
            QVERIFY(r.response.contains("Allow: GET\r\n"));
        }
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void junkBytesAreRejected()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        const QList<QByteArray> junk = {
            QByteArray("\x00\x01\x02garbage\r\n\r\n", 14),
            "GET FOFOFO\r\n\r\n",
            "GET /callback?code=x&state=\xff\xfe HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "\r\n\r\n",
            "get /callback HTTP/1.1\r\n\r\n",
            "GET /callback HTTP/2\r\n\r\n",
        };
        for (const QByteArray& bytes : junk)
            QCOMPARE(test::rawRequest(QHostAddress(QHostAddress::LocalHost), f->port, bytes).status(), 400);
        // The genuine request with a Host that is not this machine (DNS rebinding).
        const RawResult rebound = test::rawRequest(QHostAddress(QHostAddress::LocalHost), f->port,
            test::getRequest(callback, "GET", "evil.example:" + QByteArray::number(f->port)));
        QCOMPARE(rebound.status(), 400);
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void requestsOver8KBAreRejected()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        // A complete request that is too large, and one that never ends its headers.
        QByteArray big = test::getRequest(callback);
        big.insert(big.indexOf("\r\n") + 2, "X-Padding: " + QByteArray(9000, 'a') + "\r\n");
        QCOMPARE(test::rawRequest(QHostAddress(QHostAddress::LocalHost), f->port, big).status(), 431);
        QCOMPARE(
            test::rawRequest(QHostAddress(QHostAddress::LocalHost), f->port, QByteArray(20000, 'G')).status(),
            431);
        verifyStillWaiting();
        verifyGenuineStillWorks(callback);
    }

    void silentConnectionsDoNotBlockTheCallback()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        f->service->currentFlow()->listener().setIdleTimeoutMs(300);
        QTcpSocket idle;
        idle.connectToHost(QHostAddress(QHostAddress::LocalHost), f->port);
        QVERIFY(idle.waitForConnected(2000));
        QTRY_COMPARE_WITH_TIMEOUT(idle.state(), QAbstractSocket::UnconnectedState, 3000);
        QVERIFY(f->ignored.contains(QStringLiteral("an incomplete request timed out")));
        verifyGenuineStillWorks(callback);
    }

    void secondCallbackAfterSuccessFindsNobody()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        verifyGenuineStillWorks(callback);
        const QByteArray access = f->memory.value(OAuthKeychain::accessToken(f->id()));
        QVERIFY(!f->deliver(callback).connected);
        QVERIFY(
            !test::rawRequest(QHostAddress(QHostAddress::LocalHostIPv6), f->port, test::getRequest(callback))
                 .connected);
        QCOMPARE(f->server.requests(QStringLiteral("POST /oauth/token")), 1);
        QCOMPARE(f->memory.value(OAuthKeychain::accessToken(f->id())), access);
    }

    void replayedCodeIsRefusedAndNothingConnects()
    {
        QVERIFY(f->connect());
        const QByteArray usedCode = f->server.lastCode();
        const OAuthResult gone
            = f->run([&](auto done) { f->service->disconnectAccount(false, f->service.get(), done); });
        QVERIFY2(gone.ok(), qPrintable(gone.message));
        verifyNothingStored();
        // A new attempt receives the old code with the new (genuine) state.
        const QUrl fresh = f->callbackFor(f->startConnect());
        const RawResult r = f->deliver(withQuery(
            f->redirect, {{"code", QString::fromLatin1(usedCode)}, {"state", param(fresh, "state")}}));
        QCOMPARE(r.status(), 400);
        QVERIFY(r.body().contains("code already used"));
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->code, OAuthResult::Failed);
        QCOMPARE(f->finished->error, QStringLiteral("invalid_grant"));
        QVERIFY2(f->finished->message.contains(QLatin1String("invalid_grant: code already used")),
            qPrintable(f->finished->message));
        verifyNothingStored();
    }

    void portTakenIsAnEnvironmentError()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress(QHostAddress::LocalHost), f->port));
        QVERIFY(f->startConnect().isEmpty());
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->code, OAuthResult::Environment);
        QVERIFY2(f->finished->message.contains(QStringLiteral("port %1").arg(f->port)),
            qPrintable(f->finished->message));
        QVERIFY(f->finished->message.contains(QLatin1String("already in use")));
        QVERIFY(!f->service->isConnecting());
    }

    void listenerIsNotReachableFromTheNetwork()
    {
        QVERIFY(!f->startConnect().isEmpty());
        QList<QHostAddress> outside;
        for (const QHostAddress& a : QNetworkInterface::allAddresses()) {
            if (!a.isLoopback())
                outside << a;
        }
        if (outside.isEmpty())
            QSKIP("this machine has no non-loopback address to try the listener from");
        for (const QHostAddress& a : std::as_const(outside)) {
            const RawResult r = test::rawRequest(a, f->port, "GET /callback HTTP/1.1\r\n\r\n", 2000);
            QVERIFY2(!r.connected,
                qPrintable(QStringLiteral("reachable on %1:%2").arg(a.toString()).arg(f->port)));
        }
        qInfo("tried %d non-loopback address(es)", int(outside.size()));
        // The listener itself is fine: loopback still answers.
        QCOMPARE(f->deliver(f->redirect).status(), 400);
    }

    void browserTimeoutEndsTheAttempt()
    {
        f->service->setBrowserTimeoutMs(300);
        QVERIFY(!f->startConnect().isEmpty());
        QVERIFY(f->waitFinished(3000));
        QCOMPARE(f->finished->code, OAuthResult::Failed);
        QCOMPARE(f->finished->error, QStringLiteral("timeout"));
        QVERIFY(refused());
        verifyNothingStored();
    }

    void cancelEndsTheAttempt()
    {
        const QUrl callback = f->callbackFor(f->startConnect());
        f->service->cancelConnect();
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->error, QStringLiteral("cancelled"));
        QVERIFY(refused());
        QVERIFY(!f->deliver(callback).connected);
        verifyNothingStored();
    }

    void codeExchangeTimeoutFailsCleanly()
    {
        f->service->setRequestTimeoutMs(300);
        f->server.hangTokenEndpoint = true;
        const QUrl callback = f->callbackFor(f->startConnect());
        const RawResult page = f->deliver(callback);
        QCOMPARE(page.status(), 400);
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->code, OAuthResult::Environment);
        QVERIFY2(f->finished->message.contains(QLatin1String("did not answer in time")),
            qPrintable(f->finished->message));
        verifyNothingStored();
    }

    void missingSettingsFailBeforeListening()
    {
        QVERIFY(f->workspace->setSetting(OAuthConfig::clientIdKey(), QString()));
        QVERIFY(f->startConnect().isEmpty());
        QCOMPARE(f->finished->code, OAuthResult::InvalidInput);
        QVERIFY(refused());
        // A client id but no secret in the keychain.
        QVERIFY(f->workspace->setSetting(OAuthConfig::clientIdKey(), f->server.clientId));
        QVERIFY(f->run([&](auto done) {
                     f->memory.remove(OAuthKeychain::clientSecret(f->id()), f->service.get(),
                         [done](SecretResult) { done(OAuthResult::success()); });
                 }).ok());
        QVERIFY(f->startConnect().isEmpty());
        QVERIFY(f->waitFinished());
        QCOMPARE(f->finished->code, OAuthResult::InvalidInput);
        QVERIFY(f->finished->message.contains(QLatin1String("client secret")));
    }
};

QTEST_GUILESS_MAIN(TestOAuthFlow)
#include "tst_oauthflow.moc"
