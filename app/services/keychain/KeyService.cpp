#include "keychain/KeyService.h"

#include "credentials/ApiKeyFormat.h"
#include "base/Clock.h"
#include "credentials/KeyFingerprint.h"
#include "klaviyo/KeyVerifier.h"
#include "policy/PolicyEngine.h"
#include "keychain/SecretBytes.h"
#include "keychain/SecretStore.h"
#include "workspace/Workspace.h"

#include <QJsonArray>

#include <memory>

namespace rbac {

namespace {

QString resourceFor(const QString& roleName)
{
    return QStringLiteral("key:") + roleName;
}

Status unavailable(const QString& what, const SecretResult& r)
{
    return Status::error(ErrorKind::Environment, QStringLiteral("%1: %2").arg(what, r.message));
}

} // namespace

KeyService::KeyService(Workspace* workspace, SecretStore* store, QObject* parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_store(store)
{
}

QString KeyService::entryName(const QString& workspaceId, const QString& roleUid)
{
    return QStringLiteral("workspace/%1/role/%2/apiKey").arg(workspaceId, roleUid);
}

QString KeyService::entryFor(const QString& roleUid) const
{
    return entryName(m_workspace->id(), roleUid);
}

Expected<KeyService::Target> KeyService::target(const QString& roleName) const
{
    const Role* role = m_workspace->policy().role(roleName);
    if (!role)
        return Status::error(
            ErrorKind::NotFound, QStringLiteral("no role '%1' in this workspace").arg(roleName));
    Expected<KeyRecord> found = KeyIndex::find(m_workspace->database(), role->uid);
    if (!found)
        return found.status();
    return Target {role->name, role->uid, *found};
}

Expected<KeyRecord> KeyService::record(const QString& roleName) const
{
    Expected<Target> t = target(roleName);
    if (!t)
        return t.status();
    return t->record;
}

QStringList KeyService::requiredScopes(const QString& roleName) const
{
    const Role* role = m_workspace->policy().role(roleName);
    return role ? PolicyEngine::requiredScopeNames(m_workspace->policy(), *role, ScopeCatalog::builtin())
                : QStringList();
}

QString KeyService::createKeyLink(const QString& roleName) const
{
    return PolicyEngine::createKeyLink(requiredScopes(roleName));
}

void KeyService::storeKey(const QString& roleName,
    const QByteArray& pasted,
    const std::optional<KeyVerification>& verification,
    Done done)
{
    auto key = std::make_shared<QByteArray>(ApiKeyFormat::trimmed(pasted));
    key->detach();
    const auto fail = [this, key, done](const Status& s) {
        wipe(*key);
        QMetaObject::invokeMethod(
            this, [done, s] { done(s); }, Qt::QueuedConnection);
    };
    if (const QString problem = ApiKeyFormat::problem(*key); !problem.isEmpty())
        return fail(Status::error(ErrorKind::InvalidInput, QStringLiteral("not stored: %1").arg(problem)));
    Expected<Target> t = target(roleName);
    if (!t)
        return fail(t.status());
    const Target role = *t;
    const QString entry = entryFor(role.uid);

    // Writes the new key; on a failed metadata write, puts back what was there before.
    auto writeNew = [this, key, role, entry, verification, done](std::shared_ptr<QByteArray> previous) {
        const bool sameKey = previous && *previous == *key;
        m_store->write(entry, *key, this, [=](SecretResult written) {
            if (!written.ok()) {
                wipe(*key);
                if (previous)
                    wipe(*previous);
                return done(unavailable(QStringLiteral("the key was not stored: the keychain is locked or "
                                                       "unavailable"),
                    written));
            }
            const Status recorded = recordStore(role, ApiKeyFormat::last4(*key),
                keyFingerprint(m_workspace->id(), *key), verification, sameKey);
            wipe(*key);
            if (recorded) {
                if (previous)
                    wipe(*previous);
                return done(recorded);
            }
            // The workspace did not take it: leave the keychain as the workspace describes it.
            const auto restored = [previous, recorded, done](SecretResult) {
                if (previous)
                    wipe(*previous);
                done(recorded);
            };
            if (previous)
                m_store->write(entry, *previous, this, restored);
            else
                m_store->remove(entry, this, restored);
        });
    };

    if (!role.record.hasKey)
        return writeNew(nullptr);
    // Replacing: keep the old key in hand so a failed metadata write can be undone.
    m_store->read(entry, this, [=](SecretResult old) {
        if (!old.ok()) {
            wipe(old.data);
            wipe(*key);
            return done(Status::error(ErrorKind::Environment,
                QStringLiteral("the key was not replaced: the keychain is locked or unavailable, it did not "
                               "return the current key %1 (%2)")
                    .arg(ApiKeyFormat::masked(role.record.last4), old.message)));
        }
        auto previous = std::make_shared<QByteArray>(old.data);
        previous->detach();
        wipe(old.data);
        writeNew(previous);
    });
}

Status KeyService::recordStore(const Target& role,
    const QString& last4,
    const QString& fingerprint,
    const std::optional<KeyVerification>& verification,
    bool sameKey)
{
    const QDateTime now = Clock::nowUtc();
    const bool replacing = role.record.hasKey && !sameKey;
    const Status s = m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
        Expected<KeyRecord> current = KeyIndex::find(db, role.uid);
        if (!current)
            return current.status();
        if (Status st = KeyIndex::store(db, current->roleId, last4, fingerprint, now, verification); !st)
            return st;
        QJsonObject details {
            {QStringLiteral("after"),
                QJsonObject {{QStringLiteral("last4"), last4}, {QStringLiteral("storedAt"), isoUtc(now)}}},
            {QStringLiteral("uid"), role.uid}, {QStringLiteral("keychainEntry"), entryFor(role.uid)}};
        if (role.record.hasKey)
            details.insert(
                QStringLiteral("before"), QJsonObject {{QStringLiteral("last4"), role.record.last4}});
        if (replacing) {
            Expected<qint64> retired = KeyIndex::addRetired(db, current->roleId, role.record.last4, now);
            if (!retired)
                return retired.status();
            details.insert(QStringLiteral("deleteInKlaviyo"), ApiKeyFormat::masked(role.record.last4));
        }
        if (verification)
            details.insert(
                QStringLiteral("verification"), KeyVerification::verdictName(verification->verdict));
        entries << m_workspace->makeEntry(
            replacing ? QStringLiteral("key.rotate") : QStringLiteral("key.set"), role.name,
            resourceFor(role.name), details);
        return Status::ok();
    });
    if (s)
        emit keysChanged();
    return s;
}

