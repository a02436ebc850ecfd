#pragma once

#include <QDateTime>

namespace rbac {

// The time source for audit timestamps and key ages. Tests install their own (see tests/support).
class Clock
{
public:
    virtual ~Clock() = default;

    static QDateTime nowUtc();
    // Replaces the process-wide clock; nullptr restores the system clock. Not owned.
    static void setInstance(Clock* clock);

protected:
    virtual QDateTime currentUtc() const;
};

// ISO-8601 UTC with milliseconds, e.g. 2026-11-26T14:25:02.123Z — the audit log's `ts` format.
QString isoUtc(const QDateTime& time);

} // namespace rbac
