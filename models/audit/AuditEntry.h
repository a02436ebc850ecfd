#pragma once

#include <QString>
#include <QTypeInfo>

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
    // Not stored. Set for imported entries: `ts` is the time the enforcing service recorded
    // (validated and normalised), and AuditLog::append keeps it instead of stamping the clock.
    bool keepTimestamp = false;
};

} // namespace rbac

// Strings and integers only: lists of entries may move them in memory wholesale when they grow.
Q_DECLARE_TYPEINFO(rbac::AuditEntry, Q_RELOCATABLE_TYPE);

namespace rbac {

namespace AuditChain {

// prev_hash of the first entry: 64 zeros.
QString genesisHash();

// hash = hex(SHA-256(prev_hash "\n" then each field as <utf8 byte length> ":" <utf8 bytes> "\n")),
// fields in order id, ts, actor, role, action, resource, success (0/1), details.
// Length prefixes make the encoding unambiguous whatever the fields contain.
QString computeHash(const AuditEntry& entry, const QString& prevHash);

} // namespace AuditChain
} // namespace rbac
