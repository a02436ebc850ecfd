#include "oauth/OAuthFlow.h"

#include "oauth/Pkce.h"
#include "oauth/TokenClient.h"
#include "keychain/SecretBytes.h"

#include <QMetaObject>

namespace rbac {

namespace {

QByteArray param(const char* name, const QByteArray& value)
{
    return QByteArray(name) + '=' + value.toPercentEncoding();
}

} // namespace

OAuthFlow::OAuthFlow(Params params, TokenClient* client, QObject* parent)
    : QObject(parent)
    , m_params(std::move(params))
    , m_client(client)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_state != State::WaitingForBrowser)
            return;
        const int seconds = m_params.browserTimeoutMs / 1000;
        const QString after
            = seconds >= 120 ? tr("%1 min").arg(seconds / 60) : tr("%1 s").arg(qMax(seconds, 1));
        finish(State::TimedOut,
            OAuthResult::failure(OAuthResult::Failed,
                tr("the browser did not come back within %1; nothing was connected. "
                   "Try again.")
                    .arg(after),
                QStringLiteral("timeout")),
            {}, {});
    });
    connect(&m_listener, &LoopbackListener::requestIgnored, this, &OAuthFlow::requestIgnored);
}

OAuthFlow::~OAuthFlow()
{
    wipeSecrets();
    m_tokens.wipe();
}

bool OAuthFlow::isActive() const
{
    return m_state == State::WaitingForBrowser || m_state == State::ExchangingCode
        || m_state == State::Completing;
}

QString OAuthFlow::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::WaitingForBrowser:
        return QStringLiteral("waiting for the browser");
    case State::ExchangingCode:
        return QStringLiteral("exchanging the code");
    case State::Completing:
        return QStringLiteral("storing the tokens");
    case State::Succeeded:
        return QStringLiteral("connected");
    case State::Failed:
        return QStringLiteral("failed");
    case State::TimedOut:
        return QStringLiteral("timed out");
    case State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

Status OAuthFlow::start()
{
    Q_ASSERT(m_state == State::Idle);
    m_stateToken = Pkce::makeState();
    m_verifier = Pkce::makeVerifier();
    if (Status s
        = m_listener.listen(m_params.redirectUri, [this](const QUrlQuery& q) { return onCallback(q); });
        !s) {
        wipeSecrets();
        m_result = OAuthResult::failure(OAuthResult::Environment, s.message());
        setState(State::Failed);
        return s;
    }

    // Our parameters are appended to whatever query the authorize URL already has.
    const QByteArray challenge = Pkce::challengeS256(m_verifier);
    QByteArray query = m_params.authorizeUrl.query(QUrl::FullyEncoded).toLatin1();
    if (!query.isEmpty())
        query += '&';
    query += param("response_type", "code") + '&' + param("client_id", m_params.clientId.toUtf8()) + '&'
        + param("redirect_uri", m_params.redirectUri.toString(QUrl::FullyEncoded).toUtf8()) + '&'
        + param("scope", m_params.scopes.join(QLatin1Char(' ')).toUtf8()) + '&' + param("state", m_stateToken)
        + '&' + param("code_challenge_method", "S256") + '&' + param("code_challenge", challenge);
    m_authorizationUrl = m_params.authorizeUrl;
    m_authorizationUrl.setQuery(QString::fromLatin1(query), QUrl::StrictMode);

    m_timeout.start(m_params.browserTimeoutMs);
    setState(State::WaitingForBrowser);
    emit authorizationUrlReady(m_authorizationUrl);
    return Status::ok();
}

