#pragma once

#include "klaviyo/KlaviyoConfig.h"
#include "klaviyo/RatePacer.h"
#include "policy/ScopeCatalog.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace rbac {

class Timing;

struct KlaviyoRequest
{
    QString path;  // e.g. "/api/accounts"
    QString query; // e.g. "page[size]=1", without "?"
    QString revision;
    RateLimit rateLimit; // the endpoint's published limit, for pacing
};

// The end of one call, after pacing and retries.
struct KlaviyoReply
{
    enum Outcome
    {
        Answered, // a final HTTP status (2xx, or a 4xx other than 429)
        Failed,   // network errors, timeouts, 5xx or 429 beyond the retry budget; see `error`
        Cancelled,
    };
    Outcome outcome = Failed;
    int status = 0;  // the last HTTP status, 0 when none arrived
    QByteArray body; // the last body, untrusted
    QString error;   // for people; never contains the key
    int attempts = 0;
    qint64 waitedMs = 0; // spent waiting for pacing, Retry-After and backoff
};

class KlaviyoClient;

// One GET in flight. Owned by the client; the receiver of `finished` may deleteLater() it.
class KlaviyoCall : public QObject
{
    Q_OBJECT

public:
    ~KlaviyoCall() override;
    const KlaviyoReply& reply() const { return m_reply; }
    void cancel();

signals:
    void finished();

private:
    friend class KlaviyoClient;
    KlaviyoCall(KlaviyoClient* client, KlaviyoRequest request, const QByteArray& key);
    void schedule(qint64 delayMs);
    void attempt();
    void send();
    void onReplyFinished();
    void finish(KlaviyoReply::Outcome outcome, const QString& error = {});
    QString endpoint() const;

    KlaviyoClient* m_client;
    KlaviyoRequest m_request;
    QByteArray m_key;
    QPointer<QNetworkReply> m_network;
    KlaviyoReply m_reply;
    int m_serverRetries = 0;
    int m_throttleRetries = 0;
    bool m_done = false;
};

// GET requests to Klaviyo's API with a private key: paced to each endpoint's rate limit, 429
// honoured (Retry-After, else the seconds in the error detail, else exponential backoff), 5xx
// and timeouts retried a bounded number of times. Never follows redirects: the key travels in a
// header, and a redirect could carry it to another host.
class KlaviyoClient : public QObject
{
    Q_OBJECT

public:
    explicit KlaviyoClient(KlaviyoConfig config, Timing* timing = nullptr, QObject* parent = nullptr);

    KlaviyoCall* get(const KlaviyoRequest& request, const QByteArray& key);

    const KlaviyoConfig& config() const { return m_config; }
    Timing& timing() const { return *m_timing; }
    RatePacer& pacer() { return m_pacer; }

private:
    friend class KlaviyoCall;
    KlaviyoConfig m_config;
    Timing* m_timing;
    RatePacer m_pacer;
    QNetworkAccessManager* m_network;
};

} // namespace rbac
