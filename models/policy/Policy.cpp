#include "policy/Policy.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace rbac {

const Role* Policy::role(const QString& name) const
{
    const auto it = std::find_if(roles.cbegin(), roles.cend(), [&](const Role& r) { return r.name == name; });
    return it == roles.cend() ? nullptr : &*it;
}

Role* Policy::role(const QString& name)
{
    const auto it = std::find_if(roles.begin(), roles.end(), [&](const Role& r) { return r.name == name; });
    return it == roles.end() ? nullptr : &*it;
}

const Permission* Policy::permission(const QString& name) const
{
    const auto it = std::find_if(
        permissions.cbegin(), permissions.cend(), [&](const Permission& p) { return p.name == name; });
    return it == permissions.cend() ? nullptr : &*it;
}

Permission* Policy::permission(const QString& name)
{
    const auto it = std::find_if(
        permissions.begin(), permissions.end(), [&](const Permission& p) { return p.name == name; });
    return it == permissions.end() ? nullptr : &*it;
}

bool Policy::isGranted(const QString& roleName, const QString& permissionName) const
{
    const Role* r = role(roleName);
    return r && std::binary_search(r->permissions.cbegin(), r->permissions.cend(), permissionName);
}

int Policy::grantCount() const
{
    int count = 0;
    for (const Role& r : roles)
        count += int(r.permissions.size());
    return count;
}

QStringList Policy::holders(const QString& permissionName) const
{
    QStringList out;
    for (const Role& r : roles) {
        if (std::binary_search(r.permissions.cbegin(), r.permissions.cend(), permissionName))
            out << r.name;
    }
    return out;
}

bool isValidName(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z][A-Za-z0-9_.-]{0,63}$"));
    return pattern.match(name).hasMatch();
}

QString nameRules()
{
    return QCoreApplication::translate("rbac", "a letter, then up to 63 letters, digits, '_', '.' or '-'");
}

} // namespace rbac
