#pragma once

#include <QByteArray>
#include <QString>

namespace rbac {

// The console's own preferences (QSettings: window layout, last page, last workspace). Nothing
// here is part of a workspace: those settings live in the workspace file.
class AppSettings
{
public:
    static QByteArray windowGeometry();
    static void setWindowGeometry(const QByteArray& geometry);
    static QByteArray windowState();
    static void setWindowState(const QByteArray& state);
    static QByteArray matrixSplitterState();
    static void setMatrixSplitterState(const QByteArray& state);
    // -1 when never saved.
    static int lastPage();
    static void setLastPage(int page);
    static QString lastWorkspace();
    static void setLastWorkspace(const QString& path);
    static bool welcomeDismissed(const QString& workspaceId);
    static void setWelcomeDismissed(const QString& workspaceId);
    // "system" (the default), "light" or "dark".
    static QString theme();
    static void setTheme(const QString& theme);
};

} // namespace rbac
