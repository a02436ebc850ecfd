#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QStringList>
#include <QVector>

#include <functional>

namespace rbac::cli {

class CliContext;

// Exit codes of klaviyo-rbac, shared by every command.
enum Exit
{
    ExitOk = 0,          // success, allowed, intact
    ExitDenied = 1,      // denied, or verification failed
    ExitUsage = 2,       // bad usage or invalid input
    ExitEnvironment = 3, // database locked or unreadable, keychain, network
};

struct Command
{
    QStringList words; // e.g. {"role", "add"}
    QString arguments; // e.g. "NAME [--from ROLE] [--description TEXT]"
    QString summary;
    QList<QCommandLineOption> options;
    int minArgs = 0;
    int maxArgs = 0;
    std::function<int(CliContext& ctx, const QCommandLineParser& parser, const QStringList& args)> run;
};

void addRoleCommands(QVector<Command>& commands);
void addPermissionCommands(QVector<Command>& commands);
void addPolicyCommands(QVector<Command>& commands);
void addAuditCommands(QVector<Command>& commands);
void addWorkspaceCommands(QVector<Command>& commands);
void addSettingCommands(QVector<Command>& commands);
void addKeyCommands(QVector<Command>& commands);
void addOAuthCommands(QVector<Command>& commands);

} // namespace rbac::cli
