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

// Policy files are small: anything larger than this is refused before it is parsed.
inline constexpr qint64 maxFileBytes = 16 * 1024 * 1024;

// A policy file's bytes, or why they cannot be read (the size limit, the file's own error), naming
// the file. Validate them with importPolicy.
Expected<QByteArray> readFile(const QString& path);

// Validates everything before anything is used; every problem names its JSON path
// ("$.roles[1].permissions[0]: unknown permission 'x'"). All problems, one per line.
Expected<Policy> importPolicy(const QByteArray& bytes, const ScopeCatalog& catalog);

// Problems with one permission definition (empty when valid); used by import, the CLI and dialogs.
QStringList permissionProblems(const Permission& permission, const ScopeCatalog& catalog);

// Only what differs between two policies, for audit details: {"before": {...}, "after": {...}}.
QJsonObject diff(const Policy& before, const Policy& after);

} // namespace rbac::PolicyJson
