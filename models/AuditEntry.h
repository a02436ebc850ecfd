#pragma once

#include <QString>

namespace rbac {

// One row of `audit_log`. See README.md ("Audit log") for the schema and the hash rule.
struct AuditEntry
{
    qint64 id = 0;
    QString ts; // ISO-8601 UTC with milliseconds
    QString actor;
    QString role; // for console changes: the role the change concerns, else empty
    QString action;
    QString resource;
    bool success = true;
    QString details = QStringLiteral("{}"); // compact JSON; for changes {"before":…,"after":…}
    QString prevHash;
    QString hash;
};

namespace AuditChain {

// prev_hash of the first entry: 64 zeros.
QString genesisHash();

// hash = hex(SHA-256(prev_hash "\n" then each field as <utf8 byte length> ":" <utf8 bytes> "\n")),
// fields in order id, ts, actor, role, action, resource, success (0/1), details.
// Length prefixes make the encoding unambiguous whatever the fields contain.
QString computeHash(const AuditEntry& entry, const QString& prevHash);

} // namespace AuditChain
} // namespace rbac
