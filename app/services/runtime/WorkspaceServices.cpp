#include "runtime/WorkspaceServices.h"

#include "keychain/KeyService.h"
#include "keychain/OrphanKeyCleaner.h"
#include "oauth/OAuthService.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceWatcher.h"

namespace rbac {

WorkspaceServices::WorkspaceServices(SecretStore* store, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_watcher(new WorkspaceWatcher(this))
{
}

WorkspaceServices::~WorkspaceServices()
{
    // The services hold pointers into the workspace: they go before it does.
    dropServices();
    m_watcher->setWorkspace(nullptr);
}

std::unique_ptr<Workspace> WorkspaceServices::setWorkspace(std::unique_ptr<Workspace> workspace)
{
    dropServices();
    std::unique_ptr<Workspace> previous = std::move(m_workspace);
    m_workspace = std::move(workspace);
    Workspace* ws = m_workspace.get();
    m_watcher->setWorkspace(ws);
    if (ws) {
        m_keys = new KeyService(ws, m_store, this);
        m_orphans = new OrphanKeyCleaner(m_keys, this);
        connect(m_orphans, &OrphanKeyCleaner::keychainProblem, this, &WorkspaceServices::keychainProblem);
        m_oauth = new OAuthService(ws, m_store, this);
    }
    return previous;
}

void WorkspaceServices::dropServices()
{
    delete m_oauth;
    delete m_orphans;
    delete m_keys;
    m_oauth = nullptr;
    m_orphans = nullptr;
    m_keys = nullptr;
}

} // namespace rbac