void KeyService::readKey(const QString& roleName, KeyDone done)
{
    Expected<Target> t = target(roleName);
    if (!t || !t->record.hasKey) {
        const Status s = !t
            ? t.status()
            : Status::error(ErrorKind::NotFound, QStringLiteral("role '%1' has no stored key").arg(roleName));
        QMetaObject::invokeMethod(
            this, [done, s] { done(s, {}); }, Qt::QueuedConnection);
        return;
    }
    const Target role = *t;
    m_store->read(entryFor(role.uid), this, [role, done](SecretResult r) {
        if (r.ok())
            return done(Status::ok(), std::move(r.data));
        wipe(r.data);
        // A locked Secret Service answers "not found" too: the key is still there, never say it is gone.
        done(Status::error(ErrorKind::Environment,
                 QStringLiteral("the keychain is locked or unavailable: it did not return the key %1 "
                                "of role '%2' (%3). Unlock the keyring and try again; nothing was "
                                "deleted")
                     .arg(ApiKeyFormat::masked(role.record.last4), role.name, r.message)),
            {});
    });
}

void KeyService::checkReadable(const QString& roleName, std::function<void(std::optional<bool>)> done)
{
    readKey(roleName, [done](const Status& s, QByteArray key) {
        wipe(key);
        if (s.kind() == ErrorKind::NotFound)
            return done(std::nullopt);
        done(s.isOk());
    });
}

void KeyService::checkMatchesRecord(const QString& roleName, std::function<void(std::optional<bool>)> done)
{
    const Expected<KeyRecord> recorded = record(roleName);
    if (!recorded || !recorded->hasKey || recorded->fingerprint.isEmpty())
        return done(std::nullopt);
    const QString expected = recorded->fingerprint;
    const QString workspaceId = m_workspace->id();
    readKey(roleName, [done, expected, workspaceId](const Status& s, QByteArray key) {
        const std::optional<bool> same
            = s ? std::optional<bool>(keyFingerprint(workspaceId, key) == expected) : std::nullopt;
        wipe(key);
        done(same);
    });
}

void KeyService::checkPresent(Done done)
{
    const QString probe = QStringLiteral("workspace/%1/presence-probe").arg(m_workspace->id());
    m_store->read(probe, this, [done](SecretResult found) {
        if (found.code == SecretResult::Ok || found.code == SecretResult::NotFound)
            return done(Status::ok());
        done(unavailable(QStringLiteral("no keychain is available"), found));
    });
}

