// oauth client set / connect / status / refresh / disconnect: the Klaviyo OAuth connection.
#include "CliContext.h"
#include "Command.h"
#include "EventWait.h"
#include "keychain/QtKeychainStore.h"
#include "keychain/SecretBytes.h"
#include "SecretInput.h"
#include "oauth/LoopbackListener.h"
#include "oauth/OAuthService.h"
#include "oauth/SystemBrowser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace rbac::cli {

namespace {

// Every step has its own timeout (keychain 20 s, requests 30 s); this only guards against a
// callback never coming.
constexpr int stepWaitMs = 4 * QtKeychainStore::defaultTimeoutMs + 2 * OAuthConfig::defaultRequestTimeoutMs;

int exitFor(const OAuthResult& r)
{
    switch (r.code) {
    case OAuthResult::Ok:
        return ExitOk;
    case OAuthResult::Failed:
        return ExitDenied;
    case OAuthResult::InvalidInput:
        return ExitUsage;
    case OAuthResult::Environment:
        return ExitEnvironment;
    }
    return ExitEnvironment;
}

int report(CliContext& ctx, const OAuthResult& r)
{
    if (!r.ok())
        ctx.err << "klaviyo-rbac: error: " << r.message << Qt::endl;
    else if (!r.warning.isEmpty())
        ctx.err << "klaviyo-rbac: warning: " << r.warning << Qt::endl;
    return exitFor(r);
}

int timedOut(CliContext& ctx, const QString& what)
{
    return ctx.fail(
        Status::error(ErrorKind::Environment, QStringLiteral("%1 did not finish in time").arg(what)));
}

QString timeText(const QDateTime& time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"))
                          : QStringLiteral("-");
}

struct Session
{
    explicit Session(Workspace* ws)
        : service(ws, &store)
    {
    }
    QtKeychainStore store;
    OAuthService service;
};

int setClient(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    if (parser.isSet(QStringLiteral("scopes")) && parser.isSet(QStringLiteral("role-scopes")))
        return ctx.usage(QStringLiteral("oauth client set: --scopes and --role-scopes exclude each other"));
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const QString clientId = parser.isSet(QStringLiteral("client-id"))
        ? parser.value(QStringLiteral("client-id"))
        : ws->setting(OAuthConfig::clientIdKey());
    if (clientId.isEmpty())
        return ctx.usage(QStringLiteral("oauth client set: --client-id ID is required the first time"));
    const QString redirect = parser.isSet(QStringLiteral("redirect-uri"))
        ? parser.value(QStringLiteral("redirect-uri"))
        : ws->setting(OAuthConfig::redirectUriKey(), OAuthConfig::defaultRedirectUri());
    QString scopes = ws->setting(OAuthConfig::scopesKey());
    if (parser.isSet(QStringLiteral("scopes")))
        scopes = parser.value(QStringLiteral("scopes"));
    if (parser.isSet(QStringLiteral("role-scopes")))
        scopes.clear();

    Session session(ws);
    QByteArray secret
        = readSecretFromStdin(ctx, QStringLiteral("Paste the OAuth app's client secret and press Enter: "));
    WipeOnExit wipeSecret(secret);
    // Everything is checked before anything is stored.
    if (Status s = OAuthConfig::checkClientId(clientId.trimmed()); !s)
        return ctx.fail(s);
    if (Expected<QUrl> uri = OAuthConfig::checkRedirectUri(redirect); !uri)
        return ctx.fail(uri.status());
    if (!scopes.trimmed().isEmpty()) {
        if (Expected<QStringList> parsed = OAuthConfig::parseScopes(scopes); !parsed)
            return ctx.fail(parsed.status());
    }
    if (secret.trimmed().isEmpty()) {
        // No new secret: fine when the keychain already holds one.
        EventWait wait;
        SecretResult::Code code = SecretResult::Failed;
        QString why;
        session.service.checkClientSecret(&session.service, [&](SecretResult::Code c, QString message) {
            code = c;
            why = message;
            wait.done();
        });
        if (!wait.wait(stepWaitMs))
            return timedOut(ctx, QStringLiteral("the keychain"));
        if (code == SecretResult::NotFound)
            return ctx.usage(QStringLiteral("oauth client set: pipe the client secret on stdin (it is never "
                                            "taken from the command line)"));
        if (code != SecretResult::Ok)
            return ctx.fail(Status::error(ErrorKind::Environment, QStringLiteral("keychain: %1").arg(why)));
    } else {
        EventWait wait;
        OAuthResult result;
        session.service.storeClientSecret(secret, &session.service, [&](const OAuthResult& r) {
            result = r;
            wait.done();
        });
        if (!wait.wait(stepWaitMs))
            return timedOut(ctx, QStringLiteral("storing the client secret"));
        if (!result.ok())
            return report(ctx, result);
    }
    if (Status s = session.service.saveSettings(clientId, redirect, scopes); !s)
        return ctx.fail(s);
    Expected<OAuthConfig> config = session.service.config();
    if (!config)
        return ctx.fail(config.status());
    ctx.out << "client id:     " << config->clientId << '\n'
            << "redirect URI:  " << config->redirectUri.toString() << "  (register exactly this in Klaviyo)\n"
            << "scopes:        " << config->scopes.join(QLatin1Char(' '))
            << (config->defaultScopes ? "  (the roles' scopes)" : "") << '\n'
            << "client secret: " << (secret.trimmed().isEmpty() ? "unchanged" : "stored") << " in "
            << session.store.name() << Qt::endl;
    return ExitOk;
}

int connectAccount(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    int timeoutSeconds = 0;
    if (parser.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        timeoutSeconds = parser.value(QStringLiteral("timeout")).toInt(&ok);
        if (!ok || timeoutSeconds < 1 || timeoutSeconds > 3600)
            return ctx.usage(QStringLiteral("--timeout takes seconds from 1 to 3600, not '%1'")
                                 .arg(parser.value(QStringLiteral("timeout"))));
    }
    const bool openBrowser = !parser.isSet(QStringLiteral("no-browser"));
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Session session(ws);
    if (timeoutSeconds > 0)
        session.service.setBrowserTimeoutMs(timeoutSeconds * 1000);
    Expected<OAuthConfig> config = session.service.config();
    if (!config)
        return ctx.fail(config.status());

    QObject::connect(&session.service, &OAuthService::authorizationUrlReady, [&](const QUrl& url) {
        ctx.out << "Sign in to Klaviyo at:\n" << url.toString(QUrl::FullyEncoded) << Qt::endl;
        ctx.err << "Listening on " << config->redirectUri.toString() << " for up to "
                << config->browserTimeoutMs / 1000 << " s." << Qt::endl;
        QString why;
        if (openBrowser && !SystemBrowser::open(url, &why))
            ctx.err << "klaviyo-rbac: could not open a browser (" << why << "); open the URL above yourself."
                    << Qt::endl;
    });
    QObject::connect(&session.service, &OAuthService::progress,
        [&](const QString& message) { ctx.err << message << Qt::endl; });
    QObject::connect(&session.service, &OAuthService::requestIgnored,
        [&](const QString& reason) { ctx.err << "ignored " << reason << "; still waiting" << Qt::endl; });
    EventWait wait;
    OAuthResult result;
    QObject::connect(&session.service, &OAuthService::connectFinished, [&](const OAuthResult& r) {
        result = r;
        wait.done();
    });
    session.service.connectAccount();
    if (!wait.wait(config->browserTimeoutMs + stepWaitMs))
        return timedOut(ctx, QStringLiteral("the sign-in"));
    // Let the browser's page go out before the process ends.
    QElapsedTimer drain;
    drain.start();
    while (LoopbackListener::repliesInFlight() > 0 && drain.elapsed() < 2000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (result.ok()) {
        Expected<std::optional<OAuthConnection>> c = session.service.connection();
        if (c && c->has_value()) {
            const OAuthConnection& connection = **c;
            ctx.out << "connected to "
                    << (connection.organizationName.isEmpty() ? QStringLiteral("(unknown account)")
                                                              : connection.organizationName)
                    << "\ngranted scopes: " << connection.grantedScopes.join(QLatin1Char(' '))
                    << "\naccess token expires: " << timeText(connection.expiresAt) << Qt::endl;
        }
    }
    return report(ctx, result);
}

int status(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("json")}))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Session session(ws);
    OAuthResult checked = OAuthResult::success();
    if (parser.isSet(QStringLiteral("check"))) {
        EventWait wait;
        session.service.checkAccount(&session.service, [&](const OAuthResult& r) {
            checked = r;
            wait.done();
        });
        if (!wait.wait(stepWaitMs))
            return timedOut(ctx, QStringLiteral("checking the connection"));
    }
    Expected<std::optional<OAuthConnection>> c = session.service.connection();
    if (!c)
        return ctx.fail(c.status());
    Expected<OAuthConfig> config = session.service.config();
    const bool connected = c->has_value() && (**c).state == OAuthConnection::State::Connected;
    if (format == QLatin1String("json")) {
        QJsonObject out = c->has_value()
            ? (**c).toJson()
            : QJsonObject {{QStringLiteral("state"), QStringLiteral("not connected")}};
        if (config) {
            out.insert(QStringLiteral("redirectUri"), config->redirectUri.toString());
            out.insert(QStringLiteral("configuredScopes"), QJsonArray::fromStringList(config->scopes));
            out.insert(QStringLiteral("configuredClientId"), config->clientId);
        }
        ctx.out << QJsonDocument(out).toJson(QJsonDocument::Indented);
        ctx.out.flush();
    } else {
        if (config)
            ctx.out << "client id:       "
                    << (config->clientId.isEmpty() ? QStringLiteral("(not set)") : config->clientId)
                    << "\nredirect URI:    " << config->redirectUri.toString() << '\n';
        if (!c->has_value()) {
            ctx.out << "state:           not connected" << Qt::endl;
        } else {
            const OAuthConnection& k = **c;
            ctx.out << "state:           "
                    << (connected ? QStringLiteral("connected") : QStringLiteral("disconnected — reconnect"))
                    << "\naccount:         " << k.organizationName << (k.accountId.isEmpty() ? "" : " (")
                    << k.accountId << (k.accountId.isEmpty() ? "" : ")")
                    << "\ngranted scopes:  " << k.grantedScopes.join(QLatin1Char(' '))
                    << "\nexpires:         " << timeText(k.expiresAt)
                    << "\nconnected:       " << timeText(k.connectedAt) << " by " << k.connectedBy
                    << "\nlast refresh:    " << timeText(k.refreshedAt) << '\n';
            if (!k.problem.isEmpty())
                ctx.out << "problem:         " << k.problem << '\n';
            if (!k.missingScopes().isEmpty())
                ctx.out << "warning:         fewer scopes granted than requested; missing "
                        << k.missingScopes().join(QLatin1Char(' ')) << '\n';
            ctx.out.flush();
        }
    }
    if (!checked.ok())
        return report(ctx, checked);
    if (!config)
        return ctx.fail(config.status());
    return connected ? ExitOk : ExitDenied;
}

