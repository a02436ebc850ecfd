#include "workspace/Workspace.h"

#include "base/Clock.h"
#include "base/OsUser.h"
#include "policy/DefaultPolicy.h"
#include "policy/PolicyJson.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Schema.h"

#include <QAtomicInt>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

namespace rbac {

namespace {

QAtomicInt connectionCounter;

// Any fixed number: the advisory lock every writer of a PostgreSQL workspace takes.
constexpr qint64 writerLockKey = 0x6b6c7276; // "klrv"
const QString changeChannel = QStringLiteral("klaviyo_rbac_changes");

// How long a writer waits for another one before reporting "locked". Transactions last
// milliseconds; the margin covers many writers on a slow disk (SQLite's busy wait is not fair).
// KLAVIYO_RBAC_LOCK_TIMEOUT_MS overrides it (tests use a short one).
int lockTimeoutMs()
{
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("KLAVIYO_RBAC_LOCK_TIMEOUT_MS", &ok);
    return ok && fromEnv > 0 ? fromEnv : 15000;
}

QString compact(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// SQLite BUSY/LOCKED past the busy timeout; PostgreSQL lock_not_available past lock_timeout.
bool isLockError(const QSqlError& error)
{
    const QString code = error.nativeErrorCode();
    return code == QLatin1String("5") || code == QLatin1String("6") || code == QLatin1String("55P03");
}

Status exec(QSqlDatabase& db, const QString& sql)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return Status::ok();
    const QSqlError error = q.lastError();
    if (isLockError(error))
        return Status::error(ErrorKind::Environment,
            QStringLiteral("the workspace is locked by another program (%1)").arg(error.text()));
    return Status::error(
        ErrorKind::Environment, QStringLiteral("workspace database error: %1").arg(error.text()));
}

// Writers are serialised, so the audit chain stays one chain and every change is checked
// against what is really stored. SQLite: BEGIN IMMEDIATE takes the write lock up front (no
// deadlock on a lock upgrade). PostgreSQL: a transaction-scoped advisory lock does the same
// across every console and CLI on the database. Anything not committed is rolled back.
class WriteTransaction
{
public:
    WriteTransaction(QSqlDatabase& db, SqlEngine engine)
        : m_db(db)
        , m_engine(engine)
    {
    }
    ~WriteTransaction()
    {
        // A failed ROLLBACK leaves nothing to undo: the server drops the transaction with the connection.
        if (m_open) {
            if (const Status s = exec(m_db, QStringLiteral("ROLLBACK")); !s)
                qWarning("workspace: rollback failed: %s", qUtf8Printable(s.message()));
        }
    }
    Status begin()
    {
        if (m_engine == SqlEngine::SQLite) {
            Status s = exec(m_db, QStringLiteral("BEGIN IMMEDIATE"));
            m_open = s.isOk();
            return s;
        }
        Status s = exec(m_db, QStringLiteral("BEGIN"));
        m_open = s.isOk();
        if (s)
            s = exec(m_db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(writerLockKey));
        return s;
    }
    Status commit()
    {
        Status s = exec(m_db, QStringLiteral("COMMIT"));
        if (s)
            m_open = false;
        return s;
    }

private:
    QSqlDatabase& m_db;
    SqlEngine m_engine;
    bool m_open = false;
};

} // namespace

QString Workspace::defaultPath()
{
    const QString fromEnv = qEnvironmentVariable("KLAVIYO_RBAC_WORKSPACE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/workspace.sqlite");
}

Workspace::Workspace(QString path)
    : m_path(std::move(path))
    , m_actor(osUserName())
{
}

Workspace::~Workspace()
{
    const QString name = m_db.connectionName();
    m_db.close();
    m_db = QSqlDatabase();
    if (!name.isEmpty())
        QSqlDatabase::removeDatabase(name);
}

Expected<std::unique_ptr<Workspace>> Workspace::open(const QString& path, OpenMode mode)
{
    Expected<WorkspaceLocation> location = WorkspaceLocation::parse(path);
    if (!location)
        return location.status();
    const QString connection
        = QStringLiteral("rbac-workspace-%1").arg(connectionCounter.fetchAndAddOrdered(1));
    std::unique_ptr<Workspace> ws;
    bool fresh = false;
    if (location->engine == SqlEngine::SQLite) {
        const QFileInfo info(path);
        if (info.exists() && !info.isFile())
            return Status::error(ErrorKind::InvalidInput, QStringLiteral("'%1' is not a file").arg(path));
        if (!info.exists()) {
            if (mode == OpenMode::ExistingOnly)
                return Status::error(ErrorKind::NotFound, QStringLiteral("no workspace at '%1'").arg(path));
            if (!QDir().mkpath(info.absolutePath()))
                return Status::error(ErrorKind::Environment,
                    QStringLiteral("cannot create the folder '%1'").arg(info.absolutePath()));
        }
        fresh = !info.exists() || info.size() == 0;
        location->filePath = info.absoluteFilePath();
        ws.reset(new Workspace(location->filePath));
        ws->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        ws->m_db.setDatabaseName(location->filePath);
        ws->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(lockTimeoutMs()));
    } else {
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            return Status::error(ErrorKind::Environment,
                QStringLiteral("the PostgreSQL driver for Qt is not installed (Debian package "
                               "libqt6sql6-psql)"));
        ws.reset(new Workspace(location->display()));
        ws->m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        ws->m_db.setHostName(location->host);
        ws->m_db.setPort(location->port);
        ws->m_db.setDatabaseName(location->database);
        ws->m_db.setUserName(location->user);
        ws->m_db.setConnectOptions(location->connectOptions);
    }
    ws->m_location = location.value();
    if (!ws->m_db.open())
        return Status::error(ErrorKind::Environment,
            QStringLiteral("cannot open '%1': %2").arg(ws->m_path, ws->m_db.lastError().text().trimmed()));
    if (Status s = ws->initialise(fresh); !s)
        return s;
    return ws;
}

