#pragma once

#include "base/Status.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace rbac {

struct RateLimit
{
    QString burst;  // e.g. "10/s"
    QString steady; // e.g. "150/m"
    QString daily;  // e.g. "150/d", often empty
};

// One Klaviyo API operation and the scopes it needs (all of them).
struct ApiOperation
{
    QString id; // operationId, e.g. "get_profiles"
    QString method;
    QString path;
    QString channel; // "stable" or "beta"
    QString summary;
    QStringList scopes;
    bool publicKey = false; // /client/ operations use the public key, not scopes
    RateLimit rateLimit;
};

// A cheap read that tells whether a key holds one read scope.
struct ScopeProbe
{
    QString scope;
    QString operationId;
    QString method;
    QString path;
    QString channel;
    QString query;
    QStringList scopes;
    RateLimit rateLimit;
    QStringList notes;
};

// Klaviyo's scopes and which operations need them, generated from the official OpenAPI spec
// (resources/klaviyo/generate_scope_catalog.py) and embedded as a resource.
class ScopeCatalog
{
public:
    static const ScopeCatalog& builtin();
    static Expected<ScopeCatalog> fromJson(const QByteArray& json);

    // Every key needs it so the console can check which account a key belongs to.
    static QString baselineScope() { return QStringLiteral("accounts:read"); }

    const QStringList& scopes() const { return m_scopes; }
    bool hasScope(const QString& scope) const { return m_scopeSet.contains(scope); }
    const QVector<ApiOperation>& operations() const { return m_operations; }
    const ApiOperation* operation(const QString& id) const;
    const QVector<ScopeProbe>& probes() const { return m_probes; }
    QString stableRevision() const { return m_stableRevision; }
    QString betaRevision() const { return m_betaRevision; }
    // SHA-256 of the stable spec file the catalog was generated from.
    QString stableSpecSha256() const { return m_stableSpecSha256; }

private:
    QStringList m_scopes;
    QHash<QString, bool> m_scopeSet;
    QVector<ApiOperation> m_operations;
    QHash<QString, int> m_operationIndex;
    QVector<ScopeProbe> m_probes;
    QString m_stableRevision;
    QString m_betaRevision;
    QString m_stableSpecSha256;
};

} // namespace rbac
