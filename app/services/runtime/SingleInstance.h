#pragma once

#include <QLocalServer>
#include <QObject>
#include <QString>

namespace rbac {

// One console per workspace: the first start owns the workspace's local socket; a second start
// on the same file asks the first to raise its window and then exits, so two consoles never
// race as writers without the user knowing. (The CLI may still write; the console sees it.)
class SingleInstance : public QObject
{
    Q_OBJECT

public:
    explicit SingleInstance(const QString& workspacePath, QObject* parent = nullptr);

    // True when this process is now the console for the workspace. False when another console
    // has it: that console was asked to raise its window.
    bool claim();
    QString serverName() const { return m_name; }

signals:
    // Another start asked for this console's window.
    void activationRequested();

private:
    bool askRunningInstance();
    QString m_name;
    QLocalServer m_server;
};

} // namespace rbac
