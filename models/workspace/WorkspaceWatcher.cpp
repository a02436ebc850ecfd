#include "workspace/WorkspaceWatcher.h"

#include "workspace/Workspace.h"

#include <QFileInfo>

namespace rbac {

namespace {

QString listed(const QStringList& names)
{
    const int max = 3;
    if (names.size() <= max)
        return names.join(QStringLiteral(", "));
    return WorkspaceWatcher::tr("%1 and %2 more")
        .arg(names.mid(0, max).join(QStringLiteral(", ")))
        .arg(names.size() - max);
}

} // namespace

WorkspaceWatcher::WorkspaceWatcher(QObject* parent)
    : QObject(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(100);
    connect(&m_debounce, &QTimer::timeout, this, &WorkspaceWatcher::checkNow);
    m_poll.setInterval(3000);
    connect(&m_poll, &QTimer::timeout, this, &WorkspaceWatcher::checkNow);
    connect(&m_files, &QFileSystemWatcher::fileChanged, this, &WorkspaceWatcher::scheduleCheck);
    connect(&m_files, &QFileSystemWatcher::directoryChanged, this, &WorkspaceWatcher::scheduleCheck);
}

void WorkspaceWatcher::setWorkspace(Workspace* workspace)
{
    m_workspace = workspace;
    m_debounce.stop();
    rewatch();
    if (workspace && m_poll.interval() > 0)
        m_poll.start();
    else
        m_poll.stop();
}

void WorkspaceWatcher::setPollInterval(int ms)
{
    m_poll.setInterval(ms);
    if (ms > 0 && m_workspace)
        m_poll.start();
    else
        m_poll.stop();
}

void WorkspaceWatcher::rewatch()
{
    const QStringList watched = m_files.files() + m_files.directories();
    if (!watched.isEmpty())
        m_files.removePaths(watched);
    if (!m_workspace)
        return;
    const QString path = m_workspace->path();
    if (path.contains(QLatin1String("://")))
        return; // a server database (e.g. postgresql://): no file to watch; polling still looks
    QStringList paths {QFileInfo(path).absolutePath(), path};
    if (QFileInfo::exists(path + QStringLiteral("-wal")))
        paths << path + QStringLiteral("-wal");
    m_files.addPaths(paths);
}

void WorkspaceWatcher::scheduleCheck()
{
    // A file that was replaced or deleted drops out of the watch list; the -wal may have appeared.
    rewatch();
    m_debounce.start();
}

bool WorkspaceWatcher::checkNow()
{
    if (!m_workspace || !m_workspace->changedElsewhere())
        return false;
    const Policy before = m_workspace->policy();
    if (Status s = m_workspace->refresh(); !s) {
        emit failed(s.message());
        return false;
    }
    emit reloaded(describeChanges(before, m_workspace->policy()));
    return true;
}

QString WorkspaceWatcher::describeChanges(const Policy& before, const Policy& after)
{
    QStringList rolesAdded, rolesRemoved, rolesChanged, permissionsAdded, permissionsRemoved,
        permissionsChanged;
    for (const Role& r : after.roles) {
        const Role* old = before.role(r.name);
        if (!old)
            rolesAdded << r.name;
        else if (!(*old == r))
            rolesChanged << r.name;
    }
    for (const Role& r : before.roles) {
        if (!after.role(r.name))
            rolesRemoved << r.name;
    }
    for (const Permission& p : after.permissions) {
        const Permission* old = before.permission(p.name);
        if (!old)
            permissionsAdded << p.name;
        else if (!(*old == p))
            permissionsChanged << p.name;
    }
    for (const Permission& p : before.permissions) {
        if (!after.permission(p.name))
            permissionsRemoved << p.name;
    }
    QStringList parts;
    if (!rolesAdded.isEmpty())
        parts << tr("roles added: %1").arg(listed(rolesAdded));
    if (!rolesRemoved.isEmpty())
        parts << tr("roles removed: %1").arg(listed(rolesRemoved));
    if (!rolesChanged.isEmpty())
        parts << tr("roles changed: %1").arg(listed(rolesChanged));
    if (!permissionsAdded.isEmpty())
        parts << tr("permissions added: %1").arg(listed(permissionsAdded));
    if (!permissionsRemoved.isEmpty())
        parts << tr("permissions removed: %1").arg(listed(permissionsRemoved));
    if (!permissionsChanged.isEmpty())
        parts << tr("permissions changed: %1").arg(listed(permissionsChanged));
    return parts.join(QStringLiteral("; "));
}

} // namespace rbac
