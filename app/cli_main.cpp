// klaviyo-rbac: the console's command-line twin, for scripts and CI.
#include "runtime/AppIdentity.h"
#include "CliRunner.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    rbac::applyAppIdentity();
    QTextStream out(stdout);
    QTextStream err(stderr);
    return rbac::cli::run(QCoreApplication::arguments(), out, err);
}
