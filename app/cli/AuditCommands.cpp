// audit list, audit export, audit import, audit verify.
#include "audit/AuditExport.h"
#include "audit/AuditImport.h"
#include "CliContext.h"
#include "base/Clock.h"
#include "Command.h"
#include "TextTable.h"

#include <QFile>
#include <QSaveFile>

#include <cstdio>

namespace rbac::cli {

namespace {

// --actor is not declared here: every command's parser already has the global --actor NAME (who the
// log names for changes). Given after `audit list`/`audit export`, which change nothing, its value
// filters by actor instead.
QList<QCommandLineOption> filterOptions()
{
    return {QCommandLineOption(QStringLiteral("since"),
                QStringLiteral("entries at or after TIME: ISO 8601 (no zone = UTC), a date, or a "
                               "span before now like 90m, 24h, 7d, 2w"),
                QStringLiteral("TIME")),
        QCommandLineOption(QStringLiteral("until"),
            QStringLiteral("entries before TIME (same forms as --since)"), QStringLiteral("TIME")),
        QCommandLineOption(
            QStringLiteral("role"), QStringLiteral("only this role (exact)"), QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("action"),
            QStringLiteral("only these actions (exact; repeat or separate with commas)"),
            QStringLiteral("ACTION")),
        QCommandLineOption(QStringLiteral("resource"), QStringLiteral("resource contains TEXT (any case)"),
            QStringLiteral("TEXT")),
        QCommandLineOption(QStringLiteral("failed"), QStringLiteral("only entries that record a failure")),
        QCommandLineOption(QStringLiteral("succeeded"), QStringLiteral("only entries that record a success")),
        QCommandLineOption(QStringLiteral("text"), QStringLiteral("details contain TEXT (any case)"),
            QStringLiteral("TEXT")),
        QCommandLineOption(QStringLiteral("order"), QStringLiteral("newest (default) or oldest first"),
            QStringLiteral("ORDER"), QStringLiteral("newest"))};
}

// Reads the filter options; prints the problem and returns false on bad input.
bool readFilter(CliContext& ctx, const QCommandLineParser& parser, AuditFilter* filter, AuditOrder* order)
{
    const QDateTime now = Clock::nowUtc();
    for (const char* name : {"since", "until"}) {
        const QString option = QLatin1String(name);
        if (!parser.isSet(option))
            continue;
        Expected<QDateTime> time = parseAuditTime(parser.value(option), now);
        if (!time) {
            ctx.usage(QStringLiteral("--%1: %2").arg(option, time.status().message()));
            return false;
        }
        (option == QLatin1String("since") ? filter->since : filter->until) = *time;
    }
    if (filter->since.isValid() && filter->until.isValid() && filter->until <= filter->since) {
        ctx.usage(QStringLiteral("--until must be later than --since"));
        return false;
    }
    filter->actor = parser.value(QStringLiteral("actor"));
    filter->role = parser.value(QStringLiteral("role"));
    for (const QString& value : parser.values(QStringLiteral("action"))) {
        for (const QString& action : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            filter->actions << action.trimmed();
    }
    filter->actions.removeDuplicates();
    filter->resource = parser.value(QStringLiteral("resource"));
    filter->text = parser.value(QStringLiteral("text"));
    const bool failed = parser.isSet(QStringLiteral("failed"));
    const bool succeeded = parser.isSet(QStringLiteral("succeeded"));
    if (failed && succeeded) {
        ctx.usage(QStringLiteral("--failed and --succeeded exclude each other"));
        return false;
    }
    filter->result = failed ? AuditFilter::Result::Failed
        : succeeded         ? AuditFilter::Result::Succeeded
                            : AuditFilter::Result::Any;
    const QString orderName = parser.value(QStringLiteral("order"));
    if (orderName != QLatin1String("newest") && orderName != QLatin1String("oldest")) {
        ctx.usage(QStringLiteral("--order takes newest or oldest, not '%1'").arg(orderName));
        return false;
    }
    *order = orderName == QLatin1String("newest") ? AuditOrder::NewestFirst : AuditOrder::OldestFirst;
    return true;
}

int listAudit(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("csv"), QStringLiteral("jsonl")}))
        return ExitUsage;
    bool ok = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1)
        return ctx.usage(QStringLiteral("--limit takes a whole number of at least 1, not '%1'")
                             .arg(parser.value(QStringLiteral("limit"))));
    AuditPageQuery query;
    query.limit = limit;
    if (!readFilter(ctx, parser, &query.filter, &query.order))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Expected<QVector<AuditEntry>> entries = ws->auditLog().page(query);
    if (!entries)
        return ctx.fail(entries.status());
    if (format != QLatin1String("table")) {
        const AuditExportFormat f = *AuditExport::formatFromName(format);
        if (f == AuditExportFormat::Csv)
            ctx.out << QString::fromUtf8(AuditExport::csvHeader());
        for (const AuditEntry& e : std::as_const(*entries))
            ctx.out << QString::fromUtf8(AuditExport::line(e, f));
        ctx.out.flush();
        return ExitOk;
    }
    TextTable table(
        {QStringLiteral("ID"), QStringLiteral("TIME (UTC)"), QStringLiteral("ACTOR"), QStringLiteral("ROLE"),
            QStringLiteral("ACTION"), QStringLiteral("RESOURCE"), QStringLiteral("RESULT")});
    for (const AuditEntry& e : std::as_const(*entries)) {
        table.addRow({QString::number(e.id), e.ts, e.actor, e.role, e.action, e.resource,
            e.success ? QStringLiteral("ok") : QStringLiteral("FAILED")});
    }
    table.print(ctx.out);
    return ExitOk;
}

