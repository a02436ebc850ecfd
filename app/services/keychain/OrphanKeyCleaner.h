#pragma once

#include <QObject>
#include <QSet>

namespace rbac {

class KeyService;

// No secret outlives its role. Roles can disappear by paths that do not go through the key
// service (a policy import, an undo, another program or another admin on a team workspace): when a
// role that had a key is gone, its keychain entry is deleted too and the deletion audited
// ("key.remove", reason "role removed elsewhere"). Made by WorkspaceServices for the life of the
// workspace, so it runs whichever page is shown. The CLI removes entries itself and needs none.
class OrphanKeyCleaner : public QObject
{
    Q_OBJECT

public:
    explicit OrphanKeyCleaner(KeyService* keys, QObject* parent = nullptr);

signals:
    // The entry could not be deleted (keychain locked or absent) or its deletion not audited.
    void keychainProblem(const QString& message);

private:
    void rememberKeyedRoles();
    void onPolicyChanged();

    KeyService* m_keys;
    QSet<QString> m_keyedUids; // roles with a key the last time we looked
};

} // namespace rbac
