#include "oauth/SystemBrowser.h"

#include <QProcess>
#include <QStandardPaths>

namespace rbac::SystemBrowser {

bool open(const QUrl& url, QString* error)
{
    const QString target = url.toString(QUrl::FullyEncoded);
    QString program;
    QStringList arguments;
    const QString browser
        = qEnvironmentVariable("BROWSER").split(QLatin1Char(':'), Qt::SkipEmptyParts).value(0);
    if (!browser.isEmpty()) {
        arguments = QProcess::splitCommand(browser);
        program = arguments.isEmpty() ? QString() : arguments.takeFirst();
        bool substituted = false;
        for (QString& argument : arguments) {
            if (argument.contains(QLatin1String("%s"))) {
                argument.replace(QLatin1String("%s"), target);
                substituted = true;
            }
        }
        if (!substituted)
            arguments << target;
    } else {
        program = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
        arguments << target;
        if (program.isEmpty()) {
            if (error)
                *error = QStringLiteral("neither $BROWSER nor xdg-open is available");
            return false;
        }
    }
    // The browser's own chatter must not mix into the CLI's output, which scripts read.
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    if (program.isEmpty() || !process.startDetached()) {
        if (error)
            *error = QStringLiteral("could not start '%1'").arg(program);
        return false;
    }
    return true;
}

} // namespace rbac::SystemBrowser
