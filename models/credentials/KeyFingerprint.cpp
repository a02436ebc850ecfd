#include "credentials/KeyFingerprint.h"

#include <QMessageAuthenticationCode>

namespace rbac {

QString keyFingerprint(const QString& workspaceId, const QByteArray& key)
{
    const QByteArray hmacKey = QByteArrayLiteral("klaviyo-rbac/key-fingerprint/v1/") + workspaceId.toUtf8();
    const QByteArray mac = QMessageAuthenticationCode::hash(key, hmacKey, QCryptographicHash::Sha256);
    return QString::fromLatin1(mac.left(16).toHex());
}

} // namespace rbac
