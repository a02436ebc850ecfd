#include "base/Clock.h"

namespace rbac {

namespace {
Clock systemClock;
Clock* activeClock = &systemClock;
} // namespace

QDateTime Clock::nowUtc()
{
    return activeClock->currentUtc();
}

void Clock::setInstance(Clock* clock)
{
    activeClock = clock ? clock : &systemClock;
}

QDateTime Clock::currentUtc() const
{
    return QDateTime::currentDateTimeUtc();
}

QString isoUtc(const QDateTime& time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

} // namespace rbac
