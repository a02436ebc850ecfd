#pragma once

#include "audit/AuditEntry.h"

#include <QStringList>

namespace rbac {

// Turns an entry's details JSON into text a reviewer reads: what changed, from what to what.
namespace AuditDetails {

// The details JSON indented, or the raw text when it is not JSON.
QString prettyJson(const QString& details);

// For change entries ({"before":…,"after":…}): one line per changed value, by dotted path, e.g.
// "granted: false → true", "permissions: [] → [\"canReadProfiles\"]", "name: (none) → \"auditor\"".
// Empty when the details hold no before/after.
QStringList changes(const QString& details);

// A few lines for the details pane: who did what to which resource, when (local and UTC), the
// result, the origin, then the changes.
QString describe(const AuditEntry& entry);

} // namespace AuditDetails
} // namespace rbac
