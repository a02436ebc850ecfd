// klaviyo-rbac-console: the desktop console.
#include "AppIdentity.h"
#include "ConsolePages.h"
#include "MainWindow.h"
#include "MessageBox.h"
#include "QtKeychainStore.h"
#include "SingleInstance.h"
#include "Workspace.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    rbac::applyAppIdentity();
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Klaviyo RBAC Console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Least-privilege roles for Klaviyo API keys."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspaceOption(QStringLiteral("workspace"),
        QApplication::translate("main", "Open this workspace file."), QStringLiteral("FILE"));
    const QCommandLineOption actorOption(QStringLiteral("actor"),
        QApplication::translate("main", "Name recorded in the audit log."), QStringLiteral("NAME"));
    parser.addOptions({workspaceOption, actorOption});
    parser.process(app);

    // First run: the default workspace, created with the five default roles.
    const QString path = rbac::MainWindow::initialWorkspacePath(parser.value(workspaceOption));
    // One console per workspace: a second start raises the first one's window and ends.
    rbac::SingleInstance instance(path);
    if (!instance.claim())
        return 0;
    auto opened = rbac::Workspace::open(path);
    if (!opened) {
        rbac::MessageBox::critical(nullptr, QApplication::translate("main", "Cannot open the workspace"),
            QApplication::translate("main", "“%1” could not be opened.").arg(path),
            opened.status().message());
        return 3;
    }
    std::unique_ptr<rbac::Workspace> workspace = std::move(opened.value());
    if (parser.isSet(actorOption))
        workspace->setActor(parser.value(actorOption));
    workspace->setOrigin(QStringLiteral("console"));

    // The OS keychain, and nothing else, holds keys and tokens. An unlock prompt waits for a person.
    rbac::QtKeychainStore keychain(rbac::QtKeychainStore::interactiveTimeoutMs);
    rbac::MainWindow window(std::move(workspace));
    rbac::installConsolePages(&window, &keychain);
    QObject::connect(
        &instance, &rbac::SingleInstance::activationRequested, &window, &rbac::MainWindow::bringToFront);
    window.show();
    return app.exec();
}
