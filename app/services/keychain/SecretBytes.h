#pragma once

#include <QByteArray>

namespace rbac {

// Overwrites a secret's bytes before the buffer is released, then empties it. Only a buffer this
// QByteArray owns alone is overwritten: a shared one may still be in use by its other holder (a
// request in flight), and literal data is read-only. Qt's own internal copies (request headers,
// D-Bus messages) are out of reach; this keeps at least our buffers from lingering in freed heap.
void wipe(QByteArray& secret);
// The overwrite alone: the buffer keeps its size, filled with zeros (when owned alone).
void zeroInPlace(QByteArray& secret);

// Wipes the referenced buffer when the scope ends, whichever way it ends.
class WipeOnExit
{
public:
    explicit WipeOnExit(QByteArray& secret)
        : m_secret(secret)
    {
    }
    ~WipeOnExit() { wipe(m_secret); }
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;

private:
    QByteArray& m_secret;
};

} // namespace rbac
