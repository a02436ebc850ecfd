#pragma once

#include <QString>

class QWidget;

namespace rbac {

// File choosers of the console, with a test seam like MessageBox: in test mode nothing is shown
// and the name given to setNextFileName() is returned (empty = cancelled).
class FileDialog
{
public:
    static QString getOpenFileName(
        QWidget* parent, const QString& caption, const QString& dir, const QString& filter);
    // Asks before replacing an existing file unless `confirmOverwrite` is false.
    static QString getSaveFileName(QWidget* parent,
        const QString& caption,
        const QString& dir,
        const QString& filter,
        const QString& defaultSuffix,
        bool confirmOverwrite = true);

    // A team workspace's PostgreSQL URI, typed by the user; `last` is offered as the default.
    static QString getWorkspaceUri(QWidget* parent, const QString& last);

    static void setTestMode(bool on);
    static void setNextFileName(const QString& fileName);

private:
    static bool takeNext(QString* fileName);
};

} // namespace rbac
