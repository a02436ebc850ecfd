// policy export, policy import.
#include "CliContext.h"
#include "Command.h"
#include "credentials/KeyIndex.h"
#include "policy/PolicyJson.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace rbac::cli {

namespace {

int exportPolicy(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    const QByteArray bytes = PolicyJson::exportPolicy(ws->policy());
    if (args.isEmpty()) {
        ctx.out << QString::fromUtf8(bytes);
        ctx.out.flush();
        return ExitOk;
    }
    QSaveFile file(args.at(0));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return ctx.fail(Status::error(ErrorKind::Environment,
            QStringLiteral("cannot write '%1': %2").arg(args.at(0), file.errorString())));
    ctx.err << QStringLiteral("exported %1 roles and %2 permissions to %3")
                   .arg(ws->policy().roles.size())
                   .arg(ws->policy().permissions.size())
                   .arg(args.at(0))
            << Qt::endl;
    return ExitOk;
}

int importPolicy(CliContext& ctx, const QCommandLineParser&, const QStringList& args)
{
    const Expected<QByteArray> bytes = PolicyJson::readFile(args.at(0));
    if (!bytes)
        return ctx.fail(bytes.status());
    // Validate before the workspace is even opened: a bad file changes nothing.
    Expected<Policy> policy = PolicyJson::importPolicy(*bytes, ScopeCatalog::builtin());
    if (!policy) {
        ctx.err << QStringLiteral(
            "klaviyo-rbac: error: '%1' is not a valid policy file; nothing was changed:")
                       .arg(args.at(0))
                << Qt::endl;
        for (const QString& line : policy.status().message().split(QLatin1Char('\n')))
            ctx.err << "  " << line << Qt::endl;
        return ExitUsage;
    }
    Workspace* ws = ctx.workspace();
    if (!ws)
        return ctx.lastOpenExit();
    // A role that goes away must not leave its key behind in the keychain, where nothing would
    // point to it any more: those keys are removed first, with `key remove`, which deletes them.
    if (Expected<QVector<KeyRecord>> keys = KeyIndex::load(ws->database()); keys) {
        QStringList keyed;
        for (const KeyRecord& k : std::as_const(*keys)) {
            const bool kept = std::any_of(policy->roles.cbegin(), policy->roles.cend(),
                [&k](const Role& r) { return r.name == k.roleName; });
            if (k.hasKey && !kept)
                keyed << k.roleName;
        }
        if (!keyed.isEmpty()) {
            ctx.err << QStringLiteral(
                "klaviyo-rbac: error: '%1' removes roles that still have an API key in the "
                "keychain (%2); nothing was changed. Remove their keys first: %3")
                           .arg(args.at(0), keyed.join(QStringLiteral(", ")),
                               QStringLiteral("klaviyo-rbac key remove ")
                                   + keyed.join(QStringLiteral("; klaviyo-rbac key remove ")))
                    << Qt::endl;
            return ExitDenied;
        }
    } else {
        return ctx.fail(keys.status());
    }
    const qint64 before = ws->auditLog().count().value();
    if (Status s = ws->replacePolicy(*policy, QFileInfo(args.at(0)).fileName()); !s)
        return ctx.fail(s);
    const bool changed = ws->auditLog().count().value() != before;
    ctx.out << (changed ? QStringLiteral("imported %1 roles and %2 permissions from %3")
                              .arg(policy->roles.size())
                              .arg(policy->permissions.size())
                              .arg(args.at(0))
                        : QStringLiteral("the workspace already has this policy; nothing changed"))
            << Qt::endl;
    return ExitOk;
}

} // namespace

void addPolicyCommands(QVector<Command>& commands)
{
    commands.append({{QStringLiteral("policy"), QStringLiteral("export")}, QStringLiteral("[FILE]"),
        QStringLiteral("Write the policy as JSON (to stdout without FILE). Deterministic: same policy, "
                       "same bytes."),
        {}, 0, 1, exportPolicy});
    commands.append({{QStringLiteral("policy"), QStringLiteral("import")}, QStringLiteral("FILE"),
        QStringLiteral("Replace the policy with FILE's, all or nothing, after validating all of it."), {}, 1,
        1, importPolicy});
}

} // namespace rbac::cli
