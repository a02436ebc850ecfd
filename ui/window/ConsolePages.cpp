#include "window/ConsolePages.h"

#include "keys/ApiKeysPage.h"
#include "audit/AuditPage.h"
#include "window/MainWindow.h"
#include "oauth/OAuthPage.h"
#include "oauth/OAuthService.h"
#include "runtime/WorkspaceServices.h"

#include <QLabel>

namespace rbac {

namespace {

QLabel* statusLabel(MainWindow* window, const QString& objectName)
{
    auto* label = new QLabel(window);
    label->setObjectName(objectName);
    window->addStatusWidget(label);
    return label;
}

void showKeychain(QLabel* label, bool available, const QString& message)
{
    label->setText(
        available ? MainWindow::tr("Keychain: available") : MainWindow::tr("Keychain: unavailable"));
    label->setToolTip(available ? QString() : message);
    label->setAccessibleName(label->text());
}

void showConnection(QLabel* label, const OAuthService* service)
{
    const Expected<std::optional<OAuthConnection>> c = service->connection();
    QString text;
    if (!c)
        text = MainWindow::tr("Klaviyo: unknown");
    else if (!c->has_value())
        text = MainWindow::tr("Klaviyo: not connected");
    else if ((*c)->state == OAuthConnection::State::ReconnectRequired)
        text = MainWindow::tr("Klaviyo: reconnect needed");
    else
        text = MainWindow::tr("Klaviyo: %1")
                   .arg((*c)->organizationName.isEmpty() ? (*c)->accountId : (*c)->organizationName);
    label->setText(text);
    label->setAccessibleName(text);
}

} // namespace

void installConsolePages(MainWindow* window)
{
    WorkspaceServices* services = window->services();
    // Status-bar indicators live as long as the window; each new page reports to them.
    QLabel* keychain = statusLabel(window, QStringLiteral("keychainStatusLabel"));
    QLabel* connection = statusLabel(window, QStringLiteral("connectionStatusLabel"));

    // The services belong to the application; pages only use them.
    window->setPageFactory(
        MainWindow::Page::ApiKeys, [services, keychain](Workspace* workspace, QWidget* parent) {
            auto* page = new ApiKeysPage(workspace, services->keys(), parent);
            QObject::connect(
                services, &WorkspaceServices::keychainProblem, page, &ApiKeysPage::showKeychainProblem);
            QObject::connect(page, &ApiKeysPage::keychainChecked, keychain,
                [keychain](
                    bool available, const QString& message) { showKeychain(keychain, available, message); });
            return static_cast<QWidget*>(page);
        });
    window->setPageFactory(
        MainWindow::Page::OAuth, [services, connection](Workspace* workspace, QWidget* parent) {
            OAuthService* service = services->oauth();
            auto* page = new OAuthPage(workspace, service, parent);
            QObject::connect(service, &OAuthService::connectionChanged, page,
                [connection, service] { showConnection(connection, service); });
            showConnection(connection, service);
            return static_cast<QWidget*>(page);
        });
    window->setPageFactory(MainWindow::Page::Audit, [](Workspace* workspace, QWidget* parent) {
        return static_cast<QWidget*>(new AuditPage(workspace, parent));
    });
}

} // namespace rbac
