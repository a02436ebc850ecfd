#pragma once

#include <QString>

namespace rbac::cli {

class CliContext;

// `role remove`: the role's keychain entry goes first, then the role (see KeyService::removeRole).
int removeRoleAndKey(CliContext& ctx, const QString& role);

} // namespace rbac::cli
