#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace rbac::test {

// What one run of klaviyo-rbac did.
struct CliResult
{
    int exitCode = -1; // -1 when it did not start, crashed or timed out
    QByteArray out;
    QByteArray err;
    bool timedOut = false; // killed after CliOptions::timeoutMs
    qint64 ms = 0;         // from start to finish
};

struct CliOptions
{
    QString workspace;       // when set, "--workspace <workspace>" comes before the arguments
    QProcessEnvironment env; // variables set on top of this test's own environment
    QStringList unsetEnv;    // variables removed from it
    QByteArray input;        // written to stdin, which is then closed (it always is)
    int timeoutMs = 60000;   // then the program is killed
    // Turn this thread's event loop while waiting, so that an in-process stand-in (the fake
    // Klaviyo or authorization server) keeps answering the program. Off: the test blocks, and
    // nothing in it (a watcher, a timer) moves while the program runs.
    bool eventLoop = false;
};

// Runs the built klaviyo-rbac (cliPath()) with `arguments` and collects its exit code and output.
CliResult runCli(const QStringList& arguments, const CliOptions& options = {});

} // namespace rbac::test
