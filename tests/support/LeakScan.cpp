#include "LeakScan.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QString>

namespace rbac::test {

QVector<QByteArray> leakForms(const QByteArray& secret)
{
    return {secret, secret.mid(3), secret.toBase64(), secret.mid(3).toBase64(), secret.toHex(),
        QByteArray(reinterpret_cast<const char*>(QString::fromLatin1(secret).utf16()), secret.size() * 2)};
}

LeakScan scanForLeaks(const QStringList& roots, const QList<QByteArray>& secrets)
{
    LeakScan scan;
    for (const QString& root : roots) {
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
            QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            const QByteArray content = file.readAll();
            ++scan.scanned;
            for (const QByteArray& secret : secrets) {
                if (secret.size() < 8)
                    continue;
                for (const QByteArray& form : leakForms(secret)) {
                    if (content.contains(form)) {
                        scan.leaks << QStringLiteral("%1: %2…").arg(
                            path, QString::fromLatin1(secret.left(6)));
                        if (!scan.files.contains(path))
                            scan.files << path;
                        break;
                    }
                }
            }
        }
    }
    return scan;
}

} // namespace rbac::test
