#pragma once

#include "audit/AuditFilter.h"
#include "audit/AuditLog.h"

#include <QJsonObject>
#include <QSqlDatabase>

#include <functional>
#include <optional>

class QIODevice;

namespace rbac {

enum class AuditExportFormat
{
    Csv,       // RFC 4180, a header line, details as its JSON text
    JsonLines, // one object per line, details as a JSON object
};

// Writes what a filter shows, for auditors and spreadsheets. Shared by `audit export`/`audit list`
// and the browser's Export so every route writes the same bytes for the same entries.
namespace AuditExport {

std::optional<AuditExportFormat> formatFromName(const QString& name); // "csv", "jsonl"
QString fileSuffix(AuditExportFormat format);

// Every column, hashes included, so an exported entry can still be checked against its hash.
QJsonObject toJson(const AuditEntry& entry);
QByteArray csvHeader();
QByteArray csvRow(const AuditEntry& entry);
QByteArray line(const AuditEntry& entry, AuditExportFormat format); // with the newline

// Streams every matching entry in `order` from one read snapshot, a page at a time, so memory
// stays flat at any size. `progress(done, total)` is called every few thousand entries and at the
// end; returning false stops with a "cancelled" error. Returns the number of entries written.
Expected<qint64> write(QSqlDatabase& db,
    const AuditFilter& filter,
    AuditOrder order,
    AuditExportFormat format,
    QIODevice& out,
    const std::function<bool(qint64 done, qint64 total)>& progress = {});

} // namespace AuditExport
} // namespace rbac
