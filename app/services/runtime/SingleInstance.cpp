#include "runtime/SingleInstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLocalSocket>
#include <QLockFile>

#include <unistd.h>

namespace rbac {

namespace {

QString canonical(const QString& path)
{
    const QFileInfo info(path);
    const QString resolved = info.canonicalFilePath();
    return resolved.isEmpty() ? info.absoluteFilePath() : resolved;
}

} // namespace

SingleInstance::SingleInstance(const QString& workspacePath, QObject* parent)
    : QObject(parent)
{
    // Per user and per workspace file; hashed, as socket names have a short length limit.
    const QByteArray digest
        = QCryptographicHash::hash(canonical(workspacePath).toUtf8(), QCryptographicHash::Sha256);
    m_name = QStringLiteral("klaviyo-rbac-console-%1-%2")
                 .arg(getuid())
                 .arg(QString::fromLatin1(digest.toHex().left(24)));
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket* socket = m_server.nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
                if (socket->readAll().contains("activate"))
                    emit activationRequested();
                socket->disconnectFromServer();
            });
        }
    });
}

bool SingleInstance::claim()
{
    // Two consoles starting at once must not both decide they are first.
    QLockFile lock(QDir::temp().filePath(m_name + QStringLiteral(".lock")));
    lock.setStaleLockTime(10000);
    if (!lock.tryLock(5000))
        return !askRunningInstance();
    if (askRunningInstance())
        return false;
    // Nobody answers. Clear what a crashed console may have left (with access options set, Qt
    // would otherwise bind anyway by renaming over a live socket).
    QLocalServer::removeServer(m_name);
    return m_server.listen(m_name);
}

bool SingleInstance::askRunningInstance()
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(1000))
        return false;
    socket.write("activate\n");
    socket.waitForBytesWritten(1000);
    socket.waitForDisconnected(1000);
    return true;
}

} // namespace rbac
