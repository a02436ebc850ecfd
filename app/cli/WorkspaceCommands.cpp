// workspace copy.
#include "CliContext.h"
#include "Command.h"
#include "workspace/WorkspaceCopy.h"

namespace rbac::cli {

namespace {

int copy(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Expected<CopyReport> report = copyWorkspace(args.at(0), args.at(1), ctx.actor);
    if (!report)
        return ctx.fail(report.status());
    ctx.out << QStringLiteral("copied %1 rows; the audit trail of %2 entries verifies (head %3)")
                   .arg(report->rows)
                   .arg(report->auditEntries)
                   .arg(report->headHash)
            << Qt::endl;
    return ExitOk;
}

} // namespace

void addWorkspaceCommands(QVector<Command>& commands)
{
    commands.append({{QStringLiteral("workspace"), QStringLiteral("copy")},
        QStringLiteral("SOURCE DESTINATION"),
        QStringLiteral("Copy a workspace with its audit trail between an SQLite file and a PostgreSQL "
                       "database (postgresql://user@host:port/db), into a new file or an empty database."),
        {}, 2, 2, copy});
}

} // namespace rbac::cli
