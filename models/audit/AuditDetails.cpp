#include "audit/AuditDetails.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace rbac::AuditDetails {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("AuditDetails", text);
}

QString compact(const QJsonValue& v)
{
    if (v.isUndefined())
        return tr("(none)");
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isString())
        return QLatin1Char('"') + v.toString() + QLatin1Char('"');
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull())
        return QStringLiteral("null");
    return QString::number(v.toDouble(), 'g', 15);
}

// Objects are walked into dotted paths so a change deep inside shows as one line; arrays and
// scalars are compared whole.
void flatten(const QJsonValue& v, const QString& path, QMap<QString, QJsonValue>& out)
{
    if (v.isObject() && !v.toObject().isEmpty()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(), out);
        return;
    }
    out.insert(path.isEmpty() ? tr("value") : path, v);
}

} // namespace

QString prettyJson(const QString& details)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(details.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return details;
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

QStringList changes(const QString& details)
{
    const QJsonObject o = QJsonDocument::fromJson(details.toUtf8()).object();
    if (!o.contains(QLatin1String("before")) && !o.contains(QLatin1String("after")))
        return {};
    QMap<QString, QJsonValue> before;
    QMap<QString, QJsonValue> after;
    if (o.contains(QLatin1String("before")))
        flatten(o.value(QLatin1String("before")), QString(), before);
    if (o.contains(QLatin1String("after")))
        flatten(o.value(QLatin1String("after")), QString(), after);
    QStringList keys = before.keys() + after.keys();
    keys.removeDuplicates();
    keys.sort();
    QStringList lines;
    for (const QString& key : std::as_const(keys)) {
        const QJsonValue b = before.value(key, QJsonValue(QJsonValue::Undefined));
        const QJsonValue a = after.value(key, QJsonValue(QJsonValue::Undefined));
        if (b == a)
            continue;
        lines << QStringLiteral("%1: %2 → %3").arg(key, compact(b), compact(a));
    }
    return lines;
}

QString describe(const AuditEntry& e)
{
    QStringList lines;
    const QDateTime utc = QDateTime::fromString(e.ts, Qt::ISODateWithMs);
    lines << tr("Entry %1 — %2 (local time), %3 UTC")
                 .arg(e.id)
                 .arg(utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")), e.ts);
    lines << tr("%1 did %2 on %3%4 — %5")
                 .arg(e.actor, e.action, e.resource.isEmpty() ? tr("(no resource)") : e.resource,
                     e.role.isEmpty() ? QString() : tr(" (role %1)").arg(e.role),
                     e.success ? tr("succeeded") : tr("FAILED"));
    const QJsonObject o = QJsonDocument::fromJson(e.details.toUtf8()).object();
    if (o.contains(QLatin1String("origin"))) {
        QString origin = o.value(QLatin1String("origin")).toString();
        if (o.contains(QLatin1String("source")))
            origin += tr(" — %1, line %2")
                          .arg(o.value(QLatin1String("source")).toString())
                          .arg(o.value(QLatin1String("line")).toInt());
        lines << tr("Origin: %1").arg(origin);
    }
    const QStringList changed = changes(e.details);
    if (!changed.isEmpty()) {
        lines << QString() << tr("Changes (before → after):");
        for (const QString& c : changed)
            lines << QStringLiteral("  ") + c;
    } else if (o.contains(QLatin1String("before")) || o.contains(QLatin1String("after"))) {
        lines << QString() << tr("No value changed.");
    }
    lines << QString() << tr("Hash: %1").arg(e.hash) << tr("Previous: %1").arg(e.prevHash);
    return lines.join(QLatin1Char('\n'));
}

} // namespace rbac::AuditDetails
