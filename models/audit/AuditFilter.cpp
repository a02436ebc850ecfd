#include "audit/AuditFilter.h"

#include "base/Clock.h"

#include <QRegularExpression>

namespace rbac {

bool AuditFilter::operator==(const AuditFilter& o) const
{
    return since == o.since && until == o.until && actor == o.actor && role == o.role && actions == o.actions
        && resource == o.resource && result == o.result && text == o.text && afterId == o.afterId
        && upToId == o.upToId;
}

bool AuditFilter::isEmpty() const
{
    return *this == AuditFilter();
}

AuditFilter::Sql AuditFilter::toSql() const
{
    QStringList terms;
    Sql sql;
    if (since.isValid()) {
        terms << QStringLiteral("ts >= ?");
        sql.binds << isoUtc(since);
    }
    if (until.isValid()) {
        terms << QStringLiteral("ts < ?");
        sql.binds << isoUtc(until);
    }
    if (!actor.isEmpty()) {
        terms << QStringLiteral("actor = ?");
        sql.binds << actor;
    }
    if (!role.isEmpty()) {
        terms << QStringLiteral("role = ?");
        sql.binds << role;
    }
    if (!actions.isEmpty()) {
        QStringList marks;
        for (const QString& a : actions) {
            marks << QStringLiteral("?");
            sql.binds << a;
        }
        terms << QStringLiteral("action IN (%1)").arg(marks.join(QStringLiteral(", ")));
    }
    if (!resource.isEmpty()) {
        terms << QStringLiteral("resource LIKE ? ESCAPE '\\'");
        sql.binds << likeContains(resource);
    }
    if (result == Result::Succeeded)
        terms << QStringLiteral("success = 1");
    else if (result == Result::Failed)
        terms << QStringLiteral("success = 0");
    if (!text.isEmpty()) {
        terms << QStringLiteral("details LIKE ? ESCAPE '\\'");
        sql.binds << likeContains(text);
    }
    if (afterId > 0) {
        // The primary key finds new entries directly.
        terms << QStringLiteral("id > ?");
        sql.binds << afterId;
    }
    if (upToId > 0) {
        // Unary + keeps the planner off the primary key for this bound: the (ts, id) indexes
        // already carry id, while a rowid range would scan the whole table.
        terms << QStringLiteral("+id <= ?");
        sql.binds << upToId;
    }
    // "1 = 1", not "1": PostgreSQL wants a boolean after WHERE.
    sql.where = terms.isEmpty() ? QStringLiteral("1 = 1") : terms.join(QStringLiteral(" AND "));
    return sql;
}

QString AuditFilter::describe() const
{
    QStringList parts;
    if (since.isValid())
        parts << QStringLiteral("since %1").arg(isoUtc(since));
    if (until.isValid())
        parts << QStringLiteral("until %1").arg(isoUtc(until));
    if (!actor.isEmpty())
        parts << QStringLiteral("actor %1").arg(actor);
    if (!role.isEmpty())
        parts << QStringLiteral("role %1").arg(role);
    if (!actions.isEmpty())
        parts << QStringLiteral("action %1").arg(actions.join(QLatin1Char('|')));
    if (!resource.isEmpty())
        parts << QStringLiteral("resource contains \"%1\"").arg(resource);
    if (result == Result::Succeeded)
        parts << QStringLiteral("succeeded");
    else if (result == Result::Failed)
        parts << QStringLiteral("failed");
    if (!text.isEmpty())
        parts << QStringLiteral("details contain \"%1\"").arg(text);
    return parts.isEmpty() ? QStringLiteral("all entries") : parts.join(QStringLiteral(", "));
}

Expected<QDateTime> parseAuditTime(const QString& input, const QDateTime& now)
{
    const QString text = input.trimmed();
    static const QRegularExpression span(QStringLiteral("^(\\d{1,6})([mhdw])$"));
    if (const QRegularExpressionMatch m = span.match(text); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).at(0);
        const qint64 seconds = unit == QLatin1Char('m') ? 60
            : unit == QLatin1Char('h')                  ? 3600
            : unit == QLatin1Char('d')                  ? 86400
                                                        : 7 * 86400;
        return now.toUTC().addSecs(-n * seconds);
    }
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (dateOnly.match(text).hasMatch()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (date.isValid())
            return QDateTime(date, QTime(0, 0), Qt::UTC);
    } else if (text.size() >= 16 && text.at(10) == QLatin1Char('T')) {
        QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (parsed.isValid()) {
            // Without a zone Qt reads local time; the CLI documents UTC for scripts' sake.
            const QString tail = text.mid(19);
            const bool hasZone = tail.contains(QLatin1Char('Z')) || tail.contains(QLatin1Char('+'))
                || tail.contains(QLatin1Char('-'));
            if (!hasZone)
                parsed = QDateTime(parsed.date(), parsed.time(), Qt::UTC);
            if (parsed.date().year() >= 1970 && parsed.date().year() <= 9999)
                return parsed.toUTC();
        }
    }
    return Status::error(ErrorKind::InvalidInput,
        QStringLiteral("'%1' is not a time: use ISO 8601 (2026-11-26T14:25:02Z), a date "
                       "(2026-11-26) or a span before now (90m, 24h, 7d, 2w)")
            .arg(input));
}

QString likeContains(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    escaped += QLatin1Char('%');
    for (const QChar c : text) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    escaped += QLatin1Char('%');
    return escaped;
}

} // namespace rbac
