#pragma once

#include <QByteArray>
#include <QString>

namespace rbac {

// Lets a console tell whether the key in its own keychain is the one the team recorded, without
// the shared workspace ever holding the key: HMAC-SHA256 keyed per workspace (so one key has
// different fingerprints in different workspaces and cannot be looked up across them), first
// 128 bits, hex. A private key has far too much entropy to be guessed back from it.
QString keyFingerprint(const QString& workspaceId, const QByteArray& key);

} // namespace rbac
