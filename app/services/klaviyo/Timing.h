#pragma once

#include <QObject>

#include <functional>

namespace rbac {

// The client's sense of time: a monotonic clock for pacing and a way to run something later.
// Tests replace it with virtual time so a 60 s rate window or a Retry-After costs nothing.
class Timing
{
public:
    virtual ~Timing() = default;
    virtual qint64 nowMs() const = 0;
    // Runs `fn` after `ms` milliseconds, unless `context` is destroyed first.
    virtual void after(qint64 ms, QObject* context, std::function<void()> fn) = 0;

    // The real clock (QElapsedTimer) and QTimer; lives for the whole program.
    static Timing& system();
};

} // namespace rbac
