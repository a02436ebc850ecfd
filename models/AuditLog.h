#pragma once

#include "AuditEntry.h"
#include "Status.h"

#include <QSqlDatabase>
#include <QVector>

#include <functional>

namespace rbac {

struct AuditVerification
{
    bool intact = false;
    qint64 entries = 0;    // entries checked
    qint64 firstBadId = 0; // the entry named in `problem`, 0 when intact
    QString problem;
    QString headHash;
};

// The append-only, hash-chained audit log in a workspace database.
class AuditLog
{
public:
    explicit AuditLog(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    // Appends inside the caller's open write transaction, so the entry commits or rolls back
    // with the change it records. Fills in id, ts (from Clock), prev_hash and hash.
    Status append(AuditEntry& entry);

    // Newest first.
    Expected<QVector<AuditEntry>> latest(int limit);
    Expected<qint64> count();

    // Walks the whole chain in id order and names the first entry that does not match.
    // `progress` gets the number of entries checked so far; returning false cancels.
    AuditVerification verify(const std::function<bool(qint64)>& progress = {});

private:
    QSqlDatabase m_db;
};

} // namespace rbac