Status Workspace::initialise(bool fresh)
{
    int version = 0;
    if (!fresh) {
        // Read-only look first: a file that is not ours is never written to.
        Expected<Schema::Inspection> inspection = Schema::inspect(m_db, m_path, m_location.engine);
        if (!inspection)
            return inspection.status();
        fresh = inspection->isEmpty;
        version = inspection->version;
        m_id = inspection->workspaceId;
    }
    if (Status s = configureConnection(); !s)
        return s;
    if (fresh) {
        if (Status s = createSchema(); !s)
            return s;
    } else if (version < Schema::latestVersion()) {
        WriteTransaction tx(m_db, m_location.engine);
        if (Status s = tx.begin(); !s)
            return s;
        Expected<Schema::Inspection> again = Schema::inspect(m_db, m_path, m_location.engine);
        if (!again)
            return again.status();
        if (again->version < Schema::latestVersion()) {
            if (Status s = Schema::migrate(m_db, again->version, Schema::latestVersion(), m_location.engine);
                !s)
                return s;
            AuditEntry e = entry(QStringLiteral("workspace.migrate"), {}, QStringLiteral("workspace"),
                {{QStringLiteral("before"), QJsonObject {{QStringLiteral("schemaVersion"), again->version}}},
                    {QStringLiteral("after"),
                        QJsonObject {{QStringLiteral("schemaVersion"), Schema::latestVersion()}}}});
            if (Status s = auditLog().append(e); !s)
                return s;
        }
        if (Status s = tx.commit(); !s)
            return s;
    }
    return refresh();
}

