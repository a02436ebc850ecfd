// roles, role add/rename/remove, grant, revoke, check, scopes.
#include "CliContext.h"
#include "Command.h"
#include "KeyCommands.h"
#include "policy/PolicyEngine.h"
#include "TextTable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rbac::cli {

namespace {

const QCommandLineOption formatOption(const QString& formats)
{
    return QCommandLineOption(QStringLiteral("format"), QStringLiteral("output format: %1").arg(formats),
        QStringLiteral("FORMAT"), formats.section(QLatin1Char('|'), 0, 0));
}

int listRoles(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("json")}))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    if (format == QLatin1String("json")) {
        QJsonArray roles;
        for (const Role& r : ws->policy().roles) {
            roles.append(QJsonObject {{QStringLiteral("name"), r.name},
                {QStringLiteral("description"), r.description},
                {QStringLiteral("permissions"), QJsonArray::fromStringList(r.permissions)},
                {QStringLiteral("scopes"),
                    QJsonArray::fromStringList(PolicyEngine::requiredScopeNames(ws->policy(), r, catalog))}});
        }
        ctx.out << QJsonDocument(roles).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    TextTable table({QStringLiteral("ROLE"), QStringLiteral("PERMISSIONS"), QStringLiteral("SCOPES"),
        QStringLiteral("DESCRIPTION")});
    for (const Role& r : ws->policy().roles) {
        table.addRow({r.name, QString::number(r.permissions.size()),
            QString::number(PolicyEngine::requiredScopes(ws->policy(), r, catalog).size()), r.description});
    }
    table.print(ctx.out);
    return ExitOk;
}

int addRole(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const QString from = parser.value(QStringLiteral("from"));
    if (Status s = ws->addRole(args.at(0), parser.value(QStringLiteral("description")), from); !s)
        return ctx.fail(s);
    ctx.out << (from.isEmpty() ? QStringLiteral("added role '%1'").arg(args.at(0))
                               : QStringLiteral("added role '%1' as a copy of '%2'").arg(args.at(0), from))
            << Qt::endl;
    return ExitOk;
}

int renameRole(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    if (Status s = ws->renameRole(args.at(0), args.at(1)); !s)
        return ctx.fail(s);
    ctx.out << QStringLiteral("renamed role '%1' to '%2'").arg(args.at(0), args.at(1)) << Qt::endl;
    return ExitOk;
}

int removeRole(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    // The role's keychain entry must not outlive it: KeyCommands removes both, entry first.
    return removeRoleAndKey(ctx, args.at(0));
}

int setGrant(CliContext& ctx, const QStringList& args, bool granted)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const bool before = ws->policy().isGranted(args.at(0), args.at(1));
    if (Status s = ws->setGranted(args.at(0), args.at(1), granted); !s)
        return ctx.fail(s);
    if (before == granted)
        ctx.out << QStringLiteral("role '%1' %2 permission %3 already; nothing changed")
                       .arg(args.at(0), granted ? QStringLiteral("has") : QStringLiteral("does not have"),
                           args.at(1))
                << Qt::endl;
    else
        ctx.out << QStringLiteral("%1 %2 %3 role '%4'")
                       .arg(granted ? QStringLiteral("granted") : QStringLiteral("revoked"), args.at(1),
                           granted ? QStringLiteral("to") : QStringLiteral("from"), args.at(0))
                << Qt::endl;
    return ExitOk;
}

int check(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const CheckResult result
        = PolicyEngine::check(ws->policy(), args.at(0), args.at(1), ScopeCatalog::builtin());
    switch (result.outcome) {
    case CheckResult::Allowed:
        ctx.out << result.message << Qt::endl;
        if (!result.scopes.isEmpty())
            ctx.out << "needs Klaviyo scopes: " << result.scopes.join(QStringLiteral(", ")) << Qt::endl;
        return ExitOk;
    case CheckResult::Forbidden:
        ctx.out << result.message << Qt::endl;
        return ExitDenied;
    case CheckResult::Unauthenticated:
        ctx.err << result.message << Qt::endl;
        return ExitUsage;
    case CheckResult::UnknownPermission:
        return ctx.fail(Status::error(ErrorKind::NotFound, result.message));
    }
    return ExitUsage;
}

