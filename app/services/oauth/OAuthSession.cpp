#include "oauth/OAuthSession.h"

#include "base/Clock.h"
#include "oauth/KeychainSteps.h"
#include "oauth/TokenClient.h"
#include "workspace/Workspace.h"
#include "keychain/SecretBytes.h"

#include <QJsonArray>

namespace rbac {

namespace {

OAuthResult keychainFailure(const SecretResult& r, const QString& what)
{
    return OAuthResult::failure(OAuthResult::Environment, QStringLiteral("%1: %2").arg(what, r.message));
}

OAuthResult notConnected()
{
    return OAuthResult::failure(OAuthResult::Failed,
        QStringLiteral("not connected to Klaviyo: run 'klaviyo-rbac oauth connect' or use "
                       "Connect on the OAuth page"),
        QStringLiteral("not_connected"));
}

OAuthResult reconnectRequired(const OAuthConnection& record)
{
    return OAuthResult::failure(OAuthResult::Failed,
        QStringLiteral("disconnected — reconnect: %1").arg(record.problem),
        QStringLiteral("reconnect_required"));
}

QString missingScopesWarning(const OAuthConnection& record)
{
    const QStringList missing = record.missingScopes();
    if (missing.isEmpty())
        return {};
    return QStringLiteral("Klaviyo granted fewer scopes than requested; missing: %1")
        .arg(missing.join(QLatin1Char(' ')));
}

} // namespace

OAuthSession::OAuthSession(Workspace* workspace, SecretStore* store, TokenClient* client, QObject* parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_store(store)
    , m_client(client)
    , m_config([workspace] { return OAuthConfig::fromWorkspace(*workspace); })
{
}

OAuthSession::~OAuthSession()
{
    forgetAccessToken();
}

void OAuthSession::forgetAccessToken()
{
    wipe(m_accessToken);
    m_accessExpiresAt = {};
}

void OAuthSession::remember(const QByteArray& accessToken, const QDateTime& expiresAt)
{
    forgetAccessToken();
    m_accessToken = accessToken;
    m_accessToken.detach();
    m_accessExpiresAt = expiresAt;
}

Expected<std::optional<OAuthConnection>> OAuthSession::load() const
{
    return OAuthRecord::load(m_workspace->database());
}

Status OAuthSession::audit(const QString& action, bool success, const QJsonObject& details)
{
    return m_workspace->recordEvent(action, {}, QStringLiteral("oauth:klaviyo"), success, details);
}

void OAuthSession::refresh(QObject* context, Done done)
{
    m_waiters.append({context, std::move(done)});
    if (m_refreshing)
        return;
    m_refreshing = true;
    runRefresh();
}

void OAuthSession::finishRefresh(const OAuthResult& result)
{
    m_refreshing = false;
    const QVector<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter& w : waiters) {
        if (w.context)
            w.done(result);
    }
}

void OAuthSession::runRefresh()
{
    Expected<std::optional<OAuthConnection>> record = load();
    if (!record)
        return finishRefresh(OAuthResult::failure(OAuthResult::Environment, record.status().message()));
    if (!record->has_value())
        return finishRefresh(notConnected());
    if ((*record)->state == OAuthConnection::State::ReconnectRequired)
        return finishRefresh(reconnectRequired(**record)); // no request: the token is known to be dead
    Expected<OAuthConfig> config = m_config();
    if (!config)
        return finishRefresh(OAuthResult::failure(OAuthResult::InvalidInput, config.status().message()));
    if (Status s = config->requireClient(); !s)
        return finishRefresh(OAuthResult::failure(OAuthResult::InvalidInput, s.message()));

    const QString id = m_workspace->id();
    const OAuthConnection connection = **record;
    const OAuthConfig cfg = *config;
    KeychainSteps::readAll(m_store, {OAuthKeychain::clientSecret(id), OAuthKeychain::refreshToken(id)}, {},
        this, [this, cfg, connection](SecretResult failure, QList<QByteArray> secrets) {
            if (!failure.ok())
                return finishRefresh(keychainFailure(failure,
                    QStringLiteral("reading the client secret and "
                                   "refresh token from the keychain")));
            QByteArray secret = secrets.at(0);
            QByteArray refreshToken = secrets.at(1);
            secrets.clear();
            m_client->refresh(cfg.tokenUrl, {cfg.clientId, secret}, refreshToken, this,
                [this, cfg, connection, refreshToken](TokenReply reply) mutable {
                    if (reply.outcome == TokenReply::Ok)
                        return onRefreshed(cfg, connection, refreshToken, std::move(reply.tokens));
                    wipe(refreshToken);
                    if (reply.outcome == TokenReply::OAuthError
                        && reply.error == QLatin1String("invalid_grant"))
                        return markReconnect(connection, reply.message);
                    const Status recorded = audit(QStringLiteral("oauth.refresh"), false,
                        {{QStringLiteral("error"), reply.error}, {QStringLiteral("message"), reply.message}});
                    // Only invalid_grant says the token is dead; a network failure
                    // or an invalid_client (wrong secret) keeps the connection.
                    finishRefresh(OAuthResult::failure(reply.outcome == TokenReply::OAuthError
                            ? OAuthResult::Failed
                            : OAuthResult::Environment,
                        withAuditNote(QStringLiteral("refresh failed: %1").arg(reply.message), recorded),
                        reply.error));
                });
            wipe(secret);
        });
}

void OAuthSession::onRefreshed(
    const OAuthConfig& config, OAuthConnection record, QByteArray oldRefresh, TokenSet tokens)
{
    Q_UNUSED(config)
    const bool rotated = !tokens.refreshToken.isEmpty() && tokens.refreshToken != oldRefresh;
    wipe(oldRefresh);
    const QString id = m_workspace->id();
    QList<QPair<QString, QByteArray>> items;
    // The refresh token first: if the server rotated it, the old one may already be dead.
    if (!tokens.refreshToken.isEmpty())
        items.append({OAuthKeychain::refreshToken(id), tokens.refreshToken});
    items.append({OAuthKeychain::accessToken(id), tokens.accessToken});
    const QDateTime now = Clock::nowUtc();
    record.expiresAt = tokens.expiresIn > 0 ? now.addSecs(tokens.expiresIn) : QDateTime();
    record.refreshedAt = now;
    if (tokens.scopeReported)
        record.grantedScopes = tokens.scopes;
    remember(tokens.accessToken, record.expiresAt);
    tokens.wipe();
    KeychainSteps::writeAll(m_store, items, this, [this, record, rotated](SecretResult r) {
        if (!r.ok()) {
            const Status recorded = audit(QStringLiteral("oauth.refresh"), false,
                {{QStringLiteral("error"), QStringLiteral("keychain")},
                    {QStringLiteral("message"), r.message}});
            OAuthResult failed = keychainFailure(r,
                QStringLiteral("the tokens were refreshed but could not be "
                               "stored; if this repeats, reconnect"));
            failed.message = withAuditNote(failed.message, recorded);
            return finishRefresh(failed);
        }
        const Status s = m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
            if (Status saved = OAuthRecord::save(db, record); !saved)
                return saved;
            entries << m_workspace->makeEntry(QStringLiteral("oauth.refresh"), {},
                QStringLiteral("oauth:klaviyo"),
                {{QStringLiteral("expiresAt"), record.toJson().value(QStringLiteral("expiresAt"))},
                    {QStringLiteral("grantedScopes"), QJsonArray::fromStringList(record.grantedScopes)},
                    {QStringLiteral("refreshTokenRotated"), rotated}});
            return Status::ok();
        });
        if (!s)
            return finishRefresh(OAuthResult::failure(OAuthResult::Environment, s.message()));
        emit connectionChanged();
        finishRefresh(OAuthResult::success(missingScopesWarning(record)));
    });
}

