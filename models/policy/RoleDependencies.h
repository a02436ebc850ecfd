#pragma once

#include <QString>
#include <QStringList>

namespace rbac {

class Workspace;

// What removing a role takes with it, for the confirmation that names the consequences.
struct RoleDependencies
{
    bool exists = false;
    QStringList permissions; // granted, sorted
    QStringList scopes;      // the Klaviyo scopes its key needs
    bool hasStoredKey = false;
    QString keyLast4;
    QString keyStoredAt;

    static RoleDependencies of(const Workspace& workspace, const QString& role);
};

} // namespace rbac
