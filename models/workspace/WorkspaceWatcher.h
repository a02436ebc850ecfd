#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rbac {

class Policy;
class Workspace;

// Notices commits other programs (the CLI, another console) make to the open workspace file and
// loads them, so nothing is shown stale and nothing is silently overwritten. Watches the database,
// its -wal file and its folder, with a slow poll as a fallback (network file systems may not
// report changes, server databases have no file); each look is one cheap query.
class WorkspaceWatcher : public QObject
{
    Q_OBJECT

public:
    explicit WorkspaceWatcher(QObject* parent = nullptr);

    void setWorkspace(Workspace* workspace);
    // 0 turns polling off. Default 3000 ms.
    void setPollInterval(int ms);

    // A short, human description of what differs between two policies ("" when nothing does).
    static QString describeChanges(const Policy& before, const Policy& after);

public slots:
    // Loads what other programs committed since the last look; true when something was loaded.
    bool checkNow();

signals:
    // Changes made elsewhere were loaded; `summary` names what changed in the policy.
    void reloaded(const QString& summary);
    void failed(const QString& message);

private:
    void rewatch();
    void scheduleCheck();

    QPointer<Workspace> m_workspace;
    QFileSystemWatcher m_files;
    QTimer m_debounce;
    QTimer m_poll;
};

} // namespace rbac