void OAuthSession::markReconnect(OAuthConnection record, const QString& message)
{
    forgetAccessToken();
    record.state = OAuthConnection::State::ReconnectRequired;
    record.problem
        = QStringLiteral("Klaviyo refused the refresh token (%1); the app may have been uninstalled, "
                         "the token revoked, or unused for 90 days. Connect again.")
              .arg(message);
    record.expiresAt = {};
    const QString id = m_workspace->id();
    // Dead tokens are deleted; the facts stay so the console can say what happened.
    KeychainSteps::removeAll(m_store, {OAuthKeychain::accessToken(id), OAuthKeychain::refreshToken(id)}, this,
        [this, record](SecretResult removed) {
            const Status s = m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
                if (Status saved = OAuthRecord::save(db, record); !saved)
                    return saved;
                entries << m_workspace->makeEntry(QStringLiteral("oauth.refresh"), {},
                    QStringLiteral("oauth:klaviyo"),
                    {{QStringLiteral("error"), QStringLiteral("invalid_grant")},
                        {QStringLiteral("state"), OAuthRecord::stateName(record.state)},
                        {QStringLiteral("tokensDeleted"), removed.ok()}},
                    false);
                return Status::ok();
            });
            emit connectionChanged();
            if (!s)
                return finishRefresh(OAuthResult::failure(OAuthResult::Environment, s.message()));
            finishRefresh(reconnectRequired(record));
        });
}

