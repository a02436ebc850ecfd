#include "runtime/VersionInfo.h"

#include "policy/ScopeCatalog.h"

#include <QCoreApplication>

namespace rbac {

QString versionReport(const QString& program)
{
    const ScopeCatalog& catalog = ScopeCatalog::builtin();
    QString qt = QString::fromLatin1(qVersion());
    if (qt != QLatin1String(QT_VERSION_STR))
        qt += QCoreApplication::translate("VersionInfo", " (built with %1)")
                  .arg(QLatin1String(QT_VERSION_STR));
    return QCoreApplication::translate("VersionInfo",
        "%1 %2\n"
        "Qt %3\n"
        "QtKeychain %4\n"
        "Klaviyo API revision %5 (beta %6)\n"
        "Scope catalog: %7 operations, %8 scopes, from the OpenAPI spec %5 (SHA-256 %9)\n")
        .arg(program, QStringLiteral(RBAC_VERSION), qt, QStringLiteral(RBAC_QTKEYCHAIN_VERSION),
            catalog.stableRevision(), catalog.betaRevision())
        .arg(catalog.operations().size())
        .arg(catalog.scopes().size())
        .arg(catalog.stableSpecSha256().left(12));
}

} // namespace rbac
