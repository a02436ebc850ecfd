#include "klaviyo/RatePacer.h"

#include <algorithm>

namespace rbac {

QVector<RatePacer::Window> RatePacer::windows(const RateLimit& limit, QStringList* problems)
{
    QVector<Window> out;
    for (const QString& text : {limit.burst, limit.steady, limit.daily}) {
        if (text.isEmpty())
            continue;
        const qsizetype slash = text.indexOf(QLatin1Char('/'));
        bool ok = false;
        const int count = slash > 0 ? text.left(slash).trimmed().toInt(&ok) : 0;
        const QString unit = slash > 0 ? text.mid(slash + 1).trimmed() : QString();
        qint64 lengthMs = 0;
        if (unit == QLatin1String("s"))
            lengthMs = 1000;
        else if (unit == QLatin1String("m"))
            lengthMs = 60 * 1000;
        else if (unit == QLatin1String("h"))
            lengthMs = 60 * 60 * 1000;
        else if (unit == QLatin1String("d"))
            lengthMs = 24 * 60 * 60 * 1000;
        if (!ok || count < 1 || lengthMs == 0) {
            if (problems)
                *problems << QStringLiteral("unknown rate limit '%1'").arg(text);
            continue;
        }
        out.append({count, lengthMs});
    }
    return out;
}

qint64 RatePacer::delayMs(const QString& endpoint, const RateLimit& limit, qint64 nowMs) const
{
    const auto it = m_history.constFind(endpoint);
    if (it == m_history.constEnd())
        return 0;
    qint64 readyAt = std::max(nowMs, it->heldUntil);
    const std::deque<qint64>& sends = it->sends;
    for (const Window& w : windows(limit)) {
        // The sends still inside the (margin-widened) window ending at readyAt; if there are
        // `count` or more, the next one waits until enough of them have aged out.
        const qint64 length = w.lengthMs + m_marginMs;
        const auto firstInside = std::upper_bound(sends.cbegin(), sends.cend(), readyAt - length);
        const qint64 inside = sends.cend() - firstInside;
        if (inside >= w.count) {
            const qint64 mustAgeOut = *(firstInside + (inside - w.count));
            readyAt = std::max(readyAt, mustAgeOut + length);
        }
    }
    return readyAt - nowMs;
}

void RatePacer::recordSend(const QString& endpoint, const RateLimit& limit, qint64 nowMs)
{
    History& h = m_history[endpoint];
    h.sends.push_back(nowMs);
    // Keep only what the longest window still counts.
    qint64 longest = 0;
    for (const Window& w : windows(limit))
        longest = std::max(longest, w.lengthMs);
    while (!h.sends.empty() && h.sends.front() <= nowMs - longest - m_marginMs)
        h.sends.pop_front();
}

void RatePacer::holdUntil(const QString& endpoint, qint64 untilMs)
{
    History& h = m_history[endpoint];
    h.heldUntil = std::max(h.heldUntil, untilMs);
}

} // namespace rbac
