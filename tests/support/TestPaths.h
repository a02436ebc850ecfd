#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QString>

namespace rbac::test {

inline QString cliPath()
{
    return QStringLiteral(RBAC_CLI_PATH);
}

inline QString sourceDir()
{
    return QStringLiteral(RBAC_TEST_SOURCE_DIR);
}

// SHA-256 of a file's bytes, for "byte-for-byte unchanged" checks.
inline QByteArray fileDigest(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace rbac::test
