#include "klaviyo/KeyVerifier.h"

#include "base/Clock.h"
#include "klaviyo/KlaviyoClient.h"
#include "klaviyo/KlaviyoConfig.h"
#include "klaviyo/KlaviyoResponses.h"
#include "keychain/SecretBytes.h"
#include "klaviyo/Timing.h"

#include <algorithm>

namespace rbac {

namespace {

const QString accountsScope = QStringLiteral("accounts:read");

QString statusText(const KlaviyoReply& reply)
{
    const QString summary = KlaviyoResponses::errorSummary(reply.body);
    return summary.isEmpty() ? QStringLiteral("HTTP %1").arg(reply.status)
                             : QStringLiteral("HTTP %1: %2").arg(reply.status).arg(summary);
}

} // namespace

KeyVerifier::KeyVerifier(KlaviyoClient* client, const ScopeCatalog& catalog, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_catalog(catalog)
{
}

Expected<std::unique_ptr<KeyVerifier>> KeyVerifier::forWorkspace(const Workspace& workspace, QObject* parent)
{
    Expected<KlaviyoConfig> config = KlaviyoConfig::fromWorkspace(workspace);
    if (!config)
        return config.status();
    auto client = std::make_unique<KlaviyoClient>(*config);
    auto verifier = std::make_unique<KeyVerifier>(client.get(), ScopeCatalog::builtin(), parent);
    verifier->m_ownedClient = std::move(client);
    return Expected<std::unique_ptr<KeyVerifier>>(std::move(verifier));
}

KeyVerifier::~KeyVerifier()
{
    if (m_call)
        m_call->cancel();
    wipe(m_key);
}

void KeyVerifier::start(const QByteArray& key, const QStringList& requiredScopes)
{
    Q_ASSERT(!m_running);
    m_key = key;
    m_key.detach();
    m_required = requiredScopes;
    m_result = KeyVerification();
    m_result.revision = m_client->config().revision;
    m_running = true;
    m_done = 0;
    m_requests = 0;
    m_waitedMs = 0;
    m_startedMs = m_client->timing().nowMs();
    if (m_cancelPending) {
        m_cancelPending = false;
        return finish(KeyVerification::Verdict::Cancelled, QStringLiteral("cancelled"));
    }

    // Single-scope probes first: a two-scope probe's 403 can be read only once the other scope
    // is known to be granted.
    m_queue.clear();
    for (const ScopeProbe& probe : m_catalog.probes()) {
        if (probe.scope != accountsScope)
            m_queue.append(probe);
    }
    std::stable_sort(m_queue.begin(), m_queue.end(),
        [](const ScopeProbe& a, const ScopeProbe& b) { return a.scopes.size() < b.scopes.size(); });
    m_total = 1 + int(std::count_if(m_queue.cbegin(), m_queue.cend(), [](const ScopeProbe& p) {
        return !p.path.contains(QLatin1Char('{'));
    }));
    checkAccount();
}

KlaviyoCall* KeyVerifier::get(const QString& path, const QString& query, bool beta, const RateLimit& limit)
{
    const KlaviyoConfig& config = m_client->config();
    ++m_requests;
    KlaviyoCall* call
        = m_client->get({path, query, beta ? config.betaRevision() : config.revision, limit}, m_key);
    m_call = call;
    return call;
}

void KeyVerifier::checkAccount()
{
    RateLimit limit {QStringLiteral("1/s"), QStringLiteral("15/m"), {}};
    for (const ScopeProbe& p : m_catalog.probes()) {
        if (p.scope == accountsScope)
            limit = p.rateLimit;
    }
    emit progress(m_done, m_total, tr("Checking which account the key belongs to"));
    KlaviyoCall* call = get(QStringLiteral("/api/accounts"), {}, false, limit);
    connect(call, &KlaviyoCall::finished, this, &KeyVerifier::onAccount);
}

void KeyVerifier::onAccount()
{
    KlaviyoCall* call = m_call;
    m_call = nullptr;
    if (!call || !m_running)
        return;
    call->deleteLater();
    const KlaviyoReply reply = call->reply();
    m_waitedMs += reply.waitedMs;
    ++m_done;
    if (reply.outcome == KlaviyoReply::Cancelled)
        return finish(KeyVerification::Verdict::Cancelled, QStringLiteral("cancelled"));
    if (reply.outcome == KlaviyoReply::Failed)
        return finish(KeyVerification::Verdict::Failed, reply.error);
    ScopeCheck check {accountsScope, ScopeFinding::Granted, reply.status, {}};
    switch (reply.status) {
    case 200: {
        Expected<KlaviyoAccount> account = KlaviyoResponses::parseAccounts(reply.body);
        if (!account)
            return finish(KeyVerification::Verdict::Failed, account.status().message());
        m_result.hasAccount = true;
        m_result.account = *account;
        break;
    }
    case 401:
        return finish(KeyVerification::Verdict::BadKey,
            QStringLiteral("Klaviyo does not accept this key (%1)").arg(statusText(reply)));
    case 403:
        check.finding = ScopeFinding::Lacking;
        check.note = QStringLiteral("without accounts:read the console cannot tell which account the key "
                                    "belongs to");
        break;
    default:
        return finish(KeyVerification::Verdict::Failed,
            QStringLiteral("Klaviyo answered GET /api/accounts with %1 (is the base URL %2 right?)")
                .arg(statusText(reply), m_client->config().baseUrl.toString()));
    }
    m_result.checks.append(check);
    nextProbe();
}

ScopeFinding KeyVerifier::findingOf(const QString& scope) const
{
    for (const ScopeCheck& c : m_result.checks) {
        if (c.scope == scope)
            return c.finding;
    }
    return ScopeFinding::Inconclusive;
}

void KeyVerifier::nextProbe()
{
    while (!m_queue.isEmpty()) {
        m_current = m_queue.takeFirst();
        if (m_current.path.contains(QLatin1Char('{'))) {
            m_result.checks.append({m_current.scope, ScopeFinding::Unprobeable, 0,
                QStringLiteral("its only read needs a resource id in the path (%1)").arg(m_current.path)});
            continue;
        }
        emit progress(m_done, m_total, tr("Probing %1").arg(m_current.scope));
        KlaviyoCall* call = get(
            m_current.path, m_current.query, m_current.channel == QLatin1String("beta"), m_current.rateLimit);
        connect(call, &KlaviyoCall::finished, this, &KeyVerifier::onProbe);
        return;
    }
    finish(KeyVerification::Verdict::Verified); // refined against the required scopes in finish()
}

void KeyVerifier::onProbe()
{
    KlaviyoCall* call = m_call;
    m_call = nullptr;
    if (!call || !m_running)
        return;
    call->deleteLater();
    const KlaviyoReply reply = call->reply();
    m_waitedMs += reply.waitedMs;
    ++m_done;
    if (reply.outcome == KlaviyoReply::Cancelled)
        return finish(KeyVerification::Verdict::Cancelled, QStringLiteral("cancelled"));
    ScopeCheck check {m_current.scope, ScopeFinding::Inconclusive, reply.status, {}};
    if (reply.outcome == KlaviyoReply::Failed) {
        // Unreachable or throttled beyond the budget: later probes would only fare worse.
        if (reply.status == 0 || reply.status == 429)
            return finish(KeyVerification::Verdict::Failed, reply.error);
        check.note = reply.error;
        m_result.checks.append(check);
        return nextProbe();
    }
    if (reply.status == 200) {
        check.finding = ScopeFinding::Granted;
    } else if (reply.status == 401) {
        return finish(KeyVerification::Verdict::BadKey,
            QStringLiteral("Klaviyo stopped accepting this key during the check (%1)")
                .arg(statusText(reply)));
    } else if (reply.status == 403) {
        QStringList others = m_current.scopes;
        others.removeAll(m_current.scope);
        const bool othersGranted = std::all_of(others.cbegin(), others.cend(),
            [this](const QString& s) { return findingOf(s) == ScopeFinding::Granted; });
        if (others.isEmpty()) {
            check.finding = ScopeFinding::Lacking;
        } else if (othersGranted) {
            // The probe needs exactly these scopes and the others are confirmed: this one is lacking.
            check.finding = ScopeFinding::Lacking;
            check.note = QStringLiteral("its probe also needs %1, which the key has")
                             .arg(others.join(QStringLiteral(", ")));
        } else {
            check.finding = ScopeFinding::Ambiguous;
            check.note
                = QStringLiteral("its probe also needs %1, which the key may lack: a 403 cannot tell which "
                                 "is missing")
                      .arg(others.join(QStringLiteral(", ")));
        }
    } else {
        check.note = QStringLiteral("unexpected answer %1").arg(statusText(reply));
    }
    m_result.checks.append(check);
    nextProbe();
}

void KeyVerifier::cancel()
{
    if (!m_running) {
        m_cancelPending = true;
        return;
    }
    if (KlaviyoCall* call = m_call) {
        m_call = nullptr;
        call->cancel();
        call->deleteLater();
    }
    finish(KeyVerification::Verdict::Cancelled, QStringLiteral("cancelled"));
}

void KeyVerifier::finish(KeyVerification::Verdict verdict, const QString& message)
{
    if (!m_running)
        return;
    m_running = false;
    wipe(m_key);
    m_queue.clear();
    m_result.checkedAt = isoUtc(Clock::nowUtc());
    m_result.message = message;
    m_result.verdict = verdict;
    if (verdict == KeyVerification::Verdict::Verified)
        m_result.verdict = m_result.assess(m_required).verdict;
    // Keep the catalog order in what is stored and shown.
    QHash<QString, int> order;
    for (const ScopeProbe& p : m_catalog.probes())
        order.insert(p.scope, int(order.size()));
    std::stable_sort(
        m_result.checks.begin(), m_result.checks.end(), [&order](const ScopeCheck& a, const ScopeCheck& b) {
            return order.value(a.scope) < order.value(b.scope);
        });
    m_elapsedMs = m_client->timing().nowMs() - m_startedMs;
    emit progress(m_done, m_total, tr("Done"));
    emit finished();
}

} // namespace rbac
