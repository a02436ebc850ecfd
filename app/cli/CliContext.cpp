#include "CliContext.h"

namespace rbac::cli {

int exitCodeFor(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return ExitOk;
    case ErrorKind::InvalidInput:
    case ErrorKind::NotFound:
    case ErrorKind::Conflict:
        return ExitUsage;
    case ErrorKind::Environment:
        return ExitEnvironment;
    }
    return ExitEnvironment;
}

Workspace* CliContext::workspace()
{
    if (m_workspace)
        return m_workspace.get();
    const QString path = workspacePath.isEmpty() ? Workspace::defaultPath() : workspacePath;
    Expected<std::unique_ptr<Workspace>> opened = Workspace::open(path);
    if (!opened) {
        m_openExit = fail(opened.status());
        return nullptr;
    }
    m_workspace = std::move(opened.value());
    if (!actor.isEmpty())
        m_workspace->setActor(actor);
    m_workspace->setOrigin(QStringLiteral("cli"));
    return m_workspace.get();
}

int CliContext::fail(const Status& status)
{
    const QStringList lines = status.message().split(QLatin1Char('\n'));
    for (const QString& line : lines)
        err << "klaviyo-rbac: error: " << line << Qt::endl;
    return exitCodeFor(status.kind());
}

int CliContext::usage(const QString& message)
{
    err << "klaviyo-rbac: " << message << Qt::endl;
    return ExitUsage;
}

bool checkFormat(CliContext& ctx, const QString& format, const QStringList& allowed)
{
    if (allowed.contains(format))
        return true;
    ctx.usage(QStringLiteral("unknown format '%1' (use %2)").arg(format, allowed.join(QLatin1Char('|'))));
    return false;
}

} // namespace rbac::cli