Status Workspace::configureConnection()
{
    QStringList statements;
    if (m_location.engine == SqlEngine::SQLite) {
        statements = {QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("PRAGMA journal_mode = WAL"),
            // Every change carries an audit entry: make each commit durable.
            QStringLiteral("PRAGMA synchronous = FULL")};
    } else {
        // Give up on a writer that holds the lock this long, as SQLite's busy timeout does.
        statements = {QStringLiteral("SET lock_timeout = %1").arg(lockTimeoutMs()),
            QStringLiteral("SET client_min_messages = warning")};
    }
    for (const QString& sql : std::as_const(statements)) {
        if (Status s = exec(m_db, sql); !s)
            return s;
    }
    if (m_location.engine == SqlEngine::PostgreSQL) {
        QSqlQuery q(m_db);
        if (q.exec(QStringLiteral("SELECT current_user")) && q.next())
            m_databaseRole = q.value(0).toString();
        // Other admins' commits arrive as notifications: the policy and audit views follow live.
        if (m_db.driver()->subscribeToNotification(changeChannel)) {
            connect(m_db.driver(), &QSqlDriver::notification, this,
                [this](const QString& name, QSqlDriver::NotificationSource source, const QVariant&) {
                    if (name != changeChannel || source != QSqlDriver::NotificationSource::OtherSource)
                        return;
                    // The views keep the last policy they read; the next change or reopen retries.
                    if (const Status s = refresh(); !s)
                        qWarning("workspace: cannot read another admin's change: %s", qUtf8Printable(s.message()));
                });
        }
    }
    return Status::ok();
}

Status Workspace::createSchema()
{
    WriteTransaction tx(m_db, m_location.engine);
    if (Status s = tx.begin(); !s)
        return s;
    // Another program may have created it while we waited for the lock.
    Expected<Schema::Inspection> existing = Schema::inspect(m_db, m_path, m_location.engine);
    if (!existing)
        return existing.status();
    if (!existing->isEmpty) {
        m_id = existing->workspaceId;
        return Status::ok();
    }
    if (Status s = Schema::migrate(m_db, 0, Schema::latestVersion(), m_location.engine); !s)
        return s;
    m_id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    PolicyStore store(m_db);
    const QString now = isoUtc(Clock::nowUtc());
    for (const auto& [key, value] :
        {std::pair {QStringLiteral("format"), QString::fromLatin1(Schema::formatName)},
            std::pair {QStringLiteral("workspace_id"), m_id},
            std::pair {QStringLiteral("created_at"), now}}) {
        if (Status s
            = store.exec(QStringLiteral("INSERT INTO schema_meta (key, value) VALUES (?, ?)"), {key, value});
            !s)
            return s;
    }

    const Policy defaults = defaultPolicy();
    QHash<QString, qint64> permissionIds;
    for (const Permission& p : defaults.permissions) {
        Expected<qint64> id = store.insertPermission(p, now);
        if (!id)
            return id.status();
        permissionIds.insert(p.name, *id);
    }
    QJsonArray roles;
    for (Role r : defaults.roles) {
        r.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        Expected<qint64> id = store.insertRole(r, now);
        if (!id)
            return id.status();
        for (const QString& p : std::as_const(r.permissions)) {
            if (Status s = store.setGrant(*id, permissionIds.value(p), true); !s)
                return s;
        }
        roles.append(PolicyJson::roleToJson(r));
    }
    QJsonArray permissions;
    for (const Permission& p : defaults.permissions)
        permissions.append(PolicyJson::permissionToJson(p));
    AuditEntry e = entry(QStringLiteral("workspace.create"), {}, QStringLiteral("workspace"),
        {{QStringLiteral("after"),
            QJsonObject {{QStringLiteral("workspaceId"), m_id},
                {QStringLiteral("schemaVersion"), Schema::latestVersion()}, {QStringLiteral("roles"), roles},
                {QStringLiteral("permissions"), permissions}}}});
    if (Status s = auditLog().append(e); !s)
        return s;
    return tx.commit();
}

qint64 Workspace::dataVersion() const
{
    // Every commit appends an audit entry, so the chain head is a change counter that works the
    // same on SQLite and PostgreSQL.
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT last_id FROM audit_head WHERE id = 1")) && q.next())
        return q.value(0).toLongLong();
    return -1;
}

bool Workspace::changedElsewhere()
{
    return dataVersion() != m_dataVersion;
}

Status Workspace::refresh()
{
    const qint64 version = dataVersion();
    Expected<StoredPolicy> loaded = PolicyStore(m_db).load();
    if (!loaded)
        return loaded.status();
    const bool changed = !(loaded->policy == m_stored.policy) || m_dataVersion == -1;
    const bool appended = m_dataVersion != -1 && version != m_dataVersion;
    m_stored = std::move(loaded.value());
    m_dataVersion = version;
    if (changed)
        emit policyChanged();
    if (appended)
        emit auditAppended(version);
    return Status::ok();
}

