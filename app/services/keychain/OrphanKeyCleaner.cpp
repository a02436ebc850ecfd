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
    m_keyedUids.clear();
    Expected<QVector<KeyRecord>> records = KeyIndex::load(m_keys->workspace()->database());
    if (!records) {
        emit keychainProblem(QStringLiteral("the key records could not be read: %1").arg(records.status().message()));
        return;
    }
    for (const KeyRecord& r : std::as_const(*records)) {
        if (r.hasKey)
            m_keyedUids.insert(r.roleUid);
    }
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
                emit keychainProblem(QStringLiteral("a removed role's key is still in the keychain (entry %1): %2")
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
                emit keychainProblem(QStringLiteral("a removed role's key was deleted from the keychain "
                                                    "(entry %1), but its audit entry could not be written: %2")
                                         .arg(entry, recorded.message()));
        });
    }
}

} // namespace rbac
