#include "keychain/MemorySecretStore.h"

#include "keychain/SecretBytes.h"

#include <QMetaObject>
#include <QPointer>

namespace rbac {

MemorySecretStore::~MemorySecretStore()
{
    for (QByteArray& secret : m_entries)
        wipe(secret);
}

void MemorySecretStore::deliver(QObject* context, Callback done, SecretResult result)
{
    ++m_operations;
    // Queued, like the real keychain: callers must not rely on a synchronous answer.
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); },
        Qt::QueuedConnection);
}

void MemorySecretStore::read(const QString& entry, QObject* context, Callback done)
{
    SecretResult r;
    if (m_mode == Mode::Unavailable) {
        r.code = SecretResult::Unavailable;
        r.message = QStringLiteral("no keychain service is available (test)");
    } else if (m_mode == Mode::Locked || !m_entries.contains(entry)) {
        r.code = SecretResult::NotFound;
        r.message = QStringLiteral("the keychain has no such entry, or it is locked");
    } else {
        r.data = m_entries.value(entry);
        r.data.detach();
    }
    deliver(context, std::move(done), std::move(r));
}

void MemorySecretStore::write(const QString& entry, const QByteArray& secret, QObject* context, Callback done)
{
    SecretResult r;
    if (m_mode != Mode::Available) {
        r.code = SecretResult::Unavailable;
        r.message = QStringLiteral("the keychain is locked or unavailable (test)");
    } else {
        QByteArray& slot = m_entries[entry];
        wipe(slot);
        slot = secret;
        slot.detach();
    }
    deliver(context, std::move(done), std::move(r));
}

void MemorySecretStore::remove(const QString& entry, QObject* context, Callback done)
{
    SecretResult r;
    if (m_mode == Mode::Unavailable) {
        r.code = SecretResult::Unavailable;
        r.message = QStringLiteral("no keychain service is available (test)");
    } else if (m_mode == Mode::Locked || !m_entries.contains(entry)) {
        // The Secret Service's answer for both: success, nothing deleted.
    } else {
        wipe(m_entries[entry]);
        m_entries.remove(entry);
    }
    deliver(context, std::move(done), std::move(r));
}

} // namespace rbac
