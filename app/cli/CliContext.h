#pragma once

#include "Command.h"
#include "base/Status.h"
#include "workspace/Workspace.h"

#include <QTextStream>

#include <memory>

namespace rbac::cli {

// What every command gets: the global options, the output streams and the workspace.
class CliContext
{
public:
    CliContext(QTextStream& out, QTextStream& err)
        : out(out)
        , err(err)
    {
    }

    QTextStream& out;
    QTextStream& err;
    QString workspacePath; // empty: Workspace::defaultPath()
    QString actor;         // empty: the OS user

    // Opens (creating on first use) the workspace; prints the error and returns null on failure.
    Workspace* workspace();
    int lastOpenExit() const { return m_openExit; }

    // Prints the error and returns the matching exit code.
    int fail(const Status& status);
    int usage(const QString& message);

private:
    std::unique_ptr<Workspace> m_workspace;
    int m_openExit = ExitOk;
};

int exitCodeFor(ErrorKind kind);

// "yes"/"true"/"1" style flags are not used: formats are validated against a list.
bool checkFormat(CliContext& ctx, const QString& format, const QStringList& allowed);

} // namespace rbac::cli
