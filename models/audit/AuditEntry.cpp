#include "audit/AuditEntry.h"

#include <QCryptographicHash>

namespace rbac::AuditChain {

QString genesisHash()
{
    return QString(64, QLatin1Char('0'));
}

QString computeHash(const AuditEntry& entry, const QString& prevHash)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(prevHash.toUtf8());
    hash.addData(QByteArrayView("\n"));
    const auto field = [&hash](const QString& value) {
        const QByteArray bytes = value.toUtf8();
        hash.addData(QByteArray::number(bytes.size()));
        hash.addData(QByteArrayView(":"));
        hash.addData(bytes);
        hash.addData(QByteArrayView("\n"));
    };
    field(QString::number(entry.id));
    field(entry.ts);
    field(entry.actor);
    field(entry.role);
    field(entry.action);
    field(entry.resource);
    field(entry.success ? QStringLiteral("1") : QStringLiteral("0"));
    field(entry.details);
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace rbac::AuditChain
