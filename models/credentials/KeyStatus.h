#pragma once

#include "credentials/KeyIndex.h"
#include "credentials/KeyVerification.h"

#include <QDateTime>

#include <optional>

namespace rbac {

class Workspace;

// The state of one role's key as the API keys page and `key status` show it.
enum class KeyState
{
    None,                // no key stored for the role
    Stored,              // stored, never verified (or the last verification could not finish)
    Verified,            // every probeable required scope present, nothing extra found
    MissingScopes,       // the role will fail
    ExcessScopes,        // least privilege broken
    BadKey,              // Klaviyo answered 401 at the last verification
    KeychainUnavailable, // the index has a key but the keychain could not give it back
};

struct KeyStatus
{
    KeyState state = KeyState::None;
    std::optional<KeyVerification::Assessment> assessment; // from the last completed verification
    qint64 ageDays = -1;                                   // -1: no key
    bool rotationDue = false;
};

namespace KeyStatusRules {

inline constexpr int defaultRotationDays = 90;
// Workspace setting: the age in days after which a key should be rotated.
QString rotationSettingKey();
int rotationDays(const Workspace& workspace);

// `keychainReadable`: whether the keychain gave the key back just now; nullopt when not checked.
// An entry the index lists but the keychain will not return is "unavailable", never "missing":
// a locked keyring answers "not found" too.
KeyStatus evaluate(const KeyRecord& record,
    const QStringList& requiredScopes,
    std::optional<bool> keychainReadable,
    const QDateTime& now,
    int rotationDays);

// "none", "stored", "verified", "missing scopes", "excess scopes", "bad key", "keychain unavailable".
QString stateName(KeyState state);

} // namespace KeyStatusRules
} // namespace rbac
