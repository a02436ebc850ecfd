#pragma once

#include "keychain/SecretStore.h"

#include <QList>
#include <QPair>

#include <functional>

namespace rbac::KeychainSteps {

// Several keychain operations one after the other (QtKeychain runs jobs one at a time anyway),
// stopping at the first failure. `done` gets the failing result, or Ok with the secrets read,
// in order; the receiver wipes them.

using ReadDone = std::function<void(SecretResult failure, QList<QByteArray> secrets)>;
// A NotFound for an entry in `optional` is not a failure: its slot stays empty.
void readAll(SecretStore* store,
    const QStringList& entries,
    const QStringList& optional,
    QObject* context,
    ReadDone done);

using Done = std::function<void(SecretResult result)>;
// Writes entry/secret pairs; the secrets are wiped once written or abandoned.
void writeAll(SecretStore* store, QList<QPair<QString, QByteArray>> items, QObject* context, Done done);
// Removes entries; NotFound counts as removed.
void removeAll(SecretStore* store, const QStringList& entries, QObject* context, Done done);

} // namespace rbac::KeychainSteps
