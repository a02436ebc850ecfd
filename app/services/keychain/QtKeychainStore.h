#pragma once

#include "keychain/SecretStore.h"

namespace rbac {

// The OS keychain through QtKeychain (the Secret Service on Linux). Entries live under the
// service name below; QtKeychain's plaintext fallback is never enabled.
class QtKeychainStore : public SecretStore
{
public:
    static QString serviceName() { return QStringLiteral("klaviyo-rbac-console"); }
    // A Secret Service that never answers (a prompt nobody sees, a hung daemon) must not hang us.
    static constexpr int defaultTimeoutMs = 20000;
    // For the console: an unlock prompt waits for a person to type the keyring password.
    static constexpr int interactiveTimeoutMs = 120000;

    explicit QtKeychainStore(int timeoutMs = defaultTimeoutMs);

    void read(const QString& entry, QObject* context, Callback done) override;
    void write(const QString& entry, const QByteArray& secret, QObject* context, Callback done) override;
    void remove(const QString& entry, QObject* context, Callback done) override;
    QString name() const override;

private:
    int m_timeoutMs;
};

} // namespace rbac
