#pragma once

#include "base/Status.h"

#include <QDateTime>
#include <QStringList>
#include <QVariantList>

namespace rbac {

// Which audit entries to show, list or export. Every set field narrows the result (AND); an empty
// filter matches every entry. Shared by the browser, the CLI and the exporters so that "what the
// filter shows" means the same everywhere.
struct AuditFilter
{
    enum class Result
    {
        Any,
        Succeeded,
        Failed,
    };

    QDateTime since;     // inclusive; invalid = no lower bound
    QDateTime until;     // exclusive; invalid = no upper bound
    QString actor;       // exact match; empty = any
    QString role;        // exact match; empty = any
    QStringList actions; // any of these (exact); empty = any
    QString resource;    // substring, case-insensitive (ASCII); empty = any
    Result result = Result::Any;
    QString text; // substring of the details JSON, case-insensitive (ASCII); empty = any

    // Id bounds, used by the browser to pin a snapshot of a growing log and to pick up new entries.
    qint64 afterId = 0; // only id > afterId (0 = no bound)
    qint64 upToId = 0;  // only id <= upToId (0 = no bound)

    bool operator==(const AuditFilter& other) const;
    bool operator!=(const AuditFilter& other) const { return !(*this == other); }

    // True when no field narrows the result (id bounds included).
    bool isEmpty() const;

    // A boolean SQL expression over audit_log's columns, with `?` placeholders for `binds` in order.
    // Literal `success = 0/1` (not a placeholder) so SQLite can use the partial index of failures.
    struct Sql
    {
        QString where;
        QVariantList binds;
    };
    Sql toSql() const;

    // One line for people: "actor alice, action grant|revoke, since 2026-01-01T00:00:00.000Z".
    QString describe() const;
};

// The order the browser and the exports use: by time, then id, both unique together.
enum class AuditOrder
{
    NewestFirst,
    OldestFirst,
};

inline AuditOrder reversed(AuditOrder order)
{
    return order == AuditOrder::NewestFirst ? AuditOrder::OldestFirst : AuditOrder::NewestFirst;
}

// Reads a --since/--until value: ISO 8601 date-time (no zone = UTC), a date YYYY-MM-DD (UTC
// midnight), or a span before `now`: "90m", "24h", "7d", "2w". Names the problem otherwise.
Expected<QDateTime> parseAuditTime(const QString& text, const QDateTime& now);

// Escapes % _ and \ for `LIKE ? ESCAPE '\'` and wraps the text in %…%.
QString likeContains(const QString& text);

} // namespace rbac