int scopes(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("json"), QStringLiteral("list")}))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const Role* role = ws->policy().role(args.at(0));
    if (!role)
        return ctx.fail(Status::error(
            ErrorKind::NotFound, QStringLiteral("no role '%1' in this workspace").arg(args.at(0))));
    const QVector<ScopeRequirement> required
        = PolicyEngine::requiredScopes(ws->policy(), *role, ScopeCatalog::builtin());
    if (format == QLatin1String("list")) {
        for (const ScopeRequirement& r : required)
            ctx.out << r.scope << '\n';
        ctx.out.flush();
        return ExitOk;
    }
    if (format == QLatin1String("json")) {
        QJsonArray array;
        for (const ScopeRequirement& r : required)
            array.append(
                QJsonObject {{QStringLiteral("scope"), r.scope}, {QStringLiteral("baseline"), r.baseline},
                    {QStringLiteral("neededBy"), QJsonArray::fromStringList(r.neededBy)}});
        ctx.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    TextTable table({QStringLiteral("SCOPE"), QStringLiteral("NEEDED BY")});
    for (const ScopeRequirement& r : required) {
        QStringList why = r.neededBy;
        if (r.baseline)
            why.prepend(QStringLiteral("(baseline: every key, to verify its account)"));
        table.addRow({r.scope, why.join(QStringLiteral(", "))});
    }
    table.print(ctx.out);
    QStringList names;
    for (const ScopeRequirement& r : required)
        names << r.scope;
    ctx.out << "\nCreate the key in Klaviyo: " << PolicyEngine::createKeyLink(names) << Qt::endl;
    return ExitOk;
}

} // namespace

void addRoleCommands(QVector<Command>& commands)
{
    const QString tableJson = QStringLiteral("table|json");
    commands.append({{QStringLiteral("roles")}, QStringLiteral("[--format table|json]"),
        QStringLiteral("List the roles with their permission and scope counts."), {formatOption(tableJson)},
        0, 0, listRoles});
    commands.append({{QStringLiteral("role"), QStringLiteral("add")},
        QStringLiteral("NAME [--from ROLE] [--description TEXT]"),
        QStringLiteral("Add a role, empty or as a copy of ROLE's permissions."),
        {QCommandLineOption(
             QStringLiteral("from"), QStringLiteral("copy this role's permissions"), QStringLiteral("ROLE")),
            QCommandLineOption(QStringLiteral("description"), QStringLiteral("what the role is for"),
                QStringLiteral("TEXT"))},
        1, 1, addRole});
    commands.append({{QStringLiteral("role"), QStringLiteral("rename")}, QStringLiteral("OLD NEW"),
        QStringLiteral("Rename a role; its grants (and later its key) stay with it."), {}, 2, 2, renameRole});
    commands.append({{QStringLiteral("role"), QStringLiteral("remove")}, QStringLiteral("NAME"),
        QStringLiteral("Remove a role and its grants."), {}, 1, 1, removeRole});
    commands.append({{QStringLiteral("grant")}, QStringLiteral("ROLE PERMISSION"),
        QStringLiteral("Grant a permission to a role."), {}, 2, 2,
        [](CliContext& ctx, const QCommandLineParser&, const QStringList& a) {
            return setGrant(ctx, a, true);
        }});
    commands.append({{QStringLiteral("revoke")}, QStringLiteral("ROLE PERMISSION"),
        QStringLiteral("Revoke a permission from a role."), {}, 2, 2,
        [](CliContext& ctx, const QCommandLineParser&, const QStringList& a) {
            return setGrant(ctx, a, false);
        }});
    commands.append({{QStringLiteral("check")}, QStringLiteral("ROLE PERMISSION"),
        QStringLiteral("May ROLE do PERMISSION? Exit 0 allowed, 1 forbidden (403), 2 unknown role (401)."),
        {}, 2, 2, check});
    commands.append({{QStringLiteral("scopes")}, QStringLiteral("ROLE [--format table|json|list]"),
        QStringLiteral("The Klaviyo scopes ROLE's key needs, which permission needs each, and the link "
                       "that creates such a key."),
        {formatOption(QStringLiteral("table|json|list"))}, 1, 1, scopes});
}

} // namespace rbac::cli