void KeyService::checkUsable(std::function<void(const Status&)> done)
{
    // Tells "really not there" from "locked": a locked collection hides entries but refuses
    // writes, so a canary that round-trips proves the keychain is open.
    const QString canary = QStringLiteral("workspace/%1/canary").arg(m_workspace->id());
    const QByteArray probe = QByteArrayLiteral("canary");
    m_store->write(canary, probe, this, [this, canary, probe, done](SecretResult written) {
        if (!written.ok())
            return done(unavailable(QStringLiteral("the keychain is locked or unavailable"), written));
        m_store->read(canary, this, [this, canary, probe, done](SecretResult read) {
            const bool same = read.ok() && read.data == probe;
            m_store->remove(canary, this, [done, same, read](SecretResult) {
                if (same)
                    return done(Status::ok());
                done(unavailable(QStringLiteral("the keychain is locked or unavailable"), read));
            });
        });
    });
}

void KeyService::deleteEntry(const Target& role, std::function<void(const Status&, bool)> done)
{
    // A delete's "Ok" proves nothing (a locked collection answers Ok and deletes nothing), so
    // read first: only an entry the keychain just gave back is known to be deletable.
    const QString entry = entryFor(role.uid);
    m_store->read(entry, this, [this, role, entry, done](SecretResult found) {
        wipe(found.data);
        if (found.ok()) {
            m_store->remove(entry, this, [role, done](SecretResult removed) {
                if (removed.ok())
                    return done(Status::ok(), true);
                done(unavailable(
                         QStringLiteral("the keychain entry of role '%1' was not deleted").arg(role.name),
                         removed),
                    false);
            });
            return;
        }
        if (found.code != SecretResult::NotFound)
            return done(
                unavailable(
                    QStringLiteral("the keychain entry of role '%1' was not deleted").arg(role.name), found),
                false);
        checkUsable([role, done](const Status& usable) {
            if (!usable)
                return done(Status::error(ErrorKind::Environment,
                                QStringLiteral("the keychain entry of role '%1' could not be deleted: %2; "
                                               "nothing was changed")
                                    .arg(role.name, usable.message())),
                    false);
            done(Status::ok(), false); // open keychain, no entry: it was already gone
        });
    });
}

void KeyService::removeKey(const QString& roleName, Done done)
{
    Expected<Target> t = target(roleName);
    if (!t || !t->record.hasKey) {
        const Status s = t ? Status::ok() : t.status();
        QMetaObject::invokeMethod(
            this, [done, s] { done(s); }, Qt::QueuedConnection);
        return;
    }
    const Target role = *t;
    deleteEntry(role, [this, role, done](const Status& s, bool existed) {
        if (!s)
            return done(s);
        done(recordRemoval(role, existed, QStringLiteral("removed")));
    });
}

Status KeyService::recordRemoval(const Target& role, bool existed, const QString& reason)
{
    const QDateTime now = Clock::nowUtc();
    const Status s = m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
        Expected<KeyRecord> current = KeyIndex::find(db, role.uid);
        if (!current)
            return current.status();
        if (Status st = KeyIndex::remove(db, current->roleId); !st)
            return st;
        // Removing it here does not revoke it: it stays listed until deleted in Klaviyo.
        if (Expected<qint64> retired = KeyIndex::addRetired(db, current->roleId, role.record.last4, now);
            !retired)
            return retired.status();
        entries << m_workspace->makeEntry(QStringLiteral("key.remove"), role.name, resourceFor(role.name),
            {{QStringLiteral("before"), QJsonObject {{QStringLiteral("last4"), role.record.last4}}},
                {QStringLiteral("uid"), role.uid}, {QStringLiteral("reason"), reason},
                {QStringLiteral("keychainEntry"),
                    existed ? QStringLiteral("deleted") : QStringLiteral("already gone")},
                {QStringLiteral("deleteInKlaviyo"), ApiKeyFormat::masked(role.record.last4)}});
        return Status::ok();
    });
    if (s)
        emit keysChanged();
    return s;
}

void KeyService::removeRole(const QString& roleName, Done done)
{
    Expected<Target> t = target(roleName);
    if (!t) {
        const Status s = t.status();
        QMetaObject::invokeMethod(
            this, [done, s] { done(s); }, Qt::QueuedConnection);
        return;
    }
    const Target role = *t;
    // recordRemoval has already said keysChanged for a role that had a key.
    const auto removeTheRole = [this, role, done] { done(m_workspace->removeRole(role.name)); };
    if (!role.record.hasKey) {
        QMetaObject::invokeMethod(this, removeTheRole, Qt::QueuedConnection);
        return;
    }
    // The entry first: if the keychain is unavailable the role stays, so no secret is orphaned.
    deleteEntry(role, [this, role, done, removeTheRole](const Status& s, bool existed) {
        if (!s)
            return done(Status::error(s.kind(), s.message() + QStringLiteral("; the role was not removed")));
        if (Status recorded = recordRemoval(role, existed, QStringLiteral("role removed")); !recorded)
            return done(recorded);
        removeTheRole();
    });
}

