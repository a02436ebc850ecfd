#pragma once

#include "policy/ScopeCatalog.h"

#include <QHash>
#include <QString>
#include <QVector>

#include <deque>

namespace rbac {

// Keeps requests to each Klaviyo endpoint within its published rate limit (x-klaviyo-ratelimit:
// burst per second, steady per minute, sometimes daily). Klaviyo counts in fixed windows; pacing
// with sliding windows of the same length is never looser, because every fixed window is one of
// the sliding ones. Times are milliseconds on a monotonic clock supplied by the caller.
class RatePacer
{
public:
    struct Window
    {
        int count = 0;
        qint64 lengthMs = 0;
    };

    // Requests spaced exactly one window apart by our clock can still arrive closer together at
    // Klaviyo (connection set-up and network jitter differ per request): keep this much extra.
    static constexpr qint64 defaultMarginMs = 100;

    explicit RatePacer(qint64 marginMs = defaultMarginMs)
        : m_marginMs(marginMs)
    {
    }

    // "10/s", "150/m", "225/d" → windows; unknown forms are skipped (and reported by `problems`).
    static QVector<Window> windows(const RateLimit& limit, QStringList* problems = nullptr);

    // How long to wait, from `nowMs`, before the next request to `endpoint` may go out.
    qint64 delayMs(const QString& endpoint, const RateLimit& limit, qint64 nowMs) const;
    // A request to `endpoint` went out at `nowMs`.
    void recordSend(const QString& endpoint, const RateLimit& limit, qint64 nowMs);
    // Klaviyo said 429: nothing goes to `endpoint` before `untilMs`.
    void holdUntil(const QString& endpoint, qint64 untilMs);

private:
    struct History
    {
        std::deque<qint64> sends; // ascending
        qint64 heldUntil = 0;
    };
    QHash<QString, History> m_history;
    qint64 m_marginMs;
};

} // namespace rbac
