#pragma once

#include "policy/Policy.h"
#include "policy/ScopeCatalog.h"
#include "base/Status.h"

#include <QByteArray>
#include <QJsonObject>

namespace rbac::PolicyJson {

inline constexpr const char* formatName = "klaviyo-rbac-policy";
inline constexpr int formatVersion = 1;

QJsonObject roleToJson(const Role& role);
QJsonObject permissionToJson(const Permission& permission);

// Deterministic: same policy, same bytes (roles and permissions by name, lists sorted, keys sorted),
// so exports diff cleanly in code review.
QByteArray exportPolicy(const Policy& policy);

// Validates everything before anything is used; every problem names its JSON path
// ("$.roles[1].permissions[0]: unknown permission 'x'"). All problems, one per line.
Expected<Policy> importPolicy(const QByteArray& bytes, const ScopeCatalog& catalog);

// Problems with one permission definition (empty when valid); used by import, the CLI and dialogs.
QStringList permissionProblems(const Permission& permission, const ScopeCatalog& catalog);

// Only what differs between two policies, for audit details: {"before": {...}, "after": {...}}.
QJsonObject diff(const Policy& before, const Policy& after);

} // namespace rbac::PolicyJson
