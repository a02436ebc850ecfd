#include "policy/ScopeCatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rbac {

namespace {

QStringList toStringList(const QJsonValue& value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& item : array)
        out << item.toString();
    return out;
}

RateLimit toRateLimit(const QJsonValue& value)
{
    const QJsonObject o = value.toObject();
    return {o.value(QLatin1String("burst")).toString(), o.value(QLatin1String("steady")).toString(),
        o.value(QLatin1String("daily")).toString()};
}

} // namespace

const ScopeCatalog& ScopeCatalog::builtin()
{
    static const ScopeCatalog catalog = [] {
        QFile file(QStringLiteral(":/klaviyo/scope-catalog.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("scope catalog resource missing");
        Expected<ScopeCatalog> parsed = fromJson(file.readAll());
        if (!parsed)
            qFatal("scope catalog resource invalid: %s", qPrintable(parsed.status().message()));
        return parsed.value();
    }();
    return catalog;
}

Expected<ScopeCatalog> ScopeCatalog::fromJson(const QByteArray& json)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Status::error(ErrorKind::InvalidInput,
            QStringLiteral("scope catalog is not JSON: %1").arg(error.errorString()));
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String("klaviyo-rbac-scope-catalog"))
        return Status::error(ErrorKind::InvalidInput, QStringLiteral("not a scope catalog"));

    ScopeCatalog catalog;
    const QJsonObject source = root.value(QLatin1String("source")).toObject();
    catalog.m_stableRevision = source.value(QLatin1String("stableRevision")).toString();
    catalog.m_betaRevision = source.value(QLatin1String("betaRevision")).toString();
    catalog.m_stableSpecSha256 = source.value(QLatin1String("stableSha256")).toString();
    catalog.m_scopes = toStringList(root.value(QLatin1String("scopes")));
    for (const QString& scope : std::as_const(catalog.m_scopes))
        catalog.m_scopeSet.insert(scope, true);

    const QJsonArray operations = root.value(QLatin1String("operations")).toArray();
    catalog.m_operations.reserve(operations.size());
    for (const QJsonValue& value : operations) {
        const QJsonObject o = value.toObject();
        ApiOperation op;
        op.id = o.value(QLatin1String("id")).toString();
        op.method = o.value(QLatin1String("method")).toString();
        op.path = o.value(QLatin1String("path")).toString();
        op.channel = o.value(QLatin1String("channel")).toString();
        op.summary = o.value(QLatin1String("summary")).toString();
        op.scopes = toStringList(o.value(QLatin1String("scopes")));
        op.publicKey = o.value(QLatin1String("publicKey")).toBool();
        op.rateLimit = toRateLimit(o.value(QLatin1String("ratelimit")));
        for (const QString& scope : std::as_const(op.scopes)) {
            if (!catalog.m_scopeSet.contains(scope))
                return Status::error(ErrorKind::InvalidInput,
                    QStringLiteral("operation %1 needs unknown scope %2").arg(op.id, scope));
        }
        catalog.m_operationIndex.insert(op.id, int(catalog.m_operations.size()));
        catalog.m_operations.append(op);
    }

    const QJsonObject probes = root.value(QLatin1String("probes")).toObject();
    for (auto it = probes.begin(); it != probes.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        ScopeProbe probe;
        probe.scope = it.key();
        probe.operationId = o.value(QLatin1String("operationId")).toString();
        probe.method = o.value(QLatin1String("method")).toString();
        probe.path = o.value(QLatin1String("path")).toString();
        probe.channel = o.value(QLatin1String("channel")).toString();
        probe.query = o.value(QLatin1String("query")).toString();
        probe.scopes = toStringList(o.value(QLatin1String("scopes")));
        probe.rateLimit = toRateLimit(o.value(QLatin1String("ratelimit")));
        probe.notes = toStringList(o.value(QLatin1String("notes")));
        catalog.m_probes.append(probe);
    }
    return catalog;
}

const ApiOperation* ScopeCatalog::operation(const QString& id) const
{
    const auto it = m_operationIndex.constFind(id);
    return it == m_operationIndex.constEnd() ? nullptr : &m_operations.at(*it);
}

} // namespace rbac