Status Workspace::ensureCurrent()
{
    return changedElsewhere() ? refresh() : Status::ok();
}

AuditEntry Workspace::entry(
    const QString& action, const QString& role, const QString& resource, QJsonObject details) const
{
    AuditEntry e;
    e.actor = m_actor;
    e.role = role;
    e.action = action;
    e.resource = resource;
    if (!m_origin.isEmpty())
        details.insert(QStringLiteral("origin"), m_origin);
    // On a shared database the trail also says which database account made the change.
    if (!m_databaseRole.isEmpty())
        details.insert(QStringLiteral("dbRole"), m_databaseRole);
    e.details = compact(details);
    return e;
}

Status Workspace::write(const Body& body, const AuditLog::AppendProgress& progress)
{
    WriteTransaction tx(m_db, m_location.engine);
    if (Status s = tx.begin(); !s)
        return s;
    // Holding the write lock, compare against what is really stored, not a stale copy; keep what
    // the caller saw, so a change that collides with another admin's can be refused, not merged.
    m_seenBeforeWrite = m_stored.policy;
    if (Status s = ensureCurrent(); !s)
        return s;
    StoredPolicy next = m_stored;
    PolicyStore store(m_db);
    QVector<AuditEntry> entries;
    if (Status s = body(store, next, entries); !s)
        return s;
    if (entries.isEmpty())
        return Status::ok(); // nothing changed, nothing to record
    AuditLog log(m_db);
    if (Status s = log.appendAll(entries, progress); !s)
        return s;
    if (m_location.engine == SqlEngine::PostgreSQL) {
        // Delivered to the other sessions' LISTEN when (and only if) the transaction commits.
        if (Status s = exec(m_db, QStringLiteral("NOTIFY %1").arg(changeChannel)); !s)
            return s;
    }
    if (Status s = tx.commit(); !s)
        return s;
    const bool policyTouched = !(next.policy == m_stored.policy) || next.roleIds != m_stored.roleIds;
    m_stored = std::move(next);
    m_dataVersion = entries.constLast().id;
    if (policyTouched)
        emit policyChanged();
    emit auditAppended(entries.constLast().id);
    return Status::ok();
}

QString Workspace::setting(const QString& key, const QString& fallback) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    q.addBindValue(key);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return fallback;
}

Status Workspace::setSetting(const QString& key, const QString& value)
{
    return write([&](PolicyStore& store, StoredPolicy&, QVector<AuditEntry>& entries) {
        const QString before = setting(key);
        if (before == value)
            return Status::ok();
        if (Status s = store.exec(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) "
                                                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                {key, value});
            !s)
            return s;
        entries << entry(QStringLiteral("setting.set"), {}, QStringLiteral("setting:") + key,
            {{QStringLiteral("before"), QJsonObject {{key, before}}},
                {QStringLiteral("after"), QJsonObject {{key, value}}}});
        return Status::ok();
    });
}

Status Workspace::writeRecords(const RecordBody& body, const AuditLog::AppendProgress& progress)
{
    return write(
        [&](PolicyStore&, StoredPolicy&, QVector<AuditEntry>& entries) { return body(m_db, entries); }, progress);
}

AuditEntry Workspace::makeEntry(const QString& action,
    const QString& role,
    const QString& resource,
    const QJsonObject& details,
    bool success) const
{
    AuditEntry e = entry(action, role, resource, details);
    e.success = success;
    return e;
}

Status Workspace::recordEvent(const QString& action,
    const QString& role,
    const QString& resource,
    bool success,
    const QJsonObject& details)
{
    return write([&](PolicyStore&, StoredPolicy&, QVector<AuditEntry>& entries) {
        AuditEntry e = entry(action, role, resource, details);
        e.success = success;
        entries << e;
        return Status::ok();
    });
}

} // namespace rbac