int exportAudit(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)
{
    const QString path = args.at(0);
    QString formatName = parser.value(QStringLiteral("format"));
    if (formatName.isEmpty()) {
        // Without --format the file name decides; "-" (stdout) has none to go by.
        formatName = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? QStringLiteral("csv")
            : path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive)      ? QStringLiteral("jsonl")
                                                                               : QString();
        if (formatName.isEmpty())
            return ctx.usage(
                QStringLiteral("audit export needs --format csv|jsonl (or a FILE ending in .csv or .jsonl)"));
    }
    if (!checkFormat(ctx, formatName, {QStringLiteral("csv"), QStringLiteral("jsonl")}))
        return ExitUsage;
    AuditFilter filter;
    AuditOrder order = AuditOrder::NewestFirst;
    if (!readFilter(ctx, parser, &filter, &order))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    QSqlDatabase db = ws->database();
    const AuditExportFormat format = *AuditExport::formatFromName(formatName);
    Expected<qint64> written = 0;
    if (path == QLatin1String("-")) {
        ctx.out.flush();
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly))
            return ctx.fail(Status::error(ErrorKind::Environment, QStringLiteral("cannot write to stdout")));
        written = AuditExport::write(db, filter, order, format, out);
    } else {
        // Written beside the target and renamed into place: a failed export leaves no partial file.
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly))
            return ctx.fail(Status::error(ErrorKind::Environment,
                QStringLiteral("cannot write '%1': %2").arg(path, out.errorString())));
        written = AuditExport::write(db, filter, order, format, out);
        if (written && !out.commit())
            written = Status::error(
                ErrorKind::Environment, QStringLiteral("cannot write '%1': %2").arg(path, out.errorString()));
    }
    if (!written)
        return ctx.fail(written.status());
    ctx.err << QStringLiteral("exported %1 entries (%2) to %3").arg(*written).arg(filter.describe(), path)
            << Qt::endl;
    return ExitOk;
}