LoopbackListener::Decision OAuthFlow::onCallback(const QUrlQuery& query)
{
    using Decision = LoopbackListener::Decision;
    const auto reject = [](const QString& why) {
        return Decision {Decision::Reject, 400, why, {}};
    };
    if (m_state != State::WaitingForBrowser)
        return reject(tr("a callback while no sign-in is waiting"));
    const QStringList states = query.allQueryItemValues(QStringLiteral("state"), QUrl::FullyDecoded);
    const QStringList codes = query.allQueryItemValues(QStringLiteral("code"), QUrl::FullyDecoded);
    const QStringList errors = query.allQueryItemValues(QStringLiteral("error"), QUrl::FullyDecoded);
    if (states.size() > 1 || codes.size() > 1 || errors.size() > 1)
        return reject(tr("a callback with repeated parameters"));
    if (states.isEmpty())
        return reject(tr("a callback without state"));
    // Only the authorization server saw our state: anything else is forged or stale (another
    // attempt, another tab) and must neither connect nor end the attempt.
    QByteArray received = states.constFirst().toUtf8();
    const bool genuine = Pkce::constantTimeEquals(received, m_stateToken);
    wipe(received);
    if (!genuine)
        return reject(tr("a callback with the wrong state"));

    m_timeout.stop();
    if (!errors.isEmpty()) {
        const QString error = redacted(errors.constFirst(), {m_stateToken});
        const QString description = redacted(
            query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded), {m_stateToken});
        const QString text = description.isEmpty() ? error : error + QStringLiteral(": ") + description;
        const QString message = error == QLatin1String("access_denied")
            ? tr("access was denied in the browser (%1); nothing was connected").arg(text)
            : tr("Klaviyo answered with an error (%1); nothing was connected").arg(text);
        QMetaObject::invokeMethod(
            this,
            [this, message, error] {
                finish(State::Failed, OAuthResult::failure(OAuthResult::Failed, message, error),
                    tr("Not connected"), message);
            },
            Qt::QueuedConnection);
        return Decision {Decision::Accept, 200, {}, {}};
    }
    if (codes.isEmpty() || codes.constFirst().isEmpty()) {
        const QString message = tr("the callback carried neither a code nor an error; nothing was connected");
        QMetaObject::invokeMethod(
            this,
            [this, message] {
                finish(State::Failed,
                    OAuthResult::failure(OAuthResult::Failed, message, QStringLiteral("no_code")),
                    tr("Not connected"), message);
            },
            Qt::QueuedConnection);
        return Decision {Decision::Accept, 200, {}, {}};
    }
    m_code = codes.constFirst().toUtf8();
    setState(State::ExchangingCode);
    // Queued: the listener finishes taking this connection before anything can answer it.
    QMetaObject::invokeMethod(this, &OAuthFlow::exchange, Qt::QueuedConnection);
    return Decision {Decision::Accept, 200, {}, {}};
}

void OAuthFlow::exchange()
{
    if (m_state != State::ExchangingCode)
        return;
    m_client->exchangeCode(m_params.tokenUrl, {m_params.clientId, m_params.clientSecret}, m_code, m_verifier,
        m_params.redirectUri, this, [this](TokenReply reply) {
            if (m_state != State::ExchangingCode) { // cancelled meanwhile: the tokens are not wanted
                reply.tokens.wipe();
                return;
            }
            wipe(m_code);
            wipe(m_verifier);
            if (reply.outcome == TokenReply::Ok) {
                m_tokens = std::move(reply.tokens);
                setState(State::Completing);
                emit tokensReceived();
                return;
            }
            const bool refused = reply.outcome == TokenReply::OAuthError;
            const QString message = refused ? tr("the token endpoint refused the code: %1").arg(reply.message)
                                            : tr("the code could not be exchanged: %1").arg(reply.message);
            finish(State::Failed,
                OAuthResult::failure(
                    refused ? OAuthResult::Failed : OAuthResult::Environment, message, reply.error),
                tr("Not connected"), message);
        });
}

void OAuthFlow::complete(const OAuthResult& result, const QString& pageMessage)
{
    if (m_state != State::Completing)
        return;
    finish(result.ok() ? State::Succeeded : State::Failed, result,
        result.ok() ? tr("Connected to Klaviyo") : tr("Not connected"), pageMessage);
}

void OAuthFlow::cancel()
{
    if (!isActive())
        return;
    finish(State::Cancelled,
        OAuthResult::failure(OAuthResult::Failed, tr("the sign-in was cancelled; nothing was connected"),
            QStringLiteral("cancelled")),
        tr("Sign-in cancelled"), tr("The sign-in was cancelled in the console."));
}

TokenSet OAuthFlow::takeTokens()
{
    TokenSet tokens = std::move(m_tokens);
    m_tokens = TokenSet();
    return tokens;
}

void OAuthFlow::finish(
    State state, const OAuthResult& result, const QString& pageTitle, const QString& pageMessage)
{
    if (!isActive()) // ended already (a cancel racing a queued verdict): the first end stands
        return;
    m_timeout.stop();
    if (!pageTitle.isEmpty())
        m_listener.answer(state == State::Succeeded, pageTitle, pageMessage);
    m_listener.stop();
    wipeSecrets();
    m_tokens.wipe();
    m_result = result;
    setState(state);
    emit finished(m_result);
}

void OAuthFlow::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void OAuthFlow::wipeSecrets()
{
    wipe(m_stateToken);
    wipe(m_verifier);
    wipe(m_code);
    wipe(m_params.clientSecret);
}

} // namespace rbac
