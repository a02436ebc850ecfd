#include "policy/PolicyJson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <functional>

namespace rbac::PolicyJson {

namespace {

QJsonArray toArray(const QStringList& list)
{
    return QJsonArray::fromStringList(list);
}

// Collects problems with their JSON paths while walking an untrusted document.
class Validator
{
public:
    explicit Validator(const ScopeCatalog& catalog)
        : m_catalog(catalog)
    {
    }

    QStringList problems;

    void add(const QString& path, const QString& problem)
    {
        problems << path + QStringLiteral(": ") + problem;
    }

    bool checkKeys(const QJsonObject& object, const QString& path, const QStringList& allowed)
    {
        bool ok = true;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!allowed.contains(it.key())) {
                add(path + QLatin1Char('.') + it.key(), QStringLiteral("unknown field"));
                ok = false;
            }
        }
        return ok;
    }

    QString requiredString(const QJsonObject& object, const QString& key, const QString& path)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            add(path + QLatin1Char('.') + key, QStringLiteral("missing"));
        else if (!value.isString())
            add(path + QLatin1Char('.') + key, QStringLiteral("expected a string"));
        return value.toString();
    }

    QString optionalString(const QJsonObject& object, const QString& key, const QString& path)
    {
        const QJsonValue value = object.value(key);
        if (!value.isUndefined() && !value.isString())
            add(path + QLatin1Char('.') + key, QStringLiteral("expected a string"));
        return value.toString();
    }

    // A list of unique strings; `known` rejects values that do not exist.
    QStringList stringList(const QJsonObject& object,
        const QString& key,
        const QString& path,
        const QString& what,
        const std::function<bool(const QString&)>& known,
        const QString& unknownHint)
    {
        const QJsonValue value = object.value(key);
        QStringList out;
        if (value.isUndefined())
            return out;
        const QString listPath = path + QLatin1Char('.') + key;
        if (!value.isArray()) {
            add(listPath, QStringLiteral("expected an array of strings"));
            return out;
        }
        const QJsonArray array = value.toArray();
        for (int i = 0; i < array.size(); ++i) {
            const QString itemPath = QStringLiteral("%1[%2]").arg(listPath).arg(i);
            if (!array.at(i).isString()) {
                add(itemPath, QStringLiteral("expected a string"));
                continue;
            }
            const QString item = array.at(i).toString();
            if (out.contains(item))
                add(itemPath, QStringLiteral("duplicate %1 '%2'").arg(what, item));
            else if (!known(item))
                add(itemPath, QStringLiteral("unknown %1 '%2'%3").arg(what, item, unknownHint));
            else
                out << item;
        }
        out.sort();
        return out;
    }

    const ScopeCatalog& m_catalog;
};

QString lineAndColumn(const QByteArray& bytes, int offset)
{
    const QByteArray before = bytes.left(offset);
    const int line = int(before.count('\n')) + 1;
    const int column = offset - int(before.lastIndexOf('\n'));
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

} // namespace

QJsonObject roleToJson(const Role& role)
{
    return {{QStringLiteral("name"), role.name}, {QStringLiteral("description"), role.description},
        {QStringLiteral("permissions"), toArray(role.permissions)}};
}

QJsonObject permissionToJson(const Permission& permission)
{
    return {{QStringLiteral("name"), permission.name},
        {QStringLiteral("description"), permission.description},
        {QStringLiteral("operations"), toArray(permission.operations)},
        {QStringLiteral("scopes"), toArray(permission.scopes)}};
}

