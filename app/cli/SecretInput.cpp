#include "SecretInput.h"

#include "CliContext.h"

#include <QFile>

#include <termios.h>
#include <unistd.h>

namespace rbac::cli {

namespace {
constexpr qint64 maxSecretInput = 4096; // far above any key or secret; stops runaway input
}

QByteArray readSecretFromStdin(CliContext& ctx, const QString& prompt)
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    if (!isatty(STDIN_FILENO))
        return in.read(maxSecretInput);
    ctx.err << prompt << Qt::flush;
    termios saved {};
    const bool quiet = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (quiet) {
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
    }
    QByteArray line = in.readLine(maxSecretInput);
    if (quiet)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    ctx.err << Qt::endl;
    return line;
}

} // namespace rbac::cli
