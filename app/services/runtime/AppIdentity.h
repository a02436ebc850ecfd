#pragma once

namespace rbac {

// Application and organisation names, so the console and the CLI share one default workspace
// (QStandardPaths::AppDataLocation) and one settings file. Also keeps secrets out of core dumps.
void applyAppIdentity();

} // namespace rbac
