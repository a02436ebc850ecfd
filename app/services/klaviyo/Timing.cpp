#include "klaviyo/Timing.h"

#include <QElapsedTimer>
#include <QTimer>

namespace rbac {

namespace {

class SystemTiming : public Timing
{
public:
    SystemTiming() { m_clock.start(); }
    qint64 nowMs() const override { return m_clock.elapsed(); }
    void after(qint64 ms, QObject* context, std::function<void()> fn) override
    {
        QTimer::singleShot(std::chrono::milliseconds(ms), Qt::PreciseTimer, context, std::move(fn));
    }

private:
    QElapsedTimer m_clock;
};

} // namespace

Timing& Timing::system()
{
    static SystemTiming timing;
    return timing;
}

} // namespace rbac
