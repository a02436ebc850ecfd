#include "audit/AuditImport.h"

#include "audit/AuditFilter.h"
#include "base/Clock.h"
#include "workspace/Workspace.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QVariant>

namespace rbac::AuditImport {

namespace {

constexpr int maxFieldLength = 1024;
constexpr int maxDetailsBytes = 64 * 1024;

const QStringList& knownFields()
{
    static const QStringList fields = {QStringLiteral("timestamp"), QStringLiteral("userId"),
        QStringLiteral("role"), QStringLiteral("action"), QStringLiteral("resource"),
        QStringLiteral("success"), QStringLiteral("details")};
    return fields;
}

QString typeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// ISO 8601 with a zone: a time without one is ambiguous, and the log stores UTC.
QString normaliseTimestamp(const QString& text, const QDateTime& now, QString* why)
{
    static const QRegularExpression shape(QStringLiteral(
        "^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,9}))?(Z|[+-]\\d{2}:\\d{2})$"));
    const QRegularExpressionMatch m = shape.match(text);
    if (!m.hasMatch()) {
        *why = QStringLiteral("is not an ISO 8601 time with a zone (like 2026-11-26T14:25:02.123Z)");
        return {};
    }
    // Milliseconds are the log's precision: finer digits are dropped, not rounded into the next second.
    const QString millis = (m.captured(2) + QStringLiteral("000")).left(3);
    const QDateTime parsed
        = QDateTime::fromString(m.captured(1) + QLatin1Char('.') + millis + m.captured(3), Qt::ISODateWithMs);
    if (!parsed.isValid()) {
        *why = QStringLiteral("is not a valid date and time");
        return {};
    }
    const QDateTime utc = parsed.toUTC();
    if (utc.date().year() < 1970 || utc.date().year() > 9999) {
        *why = QStringLiteral("is outside 1970–9999");
        return {};
    }
    if (utc > now.addDays(1)) {
        *why = QStringLiteral("is more than a day in the future");
        return {};
    }
    return isoUtc(utc);
}

void validateLine(
    const QByteArray& line, int number, const QString& source, const QDateTime& now, Batch& batch)
{
    const auto problem = [&batch, number](const QString& message) {
        batch.problems.append({number, message});
    };
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError) {
        problem(QStringLiteral("not valid JSON (%1 at column %2)")
                    .arg(error.errorString())
                    .arg(error.offset + 1));
        return;
    }
    if (!doc.isObject()) {
        problem(QStringLiteral("expected a JSON object, found %1")
                    .arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a value")));
        return;
    }
    const QJsonObject o = doc.object();
    const int before = int(batch.problems.size());
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!knownFields().contains(it.key()))
            problem(QStringLiteral("unknown field \"%1\" (put extra data under \"details\")").arg(it.key()));
    }
    const auto text = [&](const char* name, bool required, bool nonEmpty) -> QString {
        const QString key = QLatin1String(name);
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) {
            if (required)
                problem(QStringLiteral("missing field \"%1\"").arg(key));
            return {};
        }
        if (!v.isString()) {
            problem(QStringLiteral("\"%1\" must be a string, found %2").arg(key, typeName(v)));
            return {};
        }
        const QString s = v.toString();
        if (nonEmpty && s.trimmed().isEmpty())
            problem(QStringLiteral("\"%1\" must not be empty").arg(key));
        else if (s.size() > maxFieldLength)
            problem(QStringLiteral("\"%1\" is longer than %2 characters").arg(key).arg(maxFieldLength));
        return s;
    };
    const QString timestamp = text("timestamp", true, true);
    AuditEntry e;
    e.actor = text("userId", true, true);
    e.role = text("role", true, false);
    e.action = text("action", true, true);
    e.resource = text("resource", true, false);
    const QJsonValue success = o.value(QStringLiteral("success"));
    if (success.isUndefined())
        problem(QStringLiteral("missing field \"success\""));
    else if (!success.isBool())
        problem(QStringLiteral("\"success\" must be true or false, found %1").arg(typeName(success)));
    e.success = success.toBool();
    const QJsonValue details = o.value(QStringLiteral("details"));
    if (!details.isUndefined() && !details.isNull() && !details.isObject())
        problem(QStringLiteral("\"details\" must be an object, found %1").arg(typeName(details)));
    if (!timestamp.isEmpty() && o.value(QStringLiteral("timestamp")).isString()) {
        QString why;
        e.ts = normaliseTimestamp(timestamp, now, &why);
        if (e.ts.isEmpty())
            problem(QStringLiteral("\"timestamp\" \"%1\" %2").arg(timestamp, why));
    }
    if (batch.problems.size() != before)
        return;
    // Where the entry came from travels inside the hashed details, so it is tamper-evident too.
    QJsonObject recorded {{QStringLiteral("origin"), QStringLiteral("import")},
        {QStringLiteral("source"), source}, {QStringLiteral("line"), number}};
    if (details.isObject())
        recorded.insert(QStringLiteral("details"), details);
    e.details = QString::fromUtf8(QJsonDocument(recorded).toJson(QJsonDocument::Compact));
    if (e.details.toUtf8().size() > maxDetailsBytes) {
        problem(QStringLiteral("\"details\" is larger than %1 KiB").arg(maxDetailsBytes / 1024));
        return;
    }
    e.keepTimestamp = true;
    batch.entries.append(e);
}

} // namespace

