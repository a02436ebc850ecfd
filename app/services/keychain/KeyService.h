#pragma once

#include "credentials/KeyIndex.h"
#include "credentials/KeyVerification.h"
#include "base/Status.h"

#include <QObject>

#include <functional>
#include <optional>

namespace rbac {

class KeyVerifier;
class SecretStore;
class Workspace;
struct Role;

// Per-role Klaviyo keys: the secret in the keychain (one entry per workspace and role uid), the
// non-secret facts in the workspace (KeyIndex) and every change in the audit log. Nothing here
// ever puts a key into SQL, audit details, messages or logs; only its last four characters.
//
// Asynchronous like the keychain: each `done` runs once, from the event loop.
class KeyService : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const Status&)>;
    using KeyDone = std::function<void(const Status&, QByteArray key)>; // the receiver wipes `key`

    KeyService(Workspace* workspace, SecretStore* store, QObject* parent = nullptr);

    // "workspace/<workspace id>/role/<role uid>/apiKey": renames never move it, two workspaces
    // never share it.
    static QString entryName(const QString& workspaceId, const QString& roleUid);
    QString entryFor(const QString& roleUid) const;
    Workspace* workspace() const { return m_workspace; }
    SecretStore* store() const { return m_store; }

    Expected<KeyRecord> record(const QString& roleName) const;
    QStringList requiredScopes(const QString& roleName) const;
    QString createKeyLink(const QString& roleName) const;

    // Stores or replaces the role's key. A replaced key is listed as "delete in Klaviyo" until
    // confirmed. `verification`, from checking the key before saving, is stored with it.
    void storeKey(const QString& roleName,
        const QByteArray& key,
        const std::optional<KeyVerification>& verification,
        Done done);
    // The role's key from the keychain. A key the workspace lists but the keychain does not
    // return is reported as "keychain locked or unavailable", and nothing is deleted.
    void readKey(const QString& roleName, KeyDone done);
    // Whether the keychain returns the role's key right now; nullopt when the role has no key.
    void checkReadable(const QString& roleName, std::function<void(std::optional<bool>)> done);
    // Whether a keychain answers at all (a read of an entry never written). Never prompts: a
    // locked keyring answers "not found" here, so this finds only an absent or broken service.
    void checkPresent(Done done);
    // Whether the key in this console's keychain is the one recorded in the (shared) workspace:
    // true / false, or nullopt when there is no key, no fingerprint yet or the keychain does not
    // answer. On a team workspace another admin may have rotated the key meanwhile.
    void checkMatchesRecord(const QString& roleName, std::function<void(std::optional<bool>)> done);
    // Deletes the keychain entry and the metadata; the key stays listed as "delete in Klaviyo".
    void removeKey(const QString& roleName, Done done);
    // Removes the role and, first, its keychain entry: no secret outlives its role.
    void removeRole(const QString& roleName, Done done);
    // Reads the key, runs `verifier` and records the outcome (index and audit). `done` reports
    // reading and recording; the verification itself is verifier->result().
    void verifyStored(const QString& roleName, KeyVerifier* verifier, Done done);

    Status recordCopy(const QString& roleName);
    Status confirmDeletedInKlaviyo(const QString& roleName, qint64 retiredId);

    // Deletes the keychain entry of a role that is already gone (OrphanKeyCleaner); `existed`
    // says whether there was one. Not audited here: the caller records why.
    void deleteEntryOf(const QString& roleUid, std::function<void(const Status&, bool existed)> done);

signals:
    // A role's key was stored or removed through this service (OrphanKeyCleaner follows it).
    void keysChanged();

private:
    struct Target
    {
        QString name;
        QString uid;
        KeyRecord record;
    };
    Expected<Target> target(const QString& roleName) const;
    void deleteEntry(const Target& target, std::function<void(const Status&, bool existed)> done);
    void checkUsable(std::function<void(const Status&)> done);
    Status recordStore(const Target& target,
        const QString& last4,
        const QString& fingerprint,
        const std::optional<KeyVerification>& verification,
        bool sameKey);
    Status recordRemoval(const Target& target, bool existed, const QString& reason);
    Status recordVerification(const Target& target, const KeyVerification& verification);

    Workspace* m_workspace;
    SecretStore* m_store;
};

} // namespace rbac