void KeyService::verifyStored(const QString& roleName, KeyVerifier* verifier, Done done)
{
    const QStringList required = requiredScopes(roleName);
    readKey(roleName, [this, roleName, verifier, required, done](const Status& s, QByteArray key) {
        if (!s)
            return done(s);
        QPointer<KeyVerifier> guard(verifier);
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection
            = connect(verifier, &KeyVerifier::finished, this, [this, guard, roleName, done, connection] {
                  disconnect(*connection);
                  if (!guard)
                      return;
                  Expected<Target> t = target(roleName);
                  if (!t)
                      return done(t.status());
                  done(recordVerification(*t, guard->result()));
              });
        verifier->start(key, required);
        wipe(key);
    });
}

Status KeyService::recordVerification(const Target& role, const KeyVerification& v)
{
    const QDateTime now = Clock::nowUtc();
    return m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
        Expected<KeyRecord> current = KeyIndex::find(db, role.uid);
        if (!current)
            return current.status();
        // Only what Klaviyo actually said replaces the last verification; a failed attempt does not.
        const bool learnt = v.ranToCompletion() || v.verdict == KeyVerification::Verdict::BadKey;
        if (learnt && current->hasKey) {
            if (Status st = KeyIndex::setVerification(db, current->roleId, v, now); !st)
                return st;
        }
        QJsonObject details {{QStringLiteral("last4"), current->last4},
            {QStringLiteral("verdict"), KeyVerification::verdictName(v.verdict)},
            {QStringLiteral("revision"), v.revision}};
        if (v.ranToCompletion()) {
            const KeyVerification::Assessment a = v.assess(requiredScopes(role.name));
            details.insert(QStringLiteral("missing"), QJsonArray::fromStringList(a.missing));
            details.insert(QStringLiteral("excess"), QJsonArray::fromStringList(a.excess));
        }
        if (v.hasAccount)
            details.insert(QStringLiteral("account"),
                QJsonObject {{QStringLiteral("organizationName"), v.account.organizationName},
                    {QStringLiteral("publicKey"), v.account.publicKey},
                    {QStringLiteral("testAccount"), v.account.testAccount}});
        if (!v.message.isEmpty())
            details.insert(QStringLiteral("message"), v.message);
        // Success as `key verify` counts it: every required scope present (extra ones are a warning).
        const bool success = KeyVerification::outcomeOf(v.verdict) == KeyVerification::Outcome::Accepted;
        entries << m_workspace->makeEntry(
            QStringLiteral("key.verify"), role.name, resourceFor(role.name), details, success);
        return Status::ok();
    });
}

Status KeyService::recordCopy(const QString& roleName)
{
    Expected<Target> t = target(roleName);
    if (!t)
        return t.status();
    return m_workspace->recordEvent(QStringLiteral("key.copy"), t->name, resourceFor(t->name), true,
        {{QStringLiteral("last4"), t->record.last4}});
}

Status KeyService::confirmDeletedInKlaviyo(const QString& roleName, qint64 retiredId)
{
    Expected<Target> t = target(roleName);
    if (!t)
        return t.status();
    const Target role = *t;
    return m_workspace->writeRecords([&](QSqlDatabase& db, QVector<AuditEntry>& entries) {
        Expected<KeyRecord> current = KeyIndex::find(db, role.uid);
        if (!current)
            return current.status();
        QString last4;
        for (const RetiredKey& r : std::as_const(current->retired)) {
            if (r.id == retiredId)
                last4 = r.last4;
        }
        if (last4.isNull())
            return Status::error(ErrorKind::NotFound,
                QStringLiteral("role '%1' has no replaced key #%2 waiting to be deleted in Klaviyo")
                    .arg(role.name)
                    .arg(retiredId));
        if (Status st = KeyIndex::removeRetired(db, retiredId); !st)
            return st;
        entries << m_workspace->makeEntry(QStringLiteral("key.deleted-in-klaviyo"), role.name,
            resourceFor(role.name), {{QStringLiteral("last4"), last4}});
        return Status::ok();
    });
}

void KeyService::deleteEntryOf(const QString& roleUid, std::function<void(const Status&, bool existed)> done)
{
    deleteEntry({QStringLiteral("(removed, uid %1)").arg(roleUid), roleUid, {}}, std::move(done));
}

} // namespace rbac
