#include "runtime/AppIdentity.h"

#include <QCoreApplication>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

namespace rbac {

void applyAppIdentity()
{
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setApplicationName(QStringLiteral("klaviyo-rbac-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RBAC_VERSION));
#ifdef Q_OS_LINUX
    // API keys and tokens pass through this process's memory: no core files, no ptrace by others.
    const rlimit noCore {0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    prctl(PR_SET_DUMPABLE, 0);
#endif
}

} // namespace rbac