// The policy changes a Workspace offers; each is one transaction with its audit entries.
namespace rbac {

namespace {

Status notFound(const QString& what, const QString& name)
{
    return Status::error(ErrorKind::NotFound, QStringLiteral("no %1 '%2' in this workspace").arg(what, name));
}

Status checkName(const QString& what, const QString& name)
{
    if (isValidName(name))
        return Status::ok();
    return Status::error(ErrorKind::InvalidInput,
        QStringLiteral("%1 name '%2' is not valid: use %3").arg(what, name, nameRules()));
}

QString roleResource(const QString& name)
{
    return QStringLiteral("role:") + name;
}

QString permissionResource(const QString& name)
{
    return QStringLiteral("permission:") + name;
}

void insertSorted(QStringList& list, const QString& value)
{
    list.insert(std::lower_bound(list.begin(), list.end(), value) - list.begin(), value);
}

QJsonObject grantJson(bool granted)
{
    return {{QStringLiteral("granted"), granted}};
}

} // namespace

Status Workspace::addRole(const QString& name, const QString& description, const QString& cloneFrom)
{
    if (Status s = checkName(QStringLiteral("role"), name); !s)
        return s;
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        if (next.policy.role(name))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a role named '%1' already exists").arg(name));
        Role role;
        role.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        role.name = name;
        role.description = description;
        if (!cloneFrom.isEmpty()) {
            const Role* source = next.policy.role(cloneFrom);
            if (!source)
                return notFound(QStringLiteral("role"), cloneFrom);
            role.permissions = source->permissions;
            if (description.isEmpty())
                role.description = source->description;
        }
        Expected<qint64> id = store.insertRole(role, isoUtc(Clock::nowUtc()));
        if (!id)
            return id.status();
        for (const QString& p : std::as_const(role.permissions)) {
            if (Status s = store.setGrant(*id, next.permissionIds.value(p), true); !s)
                return s;
        }
        next.roleIds.insert(name, *id);
        next.policy.roles.append(role);
        QJsonObject details {{QStringLiteral("after"), PolicyJson::roleToJson(role)}};
        if (!cloneFrom.isEmpty())
            details.insert(QStringLiteral("clonedFrom"), cloneFrom);
        entries << entry(cloneFrom.isEmpty() ? QStringLiteral("role.add") : QStringLiteral("role.clone"),
            name, roleResource(name), details);
        return Status::ok();
    });
}

Status Workspace::renameRole(const QString& from, const QString& to)
{
    if (Status s = checkName(QStringLiteral("role"), to); !s)
        return s;
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        Role* role = next.policy.role(from);
        if (!role)
            return notFound(QStringLiteral("role"), from);
        if (from == to)
            return Status::ok();
        if (next.policy.role(to))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a role named '%1' already exists").arg(to));
        const qint64 id = next.roleIds.take(from);
        if (Status s = store.updateRole(id, to, role->description); !s)
            return s;
        role->name = to;
        next.roleIds.insert(to, id);
        entries << entry(QStringLiteral("role.rename"), to, roleResource(to),
            {{QStringLiteral("before"), QJsonObject {{QStringLiteral("name"), from}}},
                {QStringLiteral("after"), QJsonObject {{QStringLiteral("name"), to}}},
                {QStringLiteral("uid"), role->uid}});
        return Status::ok();
    });
}

Status Workspace::setRoleDescription(const QString& name, const QString& description)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        Role* role = next.policy.role(name);
        if (!role)
            return notFound(QStringLiteral("role"), name);
        if (role->description == description)
            return Status::ok();
        if (Status s = store.updateRole(next.roleIds.value(name), name, description); !s)
            return s;
        entries << entry(QStringLiteral("role.describe"), name, roleResource(name),
            {{QStringLiteral("before"), QJsonObject {{QStringLiteral("description"), role->description}}},
                {QStringLiteral("after"), QJsonObject {{QStringLiteral("description"), description}}}});
        role->description = description;
        return Status::ok();
    });
}

Status Workspace::removeRole(const QString& name)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        const Role* role = next.policy.role(name);
        if (!role)
            return notFound(QStringLiteral("role"), name);
        if (Status s = store.deleteRole(next.roleIds.value(name)); !s)
            return s;
        entries << entry(QStringLiteral("role.remove"), name, roleResource(name),
            {{QStringLiteral("before"), PolicyJson::roleToJson(*role)}, {QStringLiteral("uid"), role->uid}});
        next.roleIds.remove(name);
        next.policy.roles.removeIf([&](const Role& r) { return r.name == name; });
        return Status::ok();
    });
}

