// permissions, permission add/remove, matrix.
#include "CliContext.h"
#include "Command.h"
#include "policy/PolicyEngine.h"
#include "TextTable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rbac::cli {

namespace {

// "a,b" and repeated options both work.
QStringList splitList(const QStringList& values)
{
    QStringList out;
    for (const QString& value : values) {
        for (const QString& item : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            out << item.trimmed();
    }
    return out;
}

int listPermissions(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("json")}))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    if (format == QLatin1String("json")) {
        QJsonArray array;
        for (const Permission& p : ws->policy().permissions) {
            array.append(
                QJsonObject {{QStringLiteral("name"), p.name}, {QStringLiteral("description"), p.description},
                    {QStringLiteral("operations"), QJsonArray::fromStringList(p.operations)},
                    {QStringLiteral("extraScopes"), QJsonArray::fromStringList(p.scopes)},
                    {QStringLiteral("scopes"),
                        QJsonArray::fromStringList(PolicyEngine::permissionScopes(p, catalog))},
                    {QStringLiteral("roles"), QJsonArray::fromStringList(ws->policy().holders(p.name))}});
        }
        ctx.out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    TextTable table({QStringLiteral("PERMISSION"), QStringLiteral("SCOPES"), QStringLiteral("ROLES"),
        QStringLiteral("DESCRIPTION")});
    for (const Permission& p : ws->policy().permissions) {
        table.addRow({p.name, PolicyEngine::permissionScopes(p, catalog).join(QLatin1Char(',')),
            ws->policy().holders(p.name).join(QLatin1Char(',')), p.description});
    }
    table.print(ctx.out);
    return ExitOk;
}

int addPermission(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)
{
    Permission p;
    p.name = args.at(0);
    p.description = parser.value(QStringLiteral("description"));
    p.operations = splitList(parser.values(QStringLiteral("operations")));
    p.scopes = splitList(parser.values(QStringLiteral("scopes")));
    if (p.operations.isEmpty() && p.scopes.isEmpty())
        return ctx.usage(QStringLiteral("permission add: give --operations IDS and/or --scopes LIST"));
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    if (Status s = ws->addPermission(p); !s)
        return ctx.fail(s);
    ctx.out << QStringLiteral("added permission '%1' (scopes: %2)")
                   .arg(p.name,
                       PolicyEngine::permissionScopes(
                           *ws->policy().permission(p.name), ScopeCatalog::builtin())
                           .join(QStringLiteral(", ")))
            << Qt::endl;
    return ExitOk;
}

int removePermission(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const QStringList holders = ws->policy().holders(args.at(0));
    if (Status s = ws->removePermission(args.at(0)); !s)
        return ctx.fail(s);
    ctx.out << QStringLiteral("removed permission '%1'").arg(args.at(0));
    if (!holders.isEmpty())
        ctx.out << QStringLiteral(" (revoked from %1)").arg(holders.join(QStringLiteral(", ")));
    ctx.out << Qt::endl;
    return ExitOk;
}

int matrix(CliContext& ctx, const QCommandLineParser& parser, const QStringList&)
{
    const QString format = parser.value(QStringLiteral("format"));
    if (!checkFormat(ctx, format, {QStringLiteral("table"), QStringLiteral("csv"), QStringLiteral("json")}))
        return ExitUsage;
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const Policy& policy = ws->policy();
    QStringList permissions;
    for (const Permission& p : policy.permissions)
        permissions << p.name;

    if (format == QLatin1String("json")) {
        QJsonArray roles;
        for (const Role& r : policy.roles) {
            QJsonObject grants;
            for (const QString& p : std::as_const(permissions))
                grants.insert(p, policy.isGranted(r.name, p));
            roles.append(QJsonObject {{QStringLiteral("role"), r.name}, {QStringLiteral("grants"), grants}});
        }
        ctx.out << QJsonDocument(
            QJsonObject {{QStringLiteral("permissions"), QJsonArray::fromStringList(permissions)},
                {QStringLiteral("roles"), roles}})
                       .toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    if (format == QLatin1String("csv")) {
        QStringList header {QStringLiteral("role")};
        for (const QString& p : std::as_const(permissions))
            header << csvField(p);
        ctx.out << header.join(QLatin1Char(',')) << "\r\n";
        for (const Role& r : policy.roles) {
            QStringList row {csvField(r.name)};
            for (const QString& p : std::as_const(permissions))
                row << (policy.isGranted(r.name, p) ? QStringLiteral("1") : QStringLiteral("0"));
            ctx.out << row.join(QLatin1Char(',')) << "\r\n";
        }
        ctx.out.flush();
        return ExitOk;
    }
    TextTable table(QStringList {QStringLiteral("ROLE")} + permissions);
    for (const Role& r : policy.roles) {
        QStringList row {r.name};
        for (const QString& p : std::as_const(permissions))
            row << (policy.isGranted(r.name, p) ? QStringLiteral("x") : QStringLiteral("."));
        table.addRow(row);
    }
    table.print(ctx.out);
    return ExitOk;
}

} // namespace

void addPermissionCommands(QVector<Command>& commands)
{
    commands.append({{QStringLiteral("permissions")}, QStringLiteral("[--format table|json]"),
        QStringLiteral("List the permissions, the Klaviyo scopes each needs and the roles that hold it."),
        {QCommandLineOption(QStringLiteral("format"), QStringLiteral("output format: table|json"),
            QStringLiteral("FORMAT"), QStringLiteral("table"))},
        0, 0, listPermissions});
    commands.append({{QStringLiteral("permission"), QStringLiteral("add")},
        QStringLiteral("NAME (--operations IDS | --scopes LIST) [--description TEXT]"),
        QStringLiteral("Add a custom permission from Klaviyo operationIds and/or scopes (comma-separated)."),
        {QCommandLineOption(QStringLiteral("operations"),
             QStringLiteral("Klaviyo operationIds, e.g. get_lists,create_list"), QStringLiteral("IDS")),
            QCommandLineOption(QStringLiteral("scopes"), QStringLiteral("extra scopes, e.g. lists:read"),
                QStringLiteral("LIST")),
            QCommandLineOption(
                QStringLiteral("description"), QStringLiteral("what it allows"), QStringLiteral("TEXT"))},
        1, 1, addPermission});
    commands.append({{QStringLiteral("permission"), QStringLiteral("remove")}, QStringLiteral("NAME"),
        QStringLiteral("Remove a permission; roles that hold it lose it."), {}, 1, 1, removePermission});
    commands.append({{QStringLiteral("matrix")}, QStringLiteral("[--format table|csv|json]"),
        QStringLiteral("The role × permission matrix."),
        {QCommandLineOption(QStringLiteral("format"), QStringLiteral("output format: table|csv|json"),
            QStringLiteral("FORMAT"), QStringLiteral("table"))},
        0, 0, matrix});
}

} // namespace rbac::cli
