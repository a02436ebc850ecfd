#pragma once

#include "keychain/SecretStore.h"

#include <QHash>

namespace rbac {

// A keychain in memory for unit tests without a Secret Service. It can play the two failure modes
// the real one has: no service at all, and a locked collection (reads answer "not found").
class MemorySecretStore : public SecretStore
{
public:
    enum class Mode
    {
        Available,
        Locked,      // like a locked Secret Service: reads NotFound, writes Unavailable, and removes
                     // answer Ok while deleting nothing
        Unavailable, // like no D-Bus / no provider
    };

    ~MemorySecretStore() override;

    void read(const QString& entry, QObject* context, Callback done) override;
    void write(const QString& entry, const QByteArray& secret, QObject* context, Callback done) override;
    void remove(const QString& entry, QObject* context, Callback done) override;
    QString name() const override { return QStringLiteral("the in-memory test keychain"); }

    void setMode(Mode mode) { m_mode = mode; }
    bool contains(const QString& entry) const { return m_entries.contains(entry); }
    QByteArray value(const QString& entry) const { return m_entries.value(entry); }
    QStringList entries() const { return m_entries.keys(); }
    int operations() const { return m_operations; }

private:
    void deliver(QObject* context, Callback done, SecretResult result);

    QHash<QString, QByteArray> m_entries;
    Mode m_mode = Mode::Available;
    int m_operations = 0;
};

} // namespace rbac