QByteArray exportPolicy(const Policy& policy)
{
    QVector<Role> roles = policy.roles;
    std::sort(roles.begin(), roles.end(), [](const Role& a, const Role& b) { return a.name < b.name; });
    QVector<Permission> permissions = policy.permissions;
    std::sort(permissions.begin(), permissions.end(),
        [](const Permission& a, const Permission& b) { return a.name < b.name; });
    QJsonArray roleArray;
    for (Role& role : roles) {
        role.permissions.sort();
        roleArray.append(roleToJson(role));
    }
    QJsonArray permissionArray;
    for (Permission& permission : permissions) {
        permission.operations.sort();
        permission.scopes.sort();
        permissionArray.append(permissionToJson(permission));
    }
    const QJsonObject root {{QStringLiteral("format"), QLatin1String(formatName)},
        {QStringLiteral("version"), formatVersion}, {QStringLiteral("permissions"), permissionArray},
        {QStringLiteral("roles"), roleArray}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QStringList permissionProblems(const Permission& permission, const ScopeCatalog& catalog)
{
    QStringList problems;
    if (!isValidName(permission.name))
        problems << QStringLiteral("name '%1' is not valid: use %2").arg(permission.name, nameRules());
    if (permission.operations.isEmpty() && permission.scopes.isEmpty())
        problems << QStringLiteral("a permission needs at least one Klaviyo operation or scope");
    for (const QString& id : permission.operations) {
        if (!catalog.operation(id))
            problems << QStringLiteral("unknown Klaviyo operation '%1'").arg(id);
    }
    for (const QString& scope : permission.scopes) {
        if (!catalog.hasScope(scope))
            problems << QStringLiteral("unknown Klaviyo scope '%1'").arg(scope);
    }
    return problems;
}

Expected<QByteArray> readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Status::error(
            ErrorKind::InvalidInput, QStringLiteral("cannot read '%1': %2").arg(path, file.errorString()));
    if (file.size() > maxFileBytes)
        return Status::error(ErrorKind::InvalidInput,
            QStringLiteral("'%1' is larger than %2 MiB: not a policy file").arg(path).arg(maxFileBytes >> 20));
    return file.readAll();
}

Expected<Policy> importPolicy(const QByteArray& bytes, const ScopeCatalog& catalog)
{
    const auto invalid = [](const QStringList& problems) {
        return Status::error(ErrorKind::InvalidInput, problems.join(QLatin1Char('\n')));
    };
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid({QStringLiteral("$: not valid JSON at %1: %2")
                            .arg(lineAndColumn(bytes, parseError.offset), parseError.errorString())});
    if (!doc.isObject())
        return invalid({QStringLiteral("$: expected an object")});

    Validator v(catalog);
    const QJsonObject root = doc.object();
    v.checkKeys(root, QStringLiteral("$"),
        {QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("permissions"),
            QStringLiteral("roles")});
    if (root.value(QLatin1String("format")).toString() != QLatin1String(formatName))
        v.add(QStringLiteral("$.format"), QStringLiteral("expected \"%1\"").arg(QLatin1String(formatName)));
    const QJsonValue version = root.value(QLatin1String("version"));
    if (!version.isDouble() || version.toDouble() != double(version.toInt()))
        v.add(QStringLiteral("$.version"), QStringLiteral("expected an integer"));
    else if (version.toInt() > formatVersion)
        v.add(QStringLiteral("$.version"),
            QStringLiteral("version %1 is newer than this console understands (%2)")
                .arg(version.toInt())
                .arg(formatVersion));
    else if (version.toInt() < 1)
        v.add(QStringLiteral("$.version"), QStringLiteral("expected 1"));

    Policy policy;
    const QJsonValue permissions = root.value(QLatin1String("permissions"));
    if (!permissions.isArray())
        v.add(QStringLiteral("$.permissions"), QStringLiteral("expected an array"));
    const QJsonArray permissionArray = permissions.toArray();
    QSet<QString> permissionNames;
    for (int i = 0; i < permissionArray.size(); ++i) {
        const QString path = QStringLiteral("$.permissions[%1]").arg(i);
        if (!permissionArray.at(i).isObject()) {
            v.add(path, QStringLiteral("expected an object"));
            continue;
        }
        const QJsonObject o = permissionArray.at(i).toObject();
        v.checkKeys(o, path,
            {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("operations"),
                QStringLiteral("scopes")});
        Permission p;
        p.name = v.requiredString(o, QStringLiteral("name"), path);
        p.description = v.optionalString(o, QStringLiteral("description"), path);
        p.operations
            = v.stringList(o, QStringLiteral("operations"), path, QStringLiteral("Klaviyo operation"),
                [&](const QString& id) { return catalog.operation(id) != nullptr; }, {});
        p.scopes = v.stringList(o, QStringLiteral("scopes"), path, QStringLiteral("Klaviyo scope"),
            [&](const QString& s) { return catalog.hasScope(s); }, {});
        if (!p.name.isEmpty() && !isValidName(p.name))
            v.add(path + QStringLiteral(".name"),
                QStringLiteral("'%1' is not a valid name: use %2").arg(p.name, nameRules()));
        if (permissionNames.contains(p.name))
            v.add(path + QStringLiteral(".name"), QStringLiteral("duplicate permission '%1'").arg(p.name));
        if (!o.contains(QLatin1String("operations")) && !o.contains(QLatin1String("scopes")))
            v.add(path, QStringLiteral("a permission needs at least one Klaviyo operation or scope"));
        else if (o.value(QLatin1String("operations")).toArray().isEmpty()
            && o.value(QLatin1String("scopes")).toArray().isEmpty())
            v.add(path, QStringLiteral("a permission needs at least one Klaviyo operation or scope"));
        permissionNames.insert(p.name);
        policy.permissions.append(p);
    }

    const QJsonValue roles = root.value(QLatin1String("roles"));
    if (!roles.isArray())
        v.add(QStringLiteral("$.roles"), QStringLiteral("expected an array"));
    const QJsonArray roleArray = roles.toArray();
    QSet<QString> roleNames;
    for (int i = 0; i < roleArray.size(); ++i) {
        const QString path = QStringLiteral("$.roles[%1]").arg(i);
        if (!roleArray.at(i).isObject()) {
            v.add(path, QStringLiteral("expected an object"));
            continue;
        }
        const QJsonObject o = roleArray.at(i).toObject();
        v.checkKeys(
            o, path, {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("permissions")});
        Role r;
        r.name = v.requiredString(o, QStringLiteral("name"), path);
        r.description = v.optionalString(o, QStringLiteral("description"), path);
        r.permissions = v.stringList(
            o, QStringLiteral("permissions"), path, QStringLiteral("permission"),
            [&](const QString& name) { return permissionNames.contains(name); },
            QStringLiteral(" (not defined in $.permissions)"));
        if (!r.name.isEmpty() && !isValidName(r.name))
            v.add(path + QStringLiteral(".name"),
                QStringLiteral("'%1' is not a valid name: use %2").arg(r.name, nameRules()));
        if (roleNames.contains(r.name))
            v.add(path + QStringLiteral(".name"), QStringLiteral("duplicate role '%1'").arg(r.name));
        roleNames.insert(r.name);
        policy.roles.append(r);
    }
    if (!v.problems.isEmpty())
        return invalid(v.problems);
    return policy;
}

QJsonObject diff(const Policy& before, const Policy& after)
{
    QJsonObject beforeRoles;
    QJsonObject afterRoles;
    for (const Role& r : before.roles) {
        const Role* other = after.role(r.name);
        if (!other || !(*other == r))
            beforeRoles.insert(r.name, roleToJson(r));
    }
    for (const Role& r : after.roles) {
        const Role* other = before.role(r.name);
        if (!other || !(*other == r))
            afterRoles.insert(r.name, roleToJson(r));
    }
    QJsonObject beforePermissions;
    QJsonObject afterPermissions;
    for (const Permission& p : before.permissions) {
        const Permission* other = after.permission(p.name);
        if (!other || !(*other == p))
            beforePermissions.insert(p.name, permissionToJson(p));
    }
    for (const Permission& p : after.permissions) {
        const Permission* other = before.permission(p.name);
        if (!other || !(*other == p))
            afterPermissions.insert(p.name, permissionToJson(p));
    }
    return {{QStringLiteral("before"),
                QJsonObject {{QStringLiteral("roles"), beforeRoles},
                    {QStringLiteral("permissions"), beforePermissions}}},
        {QStringLiteral("after"),
            QJsonObject {
                {QStringLiteral("roles"), afterRoles}, {QStringLiteral("permissions"), afterPermissions}}}};
}

} // namespace rbac::PolicyJson