Status Workspace::addPermission(const Permission& permission)
{
    Permission p = permission;
    p.operations.sort();
    p.operations.removeDuplicates();
    p.scopes.sort();
    p.scopes.removeDuplicates();
    if (const QStringList problems = PolicyJson::permissionProblems(p, ScopeCatalog::builtin());
        !problems.isEmpty())
        return Status::error(ErrorKind::InvalidInput, problems.join(QLatin1Char('\n')));
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        if (next.policy.permission(p.name))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a permission named '%1' already exists").arg(p.name));
        Expected<qint64> id = store.insertPermission(p, isoUtc(Clock::nowUtc()));
        if (!id)
            return id.status();
        next.permissionIds.insert(p.name, *id);
        next.policy.permissions.append(p);
        entries << entry(QStringLiteral("permission.add"), {}, permissionResource(p.name),
            {{QStringLiteral("after"), PolicyJson::permissionToJson(p)}});
        return Status::ok();
    });
}

Status Workspace::updatePermission(const QString& name, const Permission& updated)
{
    Permission p = updated;
    p.operations.sort();
    p.operations.removeDuplicates();
    p.scopes.sort();
    p.scopes.removeDuplicates();
    if (const QStringList problems = PolicyJson::permissionProblems(p, ScopeCatalog::builtin());
        !problems.isEmpty())
        return Status::error(ErrorKind::InvalidInput, problems.join(QLatin1Char('\n')));
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        Permission* current = next.policy.permission(name);
        if (!current)
            return notFound(QStringLiteral("permission"), name);
        if (*current == p)
            return Status::ok();
        if (p.name != name && next.policy.permission(p.name))
            return Status::error(
                ErrorKind::Conflict, QStringLiteral("a permission named '%1' already exists").arg(p.name));
        const qint64 id = next.permissionIds.take(name);
        if (Status s = store.updatePermission(id, p); !s)
            return s;
        entries << entry(QStringLiteral("permission.update"), {}, permissionResource(p.name),
            {{QStringLiteral("before"), PolicyJson::permissionToJson(*current)},
                {QStringLiteral("after"), PolicyJson::permissionToJson(p)}});
        *current = p;
        next.permissionIds.insert(p.name, id);
        if (p.name != name) {
            for (Role& r : next.policy.roles) {
                if (r.permissions.removeOne(name))
                    insertSorted(r.permissions, p.name);
            }
        }
        return Status::ok();
    });
}

Status Workspace::removePermission(const QString& name)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        const Permission* p = next.policy.permission(name);
        if (!p)
            return notFound(QStringLiteral("permission"), name);
        if (Status s = store.deletePermission(next.permissionIds.value(name)); !s)
            return s;
        QJsonObject before = PolicyJson::permissionToJson(*p);
        before.insert(QStringLiteral("grantedTo"), QJsonArray::fromStringList(next.policy.holders(name)));
        entries << entry(QStringLiteral("permission.remove"), {}, permissionResource(name),
            {{QStringLiteral("before"), before}});
        next.permissionIds.remove(name);
        next.policy.permissions.removeIf([&](const Permission& x) { return x.name == name; });
        for (Role& r : next.policy.roles)
            r.permissions.removeOne(name);
        return Status::ok();
    });
}

Status Workspace::setGranted(const QString& role, const QString& permission, bool granted)
{
    return setGrants({{role, permission, granted}});
}

