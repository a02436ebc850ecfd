#include "audit/AuditExport.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QSqlQuery>

namespace rbac::AuditExport {

namespace {

constexpr int exportPage = 4096;

QByteArray csvField(const QString& value)
{
    QByteArray bytes = value.toUtf8();
    if (!bytes.contains(',') && !bytes.contains('"') && !bytes.contains('\n') && !bytes.contains('\r'))
        return bytes;
    bytes.replace("\"", "\"\"");
    return '"' + bytes + '"';
}

} // namespace

std::optional<AuditExportFormat> formatFromName(const QString& name)
{
    if (name == QLatin1String("csv"))
        return AuditExportFormat::Csv;
    if (name == QLatin1String("jsonl"))
        return AuditExportFormat::JsonLines;
    return std::nullopt;
}

QString fileSuffix(AuditExportFormat format)
{
    return format == AuditExportFormat::Csv ? QStringLiteral("csv") : QStringLiteral("jsonl");
}

QJsonObject toJson(const AuditEntry& e)
{
    QJsonParseError error {};
    const QJsonDocument details = QJsonDocument::fromJson(e.details.toUtf8(), &error);
    const bool isObject = error.error == QJsonParseError::NoError && details.isObject();
    return {{QStringLiteral("id"), e.id}, {QStringLiteral("ts"), e.ts}, {QStringLiteral("actor"), e.actor},
        {QStringLiteral("role"), e.role}, {QStringLiteral("action"), e.action},
        {QStringLiteral("resource"), e.resource}, {QStringLiteral("success"), e.success},
        {QStringLiteral("details"), isObject ? QJsonValue(details.object()) : QJsonValue(e.details)},
        {QStringLiteral("prev_hash"), e.prevHash}, {QStringLiteral("hash"), e.hash}};
}

QByteArray csvHeader()
{
    return QByteArrayLiteral("id,ts,actor,role,action,resource,success,details,prev_hash,hash\n");
}

QByteArray csvRow(const AuditEntry& e)
{
    QByteArray row = QByteArray::number(e.id);
    for (const QString* field : {&e.ts, &e.actor, &e.role, &e.action, &e.resource}) {
        row += ',';
        row += csvField(*field);
    }
    row += e.success ? ",1," : ",0,";
    row += csvField(e.details);
    row += ',';
    row += e.prevHash.toLatin1();
    row += ',';
    row += e.hash.toLatin1();
    row += '\n';
    return row;
}

QByteArray line(const AuditEntry& entry, AuditExportFormat format)
{
    if (format == AuditExportFormat::Csv)
        return csvRow(entry);
    return QJsonDocument(toJson(entry)).toJson(QJsonDocument::Compact) + '\n';
}

Expected<qint64> write(QSqlDatabase& db,
    const AuditFilter& filter,
    AuditOrder order,
    AuditExportFormat format,
    QIODevice& out,
    const std::function<bool(qint64, qint64)>& progress)
{
    // One snapshot: entries appended during a long export are not half in, half out.
    const bool snapshot = QSqlQuery(db).exec(QStringLiteral("BEGIN"));
    const auto finish = [&db, snapshot] {
        if (snapshot)
            QSqlQuery(db).exec(QStringLiteral("COMMIT"));
    };
    AuditLog log(db);
    Expected<qint64> total = log.count(filter);
    if (!total) {
        finish();
        return total.status();
    }
    const auto writeFailed = [&out] {
        return Status::error(
            ErrorKind::Environment, QStringLiteral("writing the export failed: %1").arg(out.errorString()));
    };
    if (format == AuditExportFormat::Csv && out.write(csvHeader()) < 0) {
        finish();
        return writeFailed();
    }
    AuditPageQuery query;
    query.filter = filter;
    query.order = order;
    query.limit = exportPage;
    qint64 done = 0;
    for (;;) {
        Expected<QVector<AuditEntry>> page = log.page(query);
        if (!page) {
            finish();
            return page.status();
        }
        QByteArray chunk;
        for (const AuditEntry& e : std::as_const(*page))
            chunk += line(e, format);
        if (!chunk.isEmpty() && out.write(chunk) != chunk.size()) {
            finish();
            return writeFailed();
        }
        done += page->size();
        if (progress && !progress(done, *total)) {
            finish();
            return Status::error(
                ErrorKind::InvalidInput, QStringLiteral("cancelled after %1 entries").arg(done));
        }
        if (page->size() < exportPage)
            break;
        query.after = AuditKey {page->constLast().ts, page->constLast().id};
    }
    finish();
    return done;
}

} // namespace rbac::AuditExport
