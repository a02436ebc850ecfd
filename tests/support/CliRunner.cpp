#include "CliRunner.h"

#include "TestPaths.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

namespace rbac::test {

CliResult runCli(const QStringList& arguments, const CliOptions& options)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& name : options.unsetEnv)
        env.remove(name);
    env.insert(options.env);

    QStringList all;
    if (!options.workspace.isEmpty())
        all << QStringLiteral("--workspace") << options.workspace;
    all += arguments;

    CliResult result;
    QProcess p;
    p.setProcessEnvironment(env);
    QElapsedTimer timer;
    timer.start();
    p.start(cliPath(), all);
    if (!p.waitForStarted(10000)) {
        result.err = "test: could not start " + cliPath().toUtf8() + ": " + p.errorString().toUtf8();
        return result;
    }
    p.write(options.input);
    p.closeWriteChannel();

    bool finished = false;
    if (options.eventLoop) {
        // Never waitForFinished() here: it would stop this thread's servers from answering.
        QEventLoop loop;
        QObject::connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(options.timeoutMs, &loop, &QEventLoop::quit);
        if (p.state() != QProcess::NotRunning)
            loop.exec();
        finished = p.state() == QProcess::NotRunning;
    } else {
        finished = p.waitForFinished(options.timeoutMs);
    }
    if (!finished) {
        result.timedOut = true;
        qWarning("klaviyo-rbac %s did not finish within %d ms", qPrintable(arguments.join(QLatin1Char(' '))),
            options.timeoutMs);
        p.kill();
        p.waitForFinished(5000);
    }
    result.ms = timer.elapsed();
    result.out = p.readAllStandardOutput();
    result.err = p.readAllStandardError();
    if (!result.timedOut && p.exitStatus() == QProcess::NormalExit)
        result.exitCode = p.exitCode();
    return result;
}

} // namespace rbac::test
