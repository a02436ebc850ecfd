// klaviyo-rbac-console: the desktop console.
#include "runtime/AppIdentity.h"
#include "window/AppSettings.h"
#include "window/ConsolePages.h"
#include "window/MainWindow.h"
#include "widgets/MessageBox.h"
#include "keychain/QtKeychainStore.h"
#include "runtime/SingleInstance.h"
#include "window/Theme.h"
#include "runtime/VersionInfo.h"
#include "runtime/WorkspaceServices.h"
#include "workspace/Workspace.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    rbac::applyAppIdentity();
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Klaviyo RBAC Console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Least-privilege roles for Klaviyo API keys."));
    parser.addHelpOption();
    // Our own --version: Qt's prints only the program's version, support needs the rest too.
    const QCommandLineOption versionOption({QStringLiteral("v"), QStringLiteral("version")},
        QApplication::translate(
            "main", "Show the version of the console, Qt, QtKeychain and the Klaviyo API."));
    parser.addOption(versionOption);
    const QCommandLineOption workspaceOption(QStringLiteral("workspace"),
        QApplication::translate("main", "Open this workspace file."), QStringLiteral("FILE"));
    const QCommandLineOption actorOption(QStringLiteral("actor"),
        QApplication::translate("main", "Name recorded in the audit log."), QStringLiteral("NAME"));
    parser.addOptions({workspaceOption, actorOption});
    parser.process(app);
    if (parser.isSet(versionOption)) {
        fputs(qPrintable(rbac::versionReport(QStringLiteral("klaviyo-rbac-console"))), stdout);
        return 0;
    }

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
    // The workspace and its services belong to the application, not to a window or page.
    rbac::WorkspaceServices services(&keychain);
    services.setWorkspace(std::move(workspace)); // there was none before: nothing to close
    rbac::Theme::apply(rbac::Theme::fromName(rbac::AppSettings::theme()));
    rbac::MainWindow window(&services);
    rbac::installConsolePages(&window);
    QObject::connect(
        &instance, &rbac::SingleInstance::activationRequested, &window, &rbac::MainWindow::bringToFront);
    window.show();
    return app.exec();
}