Status Workspace::setGrants(const QVector<GrantChange>& changes)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        for (const GrantChange& change : changes) {
            Role* role = next.policy.role(change.role);
            if (!role)
                return notFound(QStringLiteral("role"), change.role);
            if (!next.policy.permission(change.permission))
                return notFound(QStringLiteral("permission"), change.permission);
            const bool current
                = std::binary_search(role->permissions.cbegin(), role->permissions.cend(), change.permission);
            // Another admin changed this very cell since the caller looked: tell, don't overwrite.
            if (m_seenBeforeWrite.role(change.role)
                && m_seenBeforeWrite.isGranted(change.role, change.permission) != current)
                return Status::error(ErrorKind::Conflict,
                    QStringLiteral("%1 of %2 to role '%3' was just changed by someone else (it is "
                                   "now %4); nothing was applied — review and try again")
                        .arg(QStringLiteral("the grant"), change.permission, change.role,
                            current ? QStringLiteral("granted") : QStringLiteral("revoked")));
            if (current == change.granted)
                continue;
            if (Status s = store.setGrant(next.roleIds.value(change.role),
                    next.permissionIds.value(change.permission), change.granted);
                !s)
                return s;
            if (change.granted)
                insertSorted(role->permissions, change.permission);
            else
                role->permissions.removeOne(change.permission);
            entries << entry(change.granted ? QStringLiteral("grant") : QStringLiteral("revoke"), change.role,
                permissionResource(change.permission),
                {{QStringLiteral("before"), grantJson(current)},
                    {QStringLiteral("after"), grantJson(change.granted)}});
        }
        return Status::ok();
    });
}

Status Workspace::replacePolicy(const Policy& policy, const QString& source)
{
    return write([&](PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries) {
        const Policy before = next.policy;
        const QString now = isoUtc(Clock::nowUtc());
        // Permissions: keep rows by name, so grants elsewhere and ids stay stable.
        for (const Permission& old : before.permissions) {
            if (!policy.permission(old.name)) {
                if (Status s = store.deletePermission(next.permissionIds.take(old.name)); !s)
                    return s;
            }
        }
        for (const Permission& p : policy.permissions) {
            const Permission* old = before.permission(p.name);
            if (!old) {
                Expected<qint64> id = store.insertPermission(p, now);
                if (!id)
                    return id.status();
                next.permissionIds.insert(p.name, *id);
            } else if (!(*old == p)) {
                if (Status s = store.updatePermission(next.permissionIds.value(p.name), p); !s)
                    return s;
            }
        }
        // Roles: keep identity (uid, keychain entries) by name.
        for (const Role& old : before.roles) {
            if (!policy.role(old.name)) {
                if (Status s = store.deleteRole(next.roleIds.take(old.name)); !s)
                    return s;
            }
        }
        for (Role r : policy.roles) { // NOLINT(performance-for-range-copy): sorted below
            const Role* old = before.role(r.name);
            r.permissions.sort();
            if (!old) {
                r.uid = QUuid::createUuid().toString(QUuid::WithoutBraces);
                Expected<qint64> id = store.insertRole(r, now);
                if (!id)
                    return id.status();
                next.roleIds.insert(r.name, *id);
            } else {
                r.uid = old->uid;
                if (old->description != r.description) {
                    if (Status s = store.updateRole(next.roleIds.value(r.name), r.name, r.description); !s)
                        return s;
                }
            }
            if (!old || old->permissions != r.permissions) {
                const qint64 roleId = next.roleIds.value(r.name);
                if (Status s = store.clearGrants(roleId); !s)
                    return s;
                for (const QString& p : std::as_const(r.permissions)) {
                    if (Status s = store.setGrant(roleId, next.permissionIds.value(p), true); !s)
                        return s;
                }
            }
        }
        // Back in stored (creation) order, as every later load will see it.
        Expected<StoredPolicy> stored = store.load();
        if (!stored)
            return stored.status();
        next = std::move(stored.value());
        QJsonObject details = PolicyJson::diff(before, next.policy);
        const auto isEmpty = [&details](const char* side) {
            const QJsonObject o = details.value(QLatin1String(side)).toObject();
            return o.value(QLatin1String("roles")).toObject().isEmpty()
                && o.value(QLatin1String("permissions")).toObject().isEmpty();
        };
        if (isEmpty("before") && isEmpty("after"))
            return Status::ok(); // identical policy: nothing to record, the transaction rolls back
        details.insert(QStringLiteral("source"), source);
        entries << entry(QStringLiteral("policy.import"), {}, QStringLiteral("policy"), details);
        return Status::ok();
    });
}

} // namespace rbac
