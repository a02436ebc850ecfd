#pragma once

#include "klaviyo/Timing.h"

#include <QTimer>
#include <QVector>

namespace rbac::test {

// Time that passes only when something waits for it: a 60 s rate window or a Retry-After costs
// the test nothing, and every wait the client asked for is recorded.
class VirtualTiming : public Timing
{
public:
    qint64 nowMs() const override { return m_now; }
    void after(qint64 ms, QObject* context, std::function<void()> fn) override
    {
        if (ms > 0)
            m_waits.append(ms);
        const qint64 due = m_now + ms;
        QTimer::singleShot(0, context, [this, due, fn = std::move(fn)] {
            m_now = std::max(m_now, due);
            fn();
        });
    }
    void advance(qint64 ms) { m_now += ms; }
    const QVector<qint64>& waits() const { return m_waits; }
    qint64 totalWaitMs() const
    {
        qint64 sum = 0;
        for (const qint64 w : m_waits)
            sum += w;
        return sum;
    }
    void clearWaits() { m_waits.clear(); }

private:
    qint64 m_now = 1000000;
    QVector<qint64> m_waits;
};

} // namespace rbac::test
