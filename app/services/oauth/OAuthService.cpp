#include "oauth/OAuthService.h"

#include "base/Clock.h"
#include "oauth/KeychainSteps.h"
#include "oauth/TokenClient.h"
#include "workspace/Workspace.h"
#include "keychain/SecretBytes.h"
#include "keychain/SecretStore.h"

#include <QJsonArray>

#include <memory>

namespace rbac {

namespace {

constexpr qsizetype maxSecretBytes = 1024;

OAuthResult fromStatus(const Status& s)
{
    return OAuthResult::failure(
        s.kind() == ErrorKind::Environment ? OAuthResult::Environment : OAuthResult::InvalidInput,
        s.message());
}

} // namespace

OAuthService::OAuthService(Workspace* workspace, SecretStore* store, QObject* parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_store(store)
    , m_client(new TokenClient(OAuthConfig::defaultRequestTimeoutMs, this))
    , m_session(new OAuthSession(workspace, store, m_client, this))
{
    m_session->setConfigSource([this] { return config(); });
    connect(m_session, &OAuthSession::connectionChanged, this, &OAuthService::connectionChanged);
}

OAuthService::~OAuthService()
{
    if (m_flow)
        m_flow->cancel(); // answers a waiting browser and wipes the attempt's secrets
}

void OAuthService::setRequestTimeoutMs(int ms)
{
    m_requestTimeoutMs = ms;
    m_client->setTimeoutMs(ms > 0 ? ms : OAuthConfig::defaultRequestTimeoutMs);
}

Expected<OAuthConfig> OAuthService::config() const
{
    Expected<OAuthConfig> config = OAuthConfig::fromWorkspace(*m_workspace);
    if (config) {
        if (m_browserTimeoutMs > 0)
            config->browserTimeoutMs = m_browserTimeoutMs;
        if (m_requestTimeoutMs > 0)
            config->requestTimeoutMs = m_requestTimeoutMs;
    }
    return config;
}

Expected<std::optional<OAuthConnection>> OAuthService::connection() const
{
    return OAuthRecord::load(m_workspace->database());
}

Status OAuthService::saveSettings(const QString& clientId, const QString& redirectUri, const QString& scopes)
{
    const QString id = clientId.trimmed();
    if (Status s = OAuthConfig::checkClientId(id); !s)
        return s;
    Expected<QUrl> redirect = OAuthConfig::checkRedirectUri(redirectUri);
    if (!redirect)
        return redirect.status();
    QString scopeText;
    if (!scopes.trimmed().isEmpty()) {
        Expected<QStringList> parsed = OAuthConfig::parseScopes(scopes);
        if (!parsed)
            return parsed.status();
        scopeText = parsed->join(QLatin1Char(' '));
    }
    if (Status s = m_workspace->setSetting(OAuthConfig::clientIdKey(), id); !s)
        return s;
    if (Status s = m_workspace->setSetting(OAuthConfig::redirectUriKey(), redirect->toString()); !s)
        return s;
    return m_workspace->setSetting(OAuthConfig::scopesKey(), scopeText);
}

void OAuthService::storeClientSecret(const QByteArray& secret, QObject* context, Done done)
{
    QByteArray value = secret.trimmed();
    if (value.isEmpty() || value.size() > maxSecretBytes) {
        wipe(value);
        return done(OAuthResult::failure(OAuthResult::InvalidInput,
            QStringLiteral("the client secret must be 1 to %1 characters").arg(maxSecretBytes)));
    }
    for (const char c : std::as_const(value)) {
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            wipe(value);
            return done(OAuthResult::failure(OAuthResult::InvalidInput,
                QStringLiteral("the client secret may only hold printable ASCII "
                               "without spaces")));
        }
    }
    QPointer<QObject> guard(context);
    m_store->write(
        OAuthKeychain::clientSecret(m_workspace->id()), value, this, [this, guard, done](SecretResult r) {
            OAuthResult result = r.ok() ? OAuthResult::success()
                                        : OAuthResult::failure(OAuthResult::Environment,
                                            QStringLiteral("storing the client secret: %1").arg(r.message));
            const Status s = m_workspace->recordEvent(QStringLiteral("oauth.client-secret"), {},
                QStringLiteral("oauth:klaviyo"), r.ok(),
                {{QStringLiteral("stored"), r.ok()}, {QStringLiteral("keychain"), m_store->name()}});
            if (result.ok() && !s)
                result = fromStatus(s);
            if (guard)
                done(result);
        });
    wipe(value);
}

void OAuthService::checkClientSecret(QObject* context, std::function<void(SecretResult::Code, QString)> done)
{
    m_store->read(OAuthKeychain::clientSecret(m_workspace->id()), context, [done](SecretResult r) {
        wipe(r.data);
        done(r.code, r.message);
    });
}

bool OAuthService::isConnecting() const
{
    return m_starting || (m_flow && m_flow->isActive());
}

void OAuthService::connectAccount()
{
    if (isConnecting())
        return;
    m_starting = true;
    emit progress(tr("Reading the OAuth app settings…"));
    Expected<OAuthConfig> cfg = config();
    if (!cfg)
        return endConnect(fromStatus(cfg.status()));
    if (Status s = cfg->requireClient(); !s)
        return endConnect(fromStatus(s));
    const OAuthConfig configuration = *cfg;
    m_store->read(
        OAuthKeychain::clientSecret(m_workspace->id()), this, [this, configuration](SecretResult r) {
            if (r.code == SecretResult::NotFound)
                return endConnect(OAuthResult::failure(OAuthResult::InvalidInput,
                    tr("no client secret is stored (or the keychain is locked): set it with 'klaviyo-rbac "
                       "oauth "
                       "client set' or on the OAuth page")));
            if (!r.ok())
                return endConnect(OAuthResult::failure(
                    OAuthResult::Environment, tr("reading the client secret: %1").arg(r.message)));
            startFlow(configuration, std::move(r.data));
        });
}

void OAuthService::startFlow(const OAuthConfig& config, QByteArray secret)
{
    OAuthFlow::Params params;
    params.authorizeUrl = config.authorizeUrl;
    params.tokenUrl = config.tokenUrl;
    params.redirectUri = config.redirectUri;
    params.clientId = config.clientId;
    params.clientSecret = std::move(secret);
    params.scopes = config.scopes;
    params.browserTimeoutMs = config.browserTimeoutMs;
    m_client->setTimeoutMs(config.requestTimeoutMs);
    auto* flow = new OAuthFlow(std::move(params), m_client, this);
    m_flow = flow;
    connect(flow, &OAuthFlow::authorizationUrlReady, this, &OAuthService::authorizationUrlReady);
    connect(flow, &OAuthFlow::requestIgnored, this, &OAuthService::requestIgnored);
    connect(flow, &OAuthFlow::stateChanged, this, [this](OAuthFlow::State state) {
        if (state == OAuthFlow::State::WaitingForBrowser)
            emit progress(tr("Waiting for the sign-in in the browser…"));
        else if (state == OAuthFlow::State::ExchangingCode)
            emit progress(tr("Exchanging the authorization code…"));
        else if (state == OAuthFlow::State::Completing)
            emit progress(tr("Storing the tokens in the keychain…"));
    });
    connect(flow, &OAuthFlow::tokensReceived, this, [this, config] { storeConnection(config); });
    connect(flow, &OAuthFlow::finished, this, &OAuthService::endConnect);
    m_starting = false;
    if (!flow->start())
        endConnect(flow->result());
}

void OAuthService::storeConnection(const OAuthConfig& config)
{
    QPointer<OAuthFlow> flow = m_flow;
    auto tokens = std::make_shared<TokenSet>(flow->takeTokens());
    const QString id = m_workspace->id();
    KeychainSteps::writeAll(m_store,
        {{OAuthKeychain::refreshToken(id), tokens->refreshToken},
            {OAuthKeychain::accessToken(id), tokens->accessToken}},
        this, [this, flow, tokens, config](SecretResult stored) {
            if (!flow) {
                tokens->wipe();
                return;
            }
            if (!stored.ok()) {
                // Tokens we cannot keep should not stay valid at Klaviyo either: revoke, best effort.
                m_store->read(OAuthKeychain::clientSecret(m_workspace->id()), this,
                    [this, tokens, config](SecretResult s) {
                        if (s.ok())
                            m_client->revoke(config.revokeUrl, {config.clientId, s.data},
                                tokens->refreshToken, this, [](TokenReply) {});
                        wipe(s.data);
                        tokens->wipe();
                    });
                const QString message
                    = tr("the tokens could not be stored in the keychain: %1").arg(stored.message);
                return flow->complete(OAuthResult::failure(OAuthResult::Environment, message), message);
            }
            m_client->fetchAccount(config.apiBaseUrl, config.revision, tokens->accessToken, this,
                [this, flow, tokens, config](AccountReply account) {
                    if (flow)
                        recordConnection(config, *tokens, account);
                    tokens->wipe();
                });
        });
}

void OAuthService::recordConnection(
    const OAuthConfig& config, const TokenSet& tokens, const AccountReply& account)
{
    OAuthConnection c;
    c.clientId = config.clientId;
    c.accountId = account.accountId;
    c.organizationName = account.organizationName;
    c.requestedScopes = config.scopes;
    // No scope in the answer means "as requested" (RFC 6749 §5.1).
    c.grantedScopes = tokens.scopeReported ? tokens.scopes : config.scopes;
    c.connectedAt = Clock::nowUtc();
    c.expiresAt = tokens.expiresIn > 0 ? c.connectedAt.addSecs(tokens.expiresIn) : QDateTime();
    c.connectedBy = m_workspace->actor();
    QStringList warnings;
    if (!c.missingScopes().isEmpty())
        warnings << tr("Klaviyo granted fewer scopes than requested; missing: %1")
                        .arg(c.missingScopes().join(QLatin1Char(' ')));
    if (account.outcome != AccountReply::Ok)
        warnings << tr("the connected account could not be read: %1").arg(account.message);
    const QString warning = warnings.join(QStringLiteral("; "));

    const Status s = m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
        if (Status saved = OAuthRecord::save(db, c); !saved)
            return saved;
        QJsonObject details = c.toJson();
        if (!warning.isEmpty())
            details.insert(QStringLiteral("warning"), warning);
        entries << m_workspace->makeEntry(
            QStringLiteral("oauth.connect"), {}, QStringLiteral("oauth:klaviyo"), details);
        return Status::ok();
    });
    if (!s) {
        m_flow->complete(fromStatus(s), s.message());
        return;
    }
    m_session->remember(tokens.accessToken, c.expiresAt);
    const QString who = c.organizationName.isEmpty() ? tr("your Klaviyo account") : c.organizationName;
    m_flow->complete(OAuthResult::success(warning),
        warning.isEmpty() ? tr("The console is now connected to %1.").arg(who)
                          : tr("The console is now connected to %1. Note: %2").arg(who, warning));
}

void OAuthService::cancelConnect()
{
    if (m_flow)
        m_flow->cancel();
}

void OAuthService::endConnect(const OAuthResult& result)
{
    m_starting = false;
    OAuthResult reported = result;
    if (!result.ok()) {
        const Status recorded = m_workspace->recordEvent(QStringLiteral("oauth.connect"), {},
            QStringLiteral("oauth:klaviyo"), false,
            {{QStringLiteral("error"), result.error}, {QStringLiteral("message"), result.message}});
        reported.message = withAuditNote(result.message, recorded);
    }
    if (m_flow)
        m_flow->deleteLater();
    m_flow = nullptr;
    emit connectFinished(reported);
    if (result.ok())
        emit connectionChanged();
}

} // namespace rbac
