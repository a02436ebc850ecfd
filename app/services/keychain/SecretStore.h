#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace rbac {

// The answer of one keychain operation.
struct SecretResult
{
    enum Code
    {
        Ok,
        NotFound,    // no entry, or (Secret Service) a locked collection: it answers the same way
        Unavailable, // no keychain service, locked, access denied, no answer in time
        Failed,      // the service answered with another error
    };
    Code code = Ok;
    QString message; // for people; never contains a secret
    QByteArray data; // the secret, reads only: the receiver wipes it (see SecretBytes.h)

    bool ok() const { return code == Ok; }
};

// Where role keys live: the OS keychain in the programs, an in-memory map in unit tests.
// Operations are asynchronous; `done` runs exactly once, always later from the event loop (never
// inside the call), and not at all when `context` is destroyed first.
class SecretStore
{
public:
    using Callback = std::function<void(SecretResult)>;
    virtual ~SecretStore() = default;

    virtual void read(const QString& entry, QObject* context, Callback done) = 0;
    virtual void write(const QString& entry, const QByteArray& secret, QObject* context, Callback done) = 0;
    // Ok does not prove an entry was deleted: the Secret Service answers Ok for a missing entry
    // and for a locked collection, where it deletes nothing (measured, gnome-keyring 42.1).
    virtual void remove(const QString& entry, QObject* context, Callback done) = 0;

    // What to call it in messages, e.g. "the Secret Service keyring".
    virtual QString name() const = 0;
};

} // namespace rbac
