#include "CliRunner.h"

#include "CliContext.h"
#include "Command.h"
#include "policy/ScopeCatalog.h"
#include "runtime/VersionInfo.h"

#include <QCoreApplication>

namespace rbac::cli {

namespace {

const QVector<Command>& commands()
{
    static const QVector<Command> all = [] {
        QVector<Command> list;
        addRoleCommands(list);
        addPermissionCommands(list);
        addPolicyCommands(list);
        addAuditCommands(list);
        addWorkspaceCommands(list);
        addSettingCommands(list);
        addKeyCommands(list);
        addOAuthCommands(list);
        return list;
    }();
    return all;
}

QString globalUsage()
{
    return QStringLiteral("Usage: klaviyo-rbac [--workspace FILE] [--actor NAME] COMMAND [ARGS]\n");
}

void printGlobalHelp(QTextStream& out)
{
    out << globalUsage() << '\n'
        << "Edit which app role may do what, and which Klaviyo scopes each role's API key needs.\n\n"
        << "Global options:\n"
        << "  --workspace FILE  the workspace file (default: $KLAVIYO_RBAC_WORKSPACE, else\n"
        << "                    " << Workspace::defaultPath() << ")\n"
        << "  --actor NAME      who the audit log names (default: the OS user)\n"
        << "  --version         print versions and exit\n"
        << "  -h, --help        this help; COMMAND --help for a command's own\n\n"
        << "Commands:\n";
    for (const Command& c : commands()) {
        const QString name = c.words.join(QLatin1Char(' '));
        out << "  " << name.leftJustified(18) << ' ' << c.summary << '\n';
    }
    out << "\nExit codes: 0 success/allowed/intact, 1 denied or verification failed,\n"
        << "2 bad usage or invalid input, 3 environment (database, keychain, network).\n";
    out.flush();
}

void printCommandHelp(QTextStream& out, const Command& c)
{
    out << "Usage: klaviyo-rbac [global options] " << c.words.join(QLatin1Char(' '))
        << (c.arguments.isEmpty() ? QString() : QLatin1Char(' ') + c.arguments) << "\n\n"
        << c.summary << '\n';
    if (!c.options.isEmpty()) {
        out << "\nOptions:\n";
        for (const QCommandLineOption& o : c.options) {
            QString flag = QStringLiteral("--") + o.names().constLast();
            if (!o.valueName().isEmpty())
                flag += QLatin1Char(' ') + o.valueName();
            out << "  " << flag.leftJustified(22) << ' ' << o.description() << '\n';
        }
    }
    out << "\nGlobal options --workspace FILE and --actor NAME may come before or after the command.\n";
    out.flush();
}

QString versionText()
{
    return versionReport(QStringLiteral("klaviyo-rbac"));
}

} // namespace

int run(const QStringList& arguments, QTextStream& out, QTextStream& err)
{
    CliContext ctx(out, err);
    QStringList args = arguments.mid(1);

    // Global options before the command.
    while (!args.isEmpty() && args.first().startsWith(QLatin1Char('-'))) {
        const QString arg = args.takeFirst();
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            printGlobalHelp(out);
            return ExitOk;
        }
        if (arg == QLatin1String("--version")) {
            out << versionText();
            out.flush();
            return ExitOk;
        }
        QString name = arg;
        QString value;
        const qsizetype eq = arg.indexOf(QLatin1Char('='));
        if (eq > 0) {
            name = arg.left(eq);
            value = arg.mid(eq + 1);
        }
        if (name != QLatin1String("--workspace") && name != QLatin1String("--actor"))
            return ctx.usage(QStringLiteral("unknown option '%1'\n%2").arg(arg, globalUsage().trimmed()));
        if (eq < 0) {
            if (args.isEmpty())
                return ctx.usage(QStringLiteral("option '%1' needs a value").arg(name));
            value = args.takeFirst();
        }
        if (value.isEmpty())
            return ctx.usage(QStringLiteral("option '%1' needs a non-empty value").arg(name));
        (name == QLatin1String("--workspace") ? ctx.workspacePath : ctx.actor) = value;
    }
    if (args.isEmpty()) {
        err << globalUsage() << "Run 'klaviyo-rbac --help' for the commands.\n";
        err.flush();
        return ExitUsage;
    }

    // The command with the longest matching word sequence ("role add" before "role").
    const Command* command = nullptr;
    for (const Command& c : commands()) {
        if (args.size() >= c.words.size() && args.mid(0, c.words.size()) == c.words
            && (!command || c.words.size() > command->words.size()))
            command = &c;
    }
    if (!command) {
        QStringList near;
        for (const Command& c : commands()) {
            if (c.words.first() == args.first())
                near << c.words.join(QLatin1Char(' '));
        }
        if (!near.isEmpty())
            return ctx.usage(QStringLiteral("'%1' needs a subcommand: %2")
                                 .arg(args.first(), near.join(QStringLiteral(", "))));
        return ctx.usage(QStringLiteral("unknown command '%1'; run 'klaviyo-rbac --help'").arg(args.first()));
    }

    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("this help"));
    const QCommandLineOption workspace(
        QStringLiteral("workspace"), QStringLiteral("workspace file"), QStringLiteral("FILE"));
    const QCommandLineOption actor(
        QStringLiteral("actor"), QStringLiteral("audit actor"), QStringLiteral("NAME"));
    parser.addOptions({help, workspace, actor});
    parser.addOptions(command->options);
    const QString name = command->words.join(QLatin1Char(' '));
    if (!parser.parse(QStringList {QStringLiteral("klaviyo-rbac")} + args.mid(command->words.size())))
        return ctx.usage(
            QStringLiteral("%1: %2\nRun 'klaviyo-rbac %1 --help'.").arg(name, parser.errorText()));
    if (parser.isSet(help)) {
        printCommandHelp(out, *command);
        return ExitOk;
    }
    if (parser.isSet(workspace))
        ctx.workspacePath = parser.value(workspace);
    if (parser.isSet(actor))
        ctx.actor = parser.value(actor);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < command->minArgs || positional.size() > command->maxArgs)
        return ctx.usage(QStringLiteral("usage: klaviyo-rbac %1 %2").arg(name, command->arguments));
    return command->run(ctx, parser, positional);
}

} // namespace rbac::cli
