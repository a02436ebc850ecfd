#pragma once

#include "base/Clock.h"

namespace rbac::test {

// A clock that stands still until told to move; installs itself for its lifetime.
class MockClock : public Clock
{
public:
    explicit MockClock(const QDateTime& start = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5, 678), Qt::UTC));
    ~MockClock() override;

    void set(const QDateTime& time) { m_now = time.toUTC(); }
    void advanceMs(qint64 ms) { m_now = m_now.addMSecs(ms); }

protected:
    QDateTime currentUtc() const override { return m_now; }

private:
    QDateTime m_now;
};

} // namespace rbac::test
