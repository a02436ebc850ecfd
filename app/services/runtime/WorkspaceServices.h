#pragma once

#include <QObject>

#include <memory>

namespace rbac {

class KeyService;
class OAuthService;
class OrphanKeyCleaner;
class SecretStore;
class Workspace;
class WorkspaceWatcher;

// What the console runs for its open workspace, owned by the application (made in main) for the
// life of the process: the workspace itself, the watch for changes made elsewhere, the key
// service with its orphan-key cleanup, and the OAuth service. Pages receive what they use and
// never own a service, so the cleanup runs whichever page is shown (or none). Opening another
// workspace replaces the workspace-bound services together.
class WorkspaceServices : public QObject
{
    Q_OBJECT

public:
    // `store` (the OS keychain) must outlive this object.
    explicit WorkspaceServices(SecretStore* store, QObject* parent = nullptr);
    ~WorkspaceServices() override;

    // Makes `workspace` the open one (nullptr: none) and builds its services anew. The previous
    // workspace is handed back, so the caller closes it once its views have let go.
    std::unique_ptr<Workspace> setWorkspace(std::unique_ptr<Workspace> workspace);

    Workspace* workspace() const { return m_workspace.get(); }
    SecretStore* store() const { return m_store; }
    WorkspaceWatcher* watcher() const { return m_watcher; }
    // Null while no workspace is open.
    KeyService* keys() const { return m_keys; }
    OAuthService* oauth() const { return m_oauth; }

signals:
    // The orphan-key cleanup could not delete a removed role's keychain entry, or not audit it.
    void keychainProblem(const QString& message);

private:
    void dropServices();

    SecretStore* m_store;
    std::unique_ptr<Workspace> m_workspace;
    WorkspaceWatcher* m_watcher;
    KeyService* m_keys = nullptr;
    OrphanKeyCleaner* m_orphans = nullptr;
    OAuthService* m_oauth = nullptr;
};

} // namespace rbac