void OAuthSession::accessToken(QObject* context, TokenDone done)
{
    Expected<std::optional<OAuthConnection>> record = load();
    if (!record)
        return done(OAuthResult::failure(OAuthResult::Environment, record.status().message()), {});
    if (!record->has_value())
        return done(notConnected(), {});
    if ((*record)->state == OAuthConnection::State::ReconnectRequired)
        return done(reconnectRequired(**record), {});
    const QDateTime expiresAt = (*record)->expiresAt;
    // Without a known lifetime the token is used until a 401 says otherwise (the official samples
    // refresh on 401 only, docs/klaviyo.md §4).
    const bool fresh
        = !expiresAt.isValid() || Clock::nowUtc().addSecs(OAuthConfig::refreshLeadSeconds) < expiresAt;
    QPointer<QObject> guard(context);
    const auto viaRefresh = [this, guard, done] {
        refresh(this, [this, guard, done](const OAuthResult& r) {
            if (!guard)
                return;
            QByteArray token = r.ok() ? m_accessToken : QByteArray();
            done(r, token);
        });
    };
    if (!fresh)
        return viaRefresh();
    if (!m_accessToken.isEmpty() && m_accessExpiresAt == expiresAt)
        return done(OAuthResult::success(), m_accessToken);
    m_store->read(OAuthKeychain::accessToken(m_workspace->id()), this,
        [this, guard, done, viaRefresh, expiresAt](SecretResult r) {
            if (!guard)
                return wipe(r.data);
            if (r.code == SecretResult::NotFound)
                return viaRefresh(); // a refresh also tells a locked keychain apart
            if (!r.ok())
                return done(keychainFailure(r, QStringLiteral("reading the access token")), {});
            remember(r.data, expiresAt);
            wipe(r.data);
            done(OAuthResult::success(), m_accessToken);
        });
}

void OAuthSession::checkAccount(QObject* context, Done done)
{
    QPointer<QObject> guard(context);
    auto attempt = std::make_shared<std::function<void(bool)>>();
    *attempt = [this, guard, done, weak = std::weak_ptr<std::function<void(bool)>>(attempt)](bool retried) {
        auto self = weak.lock();
        accessToken(this, [this, guard, done, retried, self](const OAuthResult& r, QByteArray token) {
            if (!guard)
                return wipe(token);
            if (!r.ok())
                return done(r);
            Expected<OAuthConfig> config = m_config();
            if (!config) {
                wipe(token);
                return done(OAuthResult::failure(OAuthResult::InvalidInput, config.status().message()));
            }
            m_client->fetchAccount(config->apiBaseUrl, config->revision, token, this,
                [this, guard, done, retried, self](AccountReply a) {
                    if (!guard)
                        return;
                    if (a.outcome == AccountReply::Unauthorized && !retried) {
                        // The token died early (revoked, clock skew): refresh once and try again.
                        forgetAccessToken();
                        return refresh(this, [guard, done, self](const OAuthResult& refreshed) {
                            if (!guard)
                                return;
                            if (!refreshed.ok())
                                return done(refreshed);
                            (*self)(true);
                        });
                    }
                    if (a.outcome != AccountReply::Ok)
                        return done(OAuthResult::failure(a.outcome == AccountReply::Unauthorized
                                ? OAuthResult::Failed
                                : OAuthResult::Environment,
                            a.message));
                    Expected<std::optional<OAuthConnection>> record = load();
                    if (record && record->has_value() && (**record).organizationName != a.organizationName) {
                        OAuthConnection updated = **record;
                        updated.accountId = a.accountId;
                        updated.organizationName = a.organizationName;
                        const Status saved =
                            m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
                                if (Status s = OAuthRecord::save(db, updated); !s)
                                    return s;
                                entries << m_workspace->makeEntry(QStringLiteral("oauth.account"), {},
                                    QStringLiteral("oauth:klaviyo"),
                                    {{QStringLiteral("accountId"), a.accountId},
                                        {QStringLiteral("organizationName"), a.organizationName}});
                                return Status::ok();
                            });
                        if (!saved)
                            return done(OAuthResult::failure(OAuthResult::Environment,
                                QStringLiteral("the account's new name could not be recorded: %1")
                                    .arg(saved.message())));
                        emit connectionChanged();
                    }
                    done(OAuthResult::success(
                        record && record->has_value() ? missingScopesWarning(**record) : QString()));
                });
            wipe(token);
        });
    };
    (*attempt)(false);
}

