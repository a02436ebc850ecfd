#pragma once

// One workspace, one fake authorization server and one OAuthService wired to each other, with the
// listener on a free loopback port. Endpoints reach the service the documented way: through
// KLAVIYO_OAUTH_*_URL and KLAVIYO_API_BASE_URL.
#include "FakeAuthServer.h"
#include "keychain/MemorySecretStore.h"
#include "OAuthTestSupport.h"
#include "workspace/Workspace.h"
#include "oauth/OAuthService.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

namespace rbac::test {

class OAuthFixture
{
public:
    QTemporaryDir dir;
    FakeAuthServer server;
    MemorySecretStore memory;
    SecretStore* store = &memory;
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<OAuthService> service;
    quint16 port = 0;
    QUrl redirect;
    std::optional<OAuthResult> finished; // the last connectFinished
    QUrl authorizationUrl;
    QStringList ignored; // requestIgnored reasons

    // Returns an empty string on success, else what went wrong.
    // `configure` false: the app settings and secret are left for the test to enter (page, CLI).
    QString setUp(SecretStore* secretStore = nullptr,
        const QString& host = QStringLiteral("localhost"),
        bool configure = true)
    {
        if (secretStore)
            store = secretStore;
        if (!dir.isValid() || !server.listen())
            return QStringLiteral("no temp dir or server");
        port = freeLoopbackPort();
        redirect = QUrl(QStringLiteral("http://%1:%2/callback").arg(host).arg(port));
        server.redirectUri = redirect.toString();
        qputenv("KLAVIYO_OAUTH_AUTHORIZE_URL", server.authorizeUrl().toEncoded());
        qputenv("KLAVIYO_OAUTH_TOKEN_URL", server.tokenUrl().toEncoded());
        qputenv("KLAVIYO_OAUTH_REVOKE_URL", server.revokeUrl().toEncoded());
        qputenv("KLAVIYO_API_BASE_URL", server.apiBaseUrl().toEncoded());
        auto opened = Workspace::open(dir.filePath(QStringLiteral("workspace.sqlite")));
        if (!opened)
            return opened.status().message();
        workspace = std::move(opened.value());
        workspace->setActor(QStringLiteral("test-admin"));
        service = std::make_unique<OAuthService>(workspace.get(), store);
        QObject::connect(service.get(), &OAuthService::connectFinished, service.get(),
            [this](const OAuthResult& r) { finished = r; });
        QObject::connect(service.get(), &OAuthService::authorizationUrlReady, service.get(),
            [this](const QUrl& url) { authorizationUrl = url; });
        QObject::connect(service.get(), &OAuthService::requestIgnored, service.get(),
            [this](const QString& reason) { ignored << reason; });
        if (!configure)
            return {};
        if (Status s = service->saveSettings(server.clientId, redirect.toString(), {}); !s)
            return s.message();
        const OAuthResult stored = storeSecret(server.clientSecret);
        return stored.ok() ? QString() : stored.message;
    }

    OAuthResult storeSecret(const QByteArray& secret)
    {
        return run([&](auto done) { service->storeClientSecret(secret, service.get(), done); });
    }

    // Starts a sign-in and returns the authorization URL (empty when it did not start).
    QUrl startConnect()
    {
        finished.reset();
        authorizationUrl.clear();
        ignored.clear();
        service->connectAccount();
        for (int i = 0; i < 500 && authorizationUrl.isEmpty() && !finished; ++i)
            QTest::qWait(10);
        return authorizationUrl;
    }

    // What a browser does with the authorization URL: the fake server's redirect target.
    QUrl callbackFor(const QUrl& authorization)
    {
        const auto [status, location] = getNoRedirect(authorization);
        return status == 302 ? location : QUrl();
    }

    RawResult deliver(const QUrl& callback,
        const QByteArray& method = "GET",
        const QHostAddress& address = QHostAddress(QHostAddress::LocalHost))
    {
        return rawRequest(address, port, getRequest(callback, method));
    }

    bool waitFinished(int timeoutMs = 10000)
    {
        for (int waited = 0; waited < timeoutMs && !finished; waited += 10)
            QTest::qWait(10);
        return finished.has_value();
    }

    // The whole genuine flow; true when connected.
    bool connect()
    {
        const QUrl callback = callbackFor(startConnect());
        if (callback.isEmpty())
            return false;
        const RawResult page = deliver(callback);
        return waitFinished() && finished->ok() && page.status() == 200;
    }

    std::optional<OAuthConnection> connection() const
    {
        auto c = service->connection();
        return c ? *c : std::nullopt;
    }

    QByteArray secretIn(const QString& entry) const { return memory.value(entry); }
    QString id() const { return workspace->id(); }

    template<typename F> OAuthResult run(F&& start, int timeoutMs = 10000)
    {
        std::optional<OAuthResult> result;
        start([&](const OAuthResult& r) { result = r; });
        for (int waited = 0; waited < timeoutMs && !result; waited += 10)
            QTest::qWait(10);
        return result ? *result
                      : OAuthResult::failure(OAuthResult::Environment, QStringLiteral("test: no answer"));
    }
};

} // namespace rbac::test
