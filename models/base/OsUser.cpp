#include "base/OsUser.h"

#include <QtGlobal>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace rbac {

QString osUserName()
{
#ifdef Q_OS_UNIX
    // The password database, not $USER: the environment is easy to get wrong under sudo or in CI.
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
#endif
    for (const char* var : {"USER", "USERNAME", "LOGNAME"}) {
        const QString value = qEnvironmentVariable(var);
        if (!value.isEmpty())
            return value;
    }
    return QStringLiteral("unknown");
}

} // namespace rbac