void OAuthSession::disconnect(bool force, QObject* context, Done done)
{
    Expected<std::optional<OAuthConnection>> record = load();
    if (!record)
        return done(OAuthResult::failure(OAuthResult::Environment, record.status().message()));
    const std::optional<OAuthConnection> connection = *record;
    Expected<OAuthConfig> config = m_config();
    if (!config && !force)
        return done(OAuthResult::failure(OAuthResult::InvalidInput, config.status().message()));
    QPointer<QObject> guard(context);
    const Done guarded = [guard, done](const OAuthResult& r) {
        if (guard)
            done(r);
    };
    const QString id = m_workspace->id();
    const OAuthConfig cfg = config ? *config : OAuthConfig();
    KeychainSteps::readAll(m_store, {OAuthKeychain::clientSecret(id), OAuthKeychain::refreshToken(id)},
        {OAuthKeychain::clientSecret(id), OAuthKeychain::refreshToken(id)}, this,
        [this, force, cfg, connection, guarded](SecretResult failure, QList<QByteArray> secrets) {
            if (!failure.ok() && !force)
                return guarded(keychainFailure(failure,
                    QStringLiteral("reading the refresh token to revoke it (use "
                                   "--force to forget the connection anyway)")));
            QByteArray secret = secrets.value(0);
            QByteArray refreshToken = secrets.value(1);
            revokeAndForget(force, cfg, secret, refreshToken, connection, guarded);
            wipe(secret);
            wipe(refreshToken);
        });
}

void OAuthSession::revokeAndForget(bool force,
    const OAuthConfig& config,
    QByteArray secret,
    QByteArray refreshToken,
    std::optional<OAuthConnection> record,
    Done done)
{
    forgetAccessToken();
    if (refreshToken.isEmpty() || config.clientId.isEmpty() || secret.isEmpty())
        return forget(false, record, done); // nothing that could be revoked
    m_client->revoke(config.revokeUrl, {config.clientId, secret}, refreshToken, this,
        [this, force, record, done](TokenReply reply) {
            // invalid_grant/invalid_token: the server no longer knows the token
            // (revoked, expired), nothing is left to revoke. Anything else (no answer,
            // invalid_client) leaves a live grant behind: keep the tokens unless forced.
            const bool alreadyDead = reply.outcome == TokenReply::OAuthError
                && (reply.error == QLatin1String("invalid_grant")
                    || reply.error == QLatin1String("invalid_token"));
            if (reply.outcome != TokenReply::Ok && !alreadyDead && !force) {
                const Status recorded = audit(QStringLiteral("oauth.disconnect"), false,
                    {{QStringLiteral("error"),
                         reply.error.isEmpty() ? QStringLiteral("revoke") : reply.error},
                        {QStringLiteral("message"), reply.message}});
                return done(OAuthResult::failure(
                    reply.outcome == TokenReply::Failed ? OAuthResult::Environment : OAuthResult::Failed,
                    withAuditNote(QStringLiteral("could not revoke the token (%1); it was kept. Try again, or "
                                                 "disconnect with --force to forget it locally")
                                      .arg(reply.message),
                        recorded),
                    reply.error));
            }
            forget(reply.outcome == TokenReply::Ok, record, done);
        });
}

void OAuthSession::forget(bool revoked, std::optional<OAuthConnection> record, Done done)
{
    const QString id = m_workspace->id();
    KeychainSteps::removeAll(m_store, {OAuthKeychain::accessToken(id), OAuthKeychain::refreshToken(id)}, this,
        [this, revoked, record, done](SecretResult removed) {
            if (!removed.ok())
                return done(
                    keychainFailure(removed, QStringLiteral("deleting the tokens from the keychain")));
            const Status s = m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
                if (Status gone = OAuthRecord::remove(db); !gone)
                    return gone;
                entries << m_workspace->makeEntry(QStringLiteral("oauth.disconnect"), {},
                    QStringLiteral("oauth:klaviyo"),
                    {{QStringLiteral("revoked"), revoked},
                        {QStringLiteral("accountId"), record ? record->accountId : QString()},
                        {QStringLiteral("organizationName"), record ? record->organizationName : QString()}});
                return Status::ok();
            });
            if (!s)
                return done(OAuthResult::failure(OAuthResult::Environment, s.message()));
            emit connectionChanged();
            OAuthResult r = OAuthResult::success();
            if (!revoked)
                r.warning
                    = QStringLiteral("the token was not revoked at Klaviyo (none stored, already invalid, "
                                     "or forced); remove the app in Klaviyo if it is still listed");
            done(r);
        });
}

} // namespace rbac
