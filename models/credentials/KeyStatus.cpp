#include "credentials/KeyStatus.h"

#include "workspace/Workspace.h"

namespace rbac::KeyStatusRules {

QString rotationSettingKey()
{
    return QStringLiteral("keys.rotationDays");
}

int rotationDays(const Workspace& workspace)
{
    bool ok = false;
    const int days = workspace.setting(rotationSettingKey()).toInt(&ok);
    return ok && days > 0 ? days : defaultRotationDays;
}

KeyStatus evaluate(const KeyRecord& record,
    const QStringList& requiredScopes,
    std::optional<bool> keychainReadable,
    const QDateTime& now,
    int rotationDays)
{
    KeyStatus status;
    if (!record.hasKey)
        return status;
    status.ageDays = record.storedAt.isValid() ? record.storedAt.daysTo(now) : 0;
    status.rotationDue = status.ageDays >= rotationDays;
    if (record.verification && record.verification->ranToCompletion())
        status.assessment = record.verification->assess(requiredScopes);
    if (keychainReadable.has_value() && !*keychainReadable) {
        status.state = KeyState::KeychainUnavailable;
        return status;
    }
    if (record.verification && record.verification->verdict == KeyVerification::Verdict::BadKey) {
        status.state = KeyState::BadKey;
        return status;
    }
    if (!status.assessment) {
        status.state = KeyState::Stored;
        return status;
    }
    switch (status.assessment->verdict) {
    case KeyVerification::Verdict::MissingScopes:
        status.state = KeyState::MissingScopes;
        break;
    case KeyVerification::Verdict::ExcessScopes:
        status.state = KeyState::ExcessScopes;
        break;
    case KeyVerification::Verdict::Verified:
        status.state = KeyState::Verified;
        break;
    default:
        status.state = KeyState::Stored;
        break;
    }
    return status;
}

QString stateName(KeyState state)
{
    switch (state) {
    case KeyState::None:
        return QStringLiteral("none");
    case KeyState::Stored:
        return QStringLiteral("stored");
    case KeyState::Verified:
        return QStringLiteral("verified");
    case KeyState::MissingScopes:
        return QStringLiteral("missing scopes");
    case KeyState::ExcessScopes:
        return QStringLiteral("excess scopes");
    case KeyState::BadKey:
        return QStringLiteral("bad key");
    case KeyState::KeychainUnavailable:
        return QStringLiteral("keychain unavailable");
    }
    return QStringLiteral("none");
}

} // namespace rbac::KeyStatusRules
