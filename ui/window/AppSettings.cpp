#include "window/AppSettings.h"

#include <QSettings>

namespace rbac {

namespace {

const QString geometryKey = QStringLiteral("window/geometry");
const QString stateKey = QStringLiteral("window/state");
const QString splitterKey = QStringLiteral("matrix/splitter");
const QString pageKey = QStringLiteral("window/page");
const QString workspaceKey = QStringLiteral("workspace/last");
const QString welcomeKey = QStringLiteral("welcomeDismissed/");

} // namespace

QByteArray AppSettings::windowGeometry()
{
    return QSettings().value(geometryKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry)
{
    QSettings().setValue(geometryKey, geometry);
}

QByteArray AppSettings::windowState()
{
    return QSettings().value(stateKey).toByteArray();
}

void AppSettings::setWindowState(const QByteArray& state)
{
    QSettings().setValue(stateKey, state);
}

QByteArray AppSettings::matrixSplitterState()
{
    return QSettings().value(splitterKey).toByteArray();
}

void AppSettings::setMatrixSplitterState(const QByteArray& state)
{
    QSettings().setValue(splitterKey, state);
}

int AppSettings::lastPage()
{
    return QSettings().value(pageKey, -1).toInt();
}

void AppSettings::setLastPage(int page)
{
    QSettings().setValue(pageKey, page);
}

QString AppSettings::lastWorkspace()
{
    return QSettings().value(workspaceKey).toString();
}

void AppSettings::setLastWorkspace(const QString& path)
{
    QSettings().setValue(workspaceKey, path);
}

bool AppSettings::welcomeDismissed(const QString& workspaceId)
{
    return QSettings().value(welcomeKey + workspaceId, false).toBool();
}

void AppSettings::setWelcomeDismissed(const QString& workspaceId)
{
    QSettings().setValue(welcomeKey + workspaceId, true);
}

QString AppSettings::theme()
{
    return QSettings().value(QStringLiteral("theme"), QStringLiteral("system")).toString();
}

void AppSettings::setTheme(const QString& theme)
{
    QSettings().setValue(QStringLiteral("theme"), theme);
}

} // namespace rbac
