// audit list, audit verify.
#include "CliContext.h"
#include "Command.h"
#include "TextTable.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace rbac::cli {

namespace {

QJsonObject entryJson(const AuditEntry& e)
{
    QJsonParseError error{};
    const QJsonDocument details = QJsonDocument::fromJson(e.details.toUtf8(), &error);
    return {{QStringLiteral("id"), e.id},
            {QStringLiteral("ts"), e.ts},
            {QStringLiteral("actor"), e.actor},
            {QStringLiteral("role"), e.role},
            {QStringLiteral("action"), e.action},
            {QStringLiteral("resource"), e.resource},
            {QStringLiteral("success"), e.success},
            {QStringLiteral("details"), error.error == QJsonParseError::NoError ? QJsonValue(details.object())
                                                                                 : QJsonValue(e.details)},
            {QStringLiteral("prev_hash"), e.prevHash},
            {QStringLiteral("hash"), e.hash}};
}

int listAudit(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("jsonl")}))
        return ExitUsage;
    bool ok = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1)
        return ctx.usage(QStringLiteral("--limit takes a whole number of at least 1, not '%1'")
                             .arg(parser.value(QStringLiteral("limit"))));
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    Expected<QVector<AuditEntry>> entries = ws->auditLog().latest(limit);
    if (!entries)
        return ctx.fail(entries.status());
    if (format == QLatin1String("jsonl")) {
        for (const AuditEntry& e : std::as_const(*entries))
            ctx.out << QJsonDocument(entryJson(e)).toJson(QJsonDocument::Compact) << '\n';
        ctx.out.flush();
        return ExitOk;
    }
    TextTable table({QStringLiteral("ID"), QStringLiteral("TIME (UTC)"), QStringLiteral("ACTOR"),
                     QStringLiteral("ROLE"), QStringLiteral("ACTION"), QStringLiteral("RESOURCE"),
                     QStringLiteral("RESULT")});
    for (const AuditEntry& e : std::as_const(*entries)) {
        table.addRow({QString::number(e.id), e.ts, e.actor, e.role, e.action, e.resource,
                      e.success ? QStringLiteral("ok") : QStringLiteral("FAILED")});
    }
    table.print(ctx.out);
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
    commands.append({{QStringLiteral("audit"), QStringLiteral("list")},
                     QStringLiteral("[--limit N] [--format table|jsonl]"),
                     QStringLiteral("The newest audit entries, newest first."),
                     {QCommandLineOption(QStringLiteral("limit"), QStringLiteral("how many entries (default 50)"),
                                         QStringLiteral("N"), QStringLiteral("50")),
                      QCommandLineOption(QStringLiteral("format"), QStringLiteral("output format: table|jsonl"),
                                         QStringLiteral("FORMAT"), QStringLiteral("table"))},
                     0, 0, listAudit});
    commands.append({{QStringLiteral("audit"), QStringLiteral("verify")}, QString(),
                     QStringLiteral("Walk the hash chain; exit 1 naming the first entry that does not match."), {}, 0, 0,
                     verifyAudit});
}

} // namespace rbac::cli
