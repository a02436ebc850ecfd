#include "ConsolePages.h"

#include "ApiKeysPage.h"
#include "AuditPage.h"
#include "KeyService.h"
#include "MainWindow.h"
#include "OAuthPage.h"
#include "oauth/OAuthService.h"

namespace rbac {

void installConsolePages(MainWindow* window, SecretStore* store)
{
    // Services are children of their page: a new workspace replaces both together.
    window->setPageFactory(MainWindow::Page::ApiKeys, [store](Workspace* workspace, QWidget* parent) {
        auto* service = new KeyService(workspace, store);
        auto* page = new ApiKeysPage(workspace, service, parent);
        service->setParent(page);
        return static_cast<QWidget*>(page);
    });
    window->setPageFactory(MainWindow::Page::OAuth, [store](Workspace* workspace, QWidget* parent) {
        auto* service = new OAuthService(workspace, store);
        auto* page = new OAuthPage(workspace, service, parent);
        service->setParent(page);
        return static_cast<QWidget*>(page);
    });
    window->setPageFactory(MainWindow::Page::Audit, [](Workspace* workspace, QWidget* parent) {
        return static_cast<QWidget*>(new AuditPage(workspace, parent));
    });
}

} // namespace rbac