int importAudit(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    // Validate before the workspace is even opened: a bad file changes nothing.
    Expected<AuditImport::Batch> batch = AuditImport::readFile(args.at(0), Clock::nowUtc());
    if (!batch)
        return ctx.fail(batch.status());
    if (!batch->problems.isEmpty()) {
        ctx.err << QStringLiteral(
            "klaviyo-rbac: error: '%1' is not a valid audit import; nothing was imported:")
                       .arg(args.at(0))
                << Qt::endl;
        for (const QString& line : AuditImport::describe(batch->problems))
            ctx.err << "  " << line << Qt::endl;
        return ExitUsage;
    }
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Expected<AuditImport::Result> result = AuditImport::apply(*ws, *batch);
    if (!result)
        return ctx.fail(result.status());
    ctx.out << QStringLiteral("imported %1 entries from %2 as entries %3–%4 (recorded by entry %5)")
                   .arg(result->entries)
                   .arg(args.at(0))
                   .arg(result->firstId)
                   .arg(result->lastId)
                   .arg(result->summaryId)
            << Qt::endl;
    return ExitOk;
}

int verifyAudit(CliContext& ctx, const QCommandLineParser&, const QStringList&)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const AuditVerification result = ws->auditLog().verify();
    if (!result.intact) {
        ctx.out << "audit trail BROKEN at entry " << result.firstBadId << ": " << result.problem << Qt::endl;
        return ExitDenied;
    }
    ctx.out << "audit trail intact: " << result.entries << " entries, head " << result.headHash << Qt::endl;
    return ExitOk;
}

} // namespace

void addAuditCommands(QVector<Command>& commands)
{
    const QString filterUsage = QStringLiteral("[--since TIME] [--until TIME] [--actor NAME] [--role NAME] "
                                               "[--action A[,B…]] [--resource TEXT] [--failed|--succeeded] "
                                               "[--text TEXT] [--order newest|oldest]");
    QList<QCommandLineOption> listOptions = filterOptions();
    listOptions << QCommandLineOption(QStringLiteral("limit"),
        QStringLiteral("how many entries (default 50)"), QStringLiteral("N"), QStringLiteral("50"))
                << QCommandLineOption(QStringLiteral("format"),
                       QStringLiteral("output format: table|csv|jsonl"), QStringLiteral("FORMAT"),
                       QStringLiteral("table"));
    commands.append({{QStringLiteral("audit"), QStringLiteral("list")},
        QStringLiteral("[--limit N] [--format table|csv|jsonl] ") + filterUsage,
        QStringLiteral("Audit entries matching the filters, newest first. --actor NAME after the "
                       "command shows only that actor's entries."),
        listOptions, 0, 0, listAudit});
    QList<QCommandLineOption> exportOptions = filterOptions();
    exportOptions << QCommandLineOption(QStringLiteral("format"),
        QStringLiteral("csv|jsonl (default: from FILE's extension)"), QStringLiteral("FORMAT"));
    commands.append({{QStringLiteral("audit"), QStringLiteral("export")},
        QStringLiteral("[--format csv|jsonl] ") + filterUsage + QStringLiteral(" FILE"),
        QStringLiteral("Write every entry matching the filters to FILE ('-' for stdout), all columns "
                       "and hashes included. --actor NAME after the command filters by actor."),
        exportOptions, 1, 1, exportAudit});
    commands.append({{QStringLiteral("audit"), QStringLiteral("import")}, QStringLiteral("FILE.jsonl"),
        QStringLiteral("Append entries written by the services that enforce the policy (JSON Lines: "
                       "timestamp, userId, role, action, resource, success, optional details). "
                       "Every line is validated first; then all are appended in one transaction, "
                       "or none."),
        {}, 1, 1, importAudit});
    commands.append({{QStringLiteral("audit"), QStringLiteral("verify")}, QString(),
        QStringLiteral("Walk the hash chain; exit 1 naming the first entry that does not match."), {}, 0, 0,
        verifyAudit});
}

} // namespace rbac::cli
