#pragma once

#include <QByteArray>
#include <QString>

namespace rbac::ApiKeyFormat {

// A Klaviyo private key as pasted: "pk_" and then letters and digits (docs/klaviyo.md §6). Surrounding
// whitespace (a trailing newline from a pipe or a paste) is not part of the key.
QByteArray trimmed(const QByteArray& pasted);

// Whether `key` (already trimmed) has the private-key form. Says nothing about whether Klaviyo
// accepts it; that is what verification is for.
bool isPrivateKey(const QByteArray& key);

// Why `key` is not a private key, in words that never repeat the key itself; empty when it is one.
QString problem(const QByteArray& key);

// The last four characters: the only part of a key the workspace, the audit log and the screen keep.
QString last4(const QByteArray& key);

// "pk_…abcd": how every message and table shows a key.
QString masked(const QString& last4);

} // namespace rbac::ApiKeyFormat
