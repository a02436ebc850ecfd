#pragma once

#include "audit/AuditEntry.h"
#include "audit/AuditFilter.h"
#include "base/Status.h"

#include <QSqlDatabase>
#include <QVector>

#include <functional>
#include <optional>

namespace rbac {

struct AuditVerification
{
    bool intact = false;
    qint64 entries = 0;    // entries checked
    qint64 firstBadId = 0; // the entry named in `problem`, 0 when intact
    QString problem;
    QString headHash;
};

// A row's place in the (ts, id) order the browser and the exports use.
struct AuditKey
{
    QString ts;
    qint64 id = 0;
};

// One keyset page: the filtered entries in `order`, starting strictly after `after` (when set),
// skipping `offset` more, at most `limit`. Keyset steps cost the same at any depth; the browser
// uses `offset` only to land on rows far from anything it has loaded.
struct AuditPageQuery
{
    AuditFilter filter;
    AuditOrder order = AuditOrder::NewestFirst;
    std::optional<AuditKey> after;
    qint64 offset = 0;
    int limit = 256;
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
    // with the change it records. Fills in id, ts (from Clock, unless entry.keepTimestamp),
    // prev_hash and hash.
    Status append(AuditEntry& entry);
    // Appends in order, chained, with one prepared statement; fills in id, ts, prevHash, hash.
    // Runs inside the caller's transaction: on an error the caller rolls everything back.
    // `progress` (entries done, total) is asked now and then; false stops with an error, so the
    // caller's transaction rolls back and nothing is appended.
    using AppendProgress = std::function<bool(qint64 done, qint64 total)>;
    Status appendAll(QVector<AuditEntry>& entries, const AppendProgress& progress = {});

    // Newest first.
    Expected<QVector<AuditEntry>> latest(int limit);
    Expected<qint64> count();

    // Filtered reads (read-only; safe on a separate read connection in another thread).
    Expected<QVector<AuditEntry>> page(const AuditPageQuery& query);
    // `head`, when given, receives the chain head of the snapshot the count was taken in.
    Expected<qint64> count(const AuditFilter& filter, qint64* head = nullptr);
    // The newest entry's id according to audit_head (0 for an empty log).
    Expected<qint64> headId();
    Expected<std::optional<AuditEntry>> entry(qint64 id);
    // Where entry `id` sits among the filtered entries in `order` (0-based); -1 when it does not match.
    Expected<qint64> position(const AuditFilter& filter, AuditOrder order, qint64 id);
    // The distinct values of "actor", "role" or "action", sorted; one index probe per value.
    Expected<QStringList> distinctValues(const QString& column);

    // The statement page() runs, with its bind values (for tests and the benchmark).
    static QString pageSql(const AuditPageQuery& query, QVariantList* binds);

    // Walks the whole chain in id order and names the first entry that does not match.
    // `progress` gets the number of entries checked so far; returning false cancels.
    AuditVerification verify(const std::function<bool(qint64)>& progress = {});

private:
    QSqlDatabase m_db;
};

} // namespace rbac