Batch parse(const QByteArray& bytes, const QString& sourceName, const QDateTime& now, const Progress& progress)
{
    Batch batch;
    batch.source = sourceName;
    batch.sha256 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    int number = 0;
    qsizetype start = 0;
    while (start < bytes.size()) {
        // Asked every 1,024 lines.
        if (progress && (number & 1023) == 1023 && !progress(Phase::Checking, start, bytes.size())) {
            batch.entries.clear();
            batch.problems = {{0, QStringLiteral("cancelled")}};
            return batch;
        }
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        QByteArray line = bytes.mid(start, end - start);
        start = end + 1;
        ++number;
        if (line.endsWith('\r'))
            line.chop(1);
        if (number == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3); // a UTF-8 byte order mark some editors write
        if (line.trimmed().isEmpty())
            continue; // blank lines (a trailing newline, spacing) carry no entry
        validateLine(line, number, sourceName, now, batch);
    }
    if (progress && !progress(Phase::Checking, bytes.size(), bytes.size())) {
        batch.entries.clear();
        batch.problems = {{0, QStringLiteral("cancelled")}};
        return batch;
    }
    if (batch.problems.isEmpty() && batch.entries.isEmpty())
        batch.problems.append({0, QStringLiteral("the file holds no entries")});
    if (!batch.problems.isEmpty())
        batch.entries.clear();
    return batch;
}

Expected<Batch> readFile(const QString& path, const QDateTime& now, const Progress& progress)
{
    QFile file(path);
    const auto unreadable = [&] {
        return Status::error(
            ErrorKind::InvalidInput, QStringLiteral("cannot read '%1': %2").arg(path, file.errorString()));
    };
    const auto goOn = [&](qint64 done, qint64 total) {
        return !progress || progress(Phase::Reading, done, total);
    };
    if (!file.open(QIODevice::ReadOnly))
        return unreadable();
    // In chunks, so a large file shows progress and can be stopped while it is read.
    constexpr qint64 chunk = 4 << 20;
    const qint64 size = file.size();
    QByteArray bytes;
    bytes.reserve(size);
    while (!file.atEnd()) {
        if (!goOn(bytes.size(), size))
            return Status::error(ErrorKind::Environment, QStringLiteral("cancelled"));
        const QByteArray part = file.read(chunk);
        if (part.isEmpty()) {
            if (file.error() != QFileDevice::NoError)
                return unreadable();
            break;
        }
        bytes += part;
    }
    if (!goOn(bytes.size(), size))
        return Status::error(ErrorKind::Environment, QStringLiteral("cancelled"));
    return parse(bytes, QFileInfo(path).fileName(), now, progress);
}

Expected<Result> apply(Workspace& workspace, const Batch& batch, const Progress& progress)
{
    if (!batch.problems.isEmpty() || batch.entries.isEmpty())
        return Status::error(
            ErrorKind::InvalidInput, QStringLiteral("the import has problems; nothing was imported"));
    Result result;
    const Status status = workspace.writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
        // Under the write lock, so two imports of one file cannot both pass this check.
        QSqlQuery dup(db);
        dup.prepare(
            QStringLiteral("SELECT id FROM audit_log WHERE action = 'audit.import' AND details LIKE ? "
                           "ESCAPE '\\' LIMIT 1"));
        dup.addBindValue(likeContains(QStringLiteral("\"sha256\":\"%1\"").arg(batch.sha256)));
        if (!dup.exec())
            return Status::error(ErrorKind::Environment, QStringLiteral("checking earlier imports failed"));
        if (dup.next())
            return Status::error(ErrorKind::Conflict,
                QStringLiteral("'%1' was already imported (audit entry %2 records its SHA-256); "
                               "nothing was imported")
                    .arg(batch.source)
                    .arg(dup.value(0).toLongLong()));
        QSqlQuery head(db);
        if (!head.exec(QStringLiteral("SELECT last_id FROM audit_head WHERE id = 1")) || !head.next())
            return Status::error(ErrorKind::Environment, QStringLiteral("cannot read the audit chain head"));
        const qint64 last = head.value(0).toLongLong();
        result.entries = batch.entries.size();
        result.firstId = last + 1;
        result.lastId = last + batch.entries.size();
        result.summaryId = result.lastId + 1;
        entries = batch.entries;
        entries << workspace.makeEntry(QStringLiteral("audit.import"), QString(), QStringLiteral("audit"),
            {{QStringLiteral("after"),
                QJsonObject {{QStringLiteral("file"), batch.source}, {QStringLiteral("sha256"), batch.sha256},
                    {QStringLiteral("entries"), result.entries}, {QStringLiteral("firstId"), result.firstId},
                    {QStringLiteral("lastId"), result.lastId}}}});
        return Status::ok();
    },
        progress ? AuditLog::AppendProgress([&](qint64 done, qint64 total) {
            return progress(Phase::Writing, done, total);
        })
                 : AuditLog::AppendProgress());
    if (!status)
        return status;
    return result;
}

QStringList describe(const QVector<Problem>& problems, int max)
{
    QStringList lines;
    for (const Problem& p : problems) {
        if (lines.size() == max) {
            lines << QStringLiteral("… and %1 more").arg(problems.size() - max);
            break;
        }
        lines << (p.line > 0 ? QStringLiteral("line %1: %2").arg(p.line).arg(p.message) : p.message);
    }
    return lines;
}

} // namespace rbac::AuditImport
