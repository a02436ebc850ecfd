#pragma once

#include "keychain/MemorySecretStore.h"
#include "runtime/WorkspaceServices.h"
#include "workspace/Workspace.h"

#include <memory>

namespace rbac::test {

// What console_main makes before the window: the application's WorkspaceServices holding the
// open workspace, on an in-memory keychain unless the test passes its own store. Declare it before
// the MainWindow that uses it, so it outlives the window.
class WithServices
{
public:
    explicit WithServices(std::unique_ptr<Workspace> workspace, SecretStore* store = nullptr)
        : m_services(store ? store : &m_memory)
    {
        m_services.setWorkspace(std::move(workspace));
    }
    WorkspaceServices* get() { return &m_services; }
    operator WorkspaceServices*() { return &m_services; }

private:
    MemorySecretStore m_memory;
    WorkspaceServices m_services;
};

} // namespace rbac::test