int refresh(CliContext& ctx, const QCommandLineParser&, const QStringList&)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Session session(ws);
    EventWait wait;
    OAuthResult result;
    session.service.refresh(&session.service, [&](const OAuthResult& r) {
        result = r;
        wait.done();
    });
    if (!wait.wait(stepWaitMs))
        return timedOut(ctx, QStringLiteral("the refresh"));
    if (result.ok()) {
        Expected<std::optional<OAuthConnection>> c = session.service.connection();
        if (c && c->has_value())
            ctx.out << "refreshed; access token expires " << timeText((**c).expiresAt) << Qt::endl;
    }
    return report(ctx, result);
}

int disconnectAccount(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Session session(ws);
    EventWait wait;
    OAuthResult result;
    session.service.disconnectAccount(
        parser.isSet(QStringLiteral("force")), &session.service, [&](const OAuthResult& r) {
            result = r;
            wait.done();
        });
    if (!wait.wait(stepWaitMs))
        return timedOut(ctx, QStringLiteral("the disconnect"));
    if (result.ok())
        ctx.out << "disconnected" << Qt::endl;
    return report(ctx, result);
}

} // namespace

void addOAuthCommands(QVector<Command>& commands)
{
    using O = QCommandLineOption;
    commands.append({{QStringLiteral("oauth"), QStringLiteral("client"), QStringLiteral("set")},
        QStringLiteral("[--client-id ID] [--redirect-uri URI] [--scopes \"S …\" | --role-scopes] < secret"),
        QStringLiteral("Set the Klaviyo OAuth app: client id, redirect URI (default %1), scopes; the "
                       "client secret is read from stdin into the keychain.")
            .arg(OAuthConfig::defaultRedirectUri()),
        {O(QStringLiteral("client-id"), QStringLiteral("the app's client id"), QStringLiteral("ID")),
            O(QStringLiteral("redirect-uri"), QStringLiteral("exactly as registered in Klaviyo"),
                QStringLiteral("URI")),
            O(QStringLiteral("scopes"), QStringLiteral("scopes to request, space-separated"),
                QStringLiteral("SCOPES")),
            O(QStringLiteral("role-scopes"), QStringLiteral("request the roles' scopes (the default)"))},
        0, 0, setClient});
    commands.append({{QStringLiteral("oauth"), QStringLiteral("connect")},
        QStringLiteral("[--no-browser] [--timeout SECONDS]"),
        QStringLiteral("Sign in with Klaviyo in the browser ($BROWSER, else xdg-open) and keep the "
                       "tokens in the keychain; prints the URL and waits."),
        {O(QStringLiteral("no-browser"), QStringLiteral("only print the URL")),
            O(QStringLiteral("timeout"), QStringLiteral("how long to wait for the browser (default 300)"),
                QStringLiteral("SECONDS"))},
        0, 0, connectAccount});
    commands.append({{QStringLiteral("oauth"), QStringLiteral("status")},
        QStringLiteral("[--check] [--format table|json]"),
        QStringLiteral("The connection: account, granted scopes, expiry; exit 1 when not connected."),
        {O(QStringLiteral("check"), QStringLiteral("also ask Klaviyo (GET /api/accounts)")),
            O(QStringLiteral("format"), QStringLiteral("output format: table|json"), QStringLiteral("FORMAT"),
                QStringLiteral("table"))},
        0, 0, status});
    commands.append({{QStringLiteral("oauth"), QStringLiteral("refresh")}, QString(),
        QStringLiteral("Refresh the access token now; keeps the refresh token Klaviyo returns."), {}, 0, 0,
        refresh});
    commands.append({{QStringLiteral("oauth"), QStringLiteral("disconnect")}, QStringLiteral("[--force]"),
        QStringLiteral("Revoke the refresh token at Klaviyo, then delete the tokens."),
        {O(QStringLiteral("force"), QStringLiteral("forget the connection even if revoking fails"))}, 0, 0,
        disconnectAccount});
}

} // namespace rbac::cli
