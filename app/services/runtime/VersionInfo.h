#pragma once

#include <QString>

namespace rbac {

// What `--version` and Help ▸ About report, one fact per line: this program's version, the Qt it
// runs on (and was built with), QtKeychain, and the Klaviyo API revision the scope catalog was
// generated from, with the spec's SHA-256 so a support request pins the exact catalog.
QString versionReport(const QString& program);

} // namespace rbac
