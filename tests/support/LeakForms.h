#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

namespace rbac::test {

// The forms a secret could take on disk: as is, without a "pk_"-like prefix, base64 (QtKeychain's
// binary encoding), hex and UTF-16 (QString dumps). Leak scans look for every one of them.
inline QVector<QByteArray> leakForms(const QByteArray& secret)
{
    return {secret, secret.mid(3), secret.toBase64(), secret.mid(3).toBase64(), secret.toHex(),
        QByteArray(reinterpret_cast<const char*>(QString::fromLatin1(secret).utf16()), secret.size() * 2)};
}

} // namespace rbac::test
