#pragma once

#include <QStringList>
#include <QTextStream>

namespace rbac::cli {

// klaviyo-rbac [--workspace FILE] [--actor NAME] COMMAND …  Returns the exit code.
int run(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace rbac::cli
