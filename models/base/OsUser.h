#pragma once

#include <QString>

namespace rbac {

// The login name of the user running the program: the audit log's default actor.
QString osUserName();

} // namespace rbac
