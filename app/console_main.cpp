// klaviyo-rbac-console: the desktop console.
#include "AppIdentity.h"
#include "MainWindow.h"
#include "Workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    rbac::applyAppIdentity();
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Klaviyo RBAC Console"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Least-privilege roles for Klaviyo API keys."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspaceOption(QStringLiteral("workspace"),
                                             QApplication::translate("main", "Open this workspace file."),
                                             QStringLiteral("FILE"));
    const QCommandLineOption actorOption(QStringLiteral("actor"),
                                         QApplication::translate("main", "Name recorded in the audit log."),
                                         QStringLiteral("NAME"));
    parser.addOptions({workspaceOption, actorOption});
    parser.process(app);

    const QString path = parser.isSet(workspaceOption) ? parser.value(workspaceOption) : rbac::Workspace::defaultPath();
    auto opened = rbac::Workspace::open(path);
    if (!opened) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "Cannot open the workspace"),
                              opened.status().message());
        return 3;
    }
    std::unique_ptr<rbac::Workspace> workspace = std::move(opened.value());
    if (parser.isSet(actorOption))
        workspace->setActor(parser.value(actorOption));
    workspace->setOrigin(QStringLiteral("console"));

    rbac::MainWindow window(workspace.get());
    window.show();
    return app.exec();
}
