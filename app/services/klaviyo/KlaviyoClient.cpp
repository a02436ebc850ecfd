#include "klaviyo/KlaviyoClient.h"

#include "klaviyo/KlaviyoResponses.h"
#include "keychain/SecretBytes.h"
#include "klaviyo/Timing.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace rbac {

namespace {

// Bodies we read are small JSON documents; anything bigger is not an answer we understand.
constexpr qint64 maxBodyBytes = 1024 * 1024;

bool isTransient(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // a transfer timeout ends like this
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::UnknownNetworkError:
        return true;
    default:
        return false;
    }
}

} // namespace

KlaviyoClient::KlaviyoClient(KlaviyoConfig config, Timing* timing, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_timing(timing ? timing : &Timing::system())
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

KlaviyoCall* KlaviyoClient::get(const KlaviyoRequest& request, const QByteArray& key)
{
    auto* call = new KlaviyoCall(this, request, key);
    call->schedule(0);
    return call;
}

KlaviyoCall::KlaviyoCall(KlaviyoClient* client, KlaviyoRequest request, const QByteArray& key)
    : QObject(client)
    , m_client(client)
    , m_request(std::move(request))
    , m_key(key)
{
    m_key.detach(); // our own copy, wiped when the call ends
}

KlaviyoCall::~KlaviyoCall()
{
    m_done = true;
    if (QNetworkReply* reply = m_network) {
        m_network = nullptr;
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
    wipe(m_key);
}

QString KlaviyoCall::endpoint() const
{
    return QStringLiteral("GET ") + m_request.path;
}

void KlaviyoCall::schedule(qint64 delayMs)
{
    if (delayMs <= 0) {
        // Always asynchronous, so `finished` never fires before the caller has connected to it.
        m_client->timing().after(0, this, [this] { attempt(); });
        return;
    }
    m_reply.waitedMs += delayMs;
    m_client->timing().after(delayMs, this, [this] { attempt(); });
}

void KlaviyoCall::attempt()
{
    if (m_done)
        return;
    RatePacer& pacer = m_client->pacer();
    const qint64 now = m_client->timing().nowMs();
    const qint64 wait = pacer.delayMs(endpoint(), m_request.rateLimit, now);
    if (wait > 0) {
        schedule(wait);
        return;
    }
    pacer.recordSend(endpoint(), m_request.rateLimit, now);
    send();
}

void KlaviyoCall::send()
{
    const KlaviyoConfig& config = m_client->config();
    QUrl url = config.baseUrl;
    url.setPath(config.baseUrl.path() + m_request.path);
    if (!m_request.query.isEmpty())
        url.setQuery(m_request.query, QUrl::TolerantMode);
    QNetworkRequest request(url);
    QByteArray authorization = QByteArrayLiteral("Klaviyo-API-Key ") + m_key;
    request.setRawHeader("Authorization", authorization);
    wipe(authorization);
    request.setRawHeader("revision", m_request.revision.toLatin1());
    request.setRawHeader("accept", "application/vnd.api+json");
    request.setHeader(QNetworkRequest::UserAgentHeader,
        QStringLiteral("klaviyo-rbac-console/%1").arg(QLatin1String(RBAC_VERSION)));
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(config.timeoutMs);
    ++m_reply.attempts;
    m_network = m_client->m_network->get(request);
    connect(m_network, &QNetworkReply::finished, this, &KlaviyoCall::onReplyFinished);
}

void KlaviyoCall::onReplyFinished()
{
    QNetworkReply* reply = m_network;
    m_network = nullptr;
    if (!reply)
        return;
    reply->deleteLater();
    if (m_done)
        return;
    const KlaviyoConfig& config = m_client->config();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_reply.status = status;
    m_reply.body = reply->isOpen() ? reply->read(maxBodyBytes + 1) : QByteArray(); // closed after a timeout
    const qint64 backoff = config.backoffBaseMs << std::min(m_serverRetries + m_throttleRetries, 6);

    if (status == 0) {
        const QString why = reply->error() == QNetworkReply::OperationCanceledError
            ? QStringLiteral("no answer within %1 s").arg(config.timeoutMs / 1000.0)
            : reply->errorString();
        if (isTransient(reply->error()) && m_serverRetries < config.maxServerRetries) {
            ++m_serverRetries;
            schedule(backoff);
            return;
        }
        finish(KlaviyoReply::Failed,
            QStringLiteral("could not reach Klaviyo at %1 (%2) after %3 attempt(s)")
                .arg(config.baseUrl.toString(), KlaviyoResponses::sanitize(why))
                .arg(m_reply.attempts));
        return;
    }
    if (m_reply.body.size() > maxBodyBytes) {
        m_reply.body.clear();
        finish(KlaviyoReply::Failed,
            QStringLiteral("Klaviyo's answer to %1 was larger than %2 bytes")
                .arg(endpoint())
                .arg(maxBodyBytes));
        return;
    }
    if (status == 429) {
        if (m_throttleRetries >= config.maxThrottleRetries) {
            finish(KlaviyoReply::Failed,
                QStringLiteral("Klaviyo kept throttling %1 (429) after %2 attempt(s); try again in a minute")
                    .arg(endpoint())
                    .arg(m_reply.attempts));
            return;
        }
        std::optional<qint64> seconds = KlaviyoResponses::retryAfterSeconds(
            reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
        if (!seconds)
            seconds = KlaviyoResponses::secondsFromThrottleDetail(m_reply.body);
        const qint64 waitMs = seconds ? *seconds * 1000 : backoff;
        if (waitMs > config.maxWaitMs) {
            finish(KlaviyoReply::Failed,
                QStringLiteral("Klaviyo throttled %1 (429) and asks to wait %2 s; try again later")
                    .arg(endpoint())
                    .arg(waitMs / 1000));
            return;
        }
        ++m_throttleRetries;
        m_client->pacer().holdUntil(endpoint(), m_client->timing().nowMs() + waitMs);
        schedule(0); // the pacer now holds the call until Klaviyo's time is up
        return;
    }
    if (status >= 500 && status <= 599) {
        if (m_serverRetries < config.maxServerRetries) {
            ++m_serverRetries;
            schedule(backoff);
            return;
        }
        const QString summary = KlaviyoResponses::errorSummary(m_reply.body);
        finish(KlaviyoReply::Failed,
            QStringLiteral("Klaviyo answered %1 with HTTP %2%3 after %4 attempt(s)")
                .arg(endpoint())
                .arg(status)
                .arg(summary.isEmpty() ? QString() : QStringLiteral(" (") + summary + QLatin1Char(')'))
                .arg(m_reply.attempts));
        return;
    }
    finish(KlaviyoReply::Answered);
}

void KlaviyoCall::cancel()
{
    if (m_done)
        return;
    if (m_network) {
        QNetworkReply* reply = m_network;
        m_network = nullptr;
        reply->abort();
        reply->deleteLater();
    }
    finish(KlaviyoReply::Cancelled, QStringLiteral("cancelled"));
}

void KlaviyoCall::finish(KlaviyoReply::Outcome outcome, const QString& error)
{
    if (m_done)
        return;
    m_done = true;
    m_reply.outcome = outcome;
    m_reply.error = error;
    wipe(m_key);
    emit finished();
}

} // namespace rbac
