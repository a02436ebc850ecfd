#pragma once

#include "policy/Policy.h"

namespace rbac {

// The policy a new workspace starts with: the 8 permissions and 5 roles of the reference design.
// Operation choices are documented in README.md ("Default policy").
Policy defaultPolicy();

} // namespace rbac
