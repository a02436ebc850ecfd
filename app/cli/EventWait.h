#pragma once

#include <QEventLoop>
#include <QTimer>

namespace rbac::cli {

// The CLI is synchronous, the keychain and the network are not: run an event loop until the
// callback calls done(), or the timeout passes (then wait() returns false).
class EventWait
{
public:
    void done()
    {
        m_done = true;
        m_loop.quit();
    }
    bool wait(int timeoutMs)
    {
        if (!m_done) {
            QTimer::singleShot(timeoutMs, &m_loop, &QEventLoop::quit);
            m_loop.exec();
        }
        return m_done;
    }

private:
    QEventLoop m_loop;
    bool m_done = false;
};

} // namespace rbac::cli
