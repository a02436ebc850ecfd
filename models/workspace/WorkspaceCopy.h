#pragma once

#include "base/Status.h"

#include <QString>

namespace rbac {

struct CopyReport
{
    qint64 rows = 0;
    qint64 auditEntries = 0;
    QString headHash;
};

// Copies a whole workspace — policy, settings, key metadata and the audit log with its hash chain
// — into a destination that holds nothing yet (a new SQLite file or an empty PostgreSQL
// database), either way between the engines. The copy is recorded in the source's audit log
// first; the destination's chain is the source's plus one entry saying where it came from.
// Destination writes are one transaction; the result is verified before this returns.
Expected<CopyReport> copyWorkspace(const QString& source, const QString& destination, const QString& actor);

} // namespace rbac
