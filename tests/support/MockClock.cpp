#include "MockClock.h"

namespace rbac::test {

MockClock::MockClock(const QDateTime& start)
    : m_now(start.toUTC())
{
    Clock::setInstance(this);
}

MockClock::~MockClock()
{
    Clock::setInstance(nullptr);
}

} // namespace rbac::test
