#include "keychain/OrphanKeyCleaner.h"

#include "credentials/KeyIndex.h"
#include "keychain/KeyService.h"
#include "workspace/Workspace.h"

namespace rbac {

OrphanKeyCleaner::OrphanKeyCleaner(KeyService* keys, QObject* parent)
    : QObject(parent)
    , m_keys(keys)
{
    connect(keys->workspace(), &Workspace::policyChanged, this, &OrphanKeyCleaner::onPolicyChanged);
    connect(keys, &KeyService::keysChanged, this, &OrphanKeyCleaner::rememberKeyedRoles);
    rememberKeyedRoles();
}

void OrphanKeyCleaner::rememberKeyedRoles()
{
    Expected<QSet<QString>> keyed = KeyIndex::keyedRoleUids(m_keys->workspace()->database());
    if (!keyed) {
        emit keychainProblem(
            QStringLiteral("the key records could not be read: %1").arg(keyed.status().message()));
        return;
    }
    m_keyedUids = std::move(*keyed);
}

void OrphanKeyCleaner::onPolicyChanged()
{
    Workspace* workspace = m_keys->workspace();
    QSet<QString> present;
    for (const Role& r : workspace->policy().roles)
        present.insert(r.uid);
    const QSet<QString> gone = m_keyedUids - present;
    rememberKeyedRoles();
    for (const QString& uid : gone) {
        m_keys->deleteEntryOf(uid, [this, workspace, uid](const Status& s, bool existed) {
            const QString entry = m_keys->entryFor(uid);
            if (!s) {
                emit keychainProblem(
                    QStringLiteral("a removed role's key is still in the keychain (entry %1): %2")
                        .arg(entry, s.message()));
                return;
            }
            if (!existed)
                return;
            const Status recorded = workspace->recordEvent(QStringLiteral("key.remove"), QString(),
                QStringLiteral("key:") + uid, true,
                {{QStringLiteral("uid"), uid},
                    {QStringLiteral("reason"), QStringLiteral("role removed elsewhere")},
                    {QStringLiteral("keychainEntry"), QStringLiteral("deleted")}});
            if (!recorded)
                emit keychainProblem(
                    QStringLiteral("a removed role's key was deleted from the keychain "
                                   "(entry %1), but its audit entry could not be written: %2")
                        .arg(entry, recorded.message()));
        });
    }
}

} // namespace rbac
