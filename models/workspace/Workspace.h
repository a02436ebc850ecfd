#pragma once

#include "audit/AuditLog.h"
#include "workspace/PolicyStore.h"
#include "base/Status.h"
#include "workspace/WorkspaceLocation.h"

#include <QJsonObject>
#include <QObject>
#include <QSqlDatabase>

#include <functional>
#include <memory>

namespace rbac {

// A workspace: one SQLite file, or one PostgreSQL database shared by a team (WorkspaceLocation),
// with the policy, settings, non-secret key metadata and the audit log. Every change commits in
// one transaction together with its audit entry. It never holds a secret.
class Workspace : public QObject
{
    Q_OBJECT

public:
    enum class OpenMode
    {
        CreateIfMissing,
        ExistingOnly,
    };

    struct GrantChange
    {
        QString role;
        QString permission;
        bool granted = true;
    };

    // $KLAVIYO_RBAC_WORKSPACE, else workspace.sqlite under QStandardPaths::AppDataLocation.
    // open() takes a file path or a postgresql:// URI.
    static QString defaultPath();
    static Expected<std::unique_ptr<Workspace>> open(
        const QString& path, OpenMode mode = OpenMode::CreateIfMissing);
    ~Workspace() override;

    // The SQLite file, or the PostgreSQL URI without secrets.
    QString path() const { return m_path; }
    const WorkspaceLocation& location() const { return m_location; }
    SqlEngine engine() const { return m_location.engine; }
    QString id() const { return m_id; }

    // Who the audit log names; defaults to the OS user.
    void setActor(const QString& actor) { m_actor = actor; }
    QString actor() const { return m_actor; }
    // Recorded in audit details as "origin" (e.g. "cli", "console", "undo"); empty to omit.
    void setOrigin(const QString& origin) { m_origin = origin; }
    QString origin() const { return m_origin; }

    const Policy& policy() const { return m_stored.policy; }
    // Picks up commits made by other programs (the CLI, another console). Emits policyChanged.
    Status refresh();
    // True when another connection has committed since this one last looked.
    bool changedElsewhere();

    Status addRole(const QString& name, const QString& description = {}, const QString& cloneFrom = {});
    Status renameRole(const QString& from, const QString& to);
    Status setRoleDescription(const QString& role, const QString& description);
    Status removeRole(const QString& name);
    Status addPermission(const Permission& permission);
    Status updatePermission(const QString& name, const Permission& updated);
    Status removePermission(const QString& name);
    Status setGranted(const QString& role, const QString& permission, bool granted);
    // Several cells in one transaction, one audit entry per changed cell.
    Status setGrants(const QVector<GrantChange>& changes);
    // Replaces the whole policy (import). Roles keep their identity by name.
    Status replacePolicy(const Policy& policy, const QString& source);

    QString setting(const QString& key, const QString& fallback = {}) const;
    Status setSetting(const QString& key, const QString& value);

    // Records an event that changed nothing in the policy (e.g. a key verification).
    Status recordEvent(const QString& action,
        const QString& role,
        const QString& resource,
        bool success,
        const QJsonObject& details);

    // For services that keep their own tables (key metadata, OAuth facts): runs `body` inside one
    // write transaction, appends the audit entries it adds (build them with makeEntry), commits.
    // An error from `body` rolls everything back. No entries: nothing is committed. `progress`
    // follows the appends of a large batch and can stop them (AuditLog::appendAll).
    using RecordBody = std::function<Status(QSqlDatabase& db, QVector<AuditEntry>& entries)>;
    Status writeRecords(const RecordBody& body, const AuditLog::AppendProgress& progress = {});
    AuditEntry makeEntry(const QString& action,
        const QString& role,
        const QString& resource,
        const QJsonObject& details,
        bool success = true) const;

    AuditLog auditLog() const { return AuditLog(m_db); }
    QSqlDatabase database() const { return m_db; }

signals:
    void policyChanged();
    void auditAppended(qint64 lastId);

private:
    explicit Workspace(QString path);
    Status initialise(bool fresh);
    Status configureConnection();
    Status createSchema();

    // Runs `body` in one write transaction with the audit entries it adds, then commits.
    // `body` edits `next` (a copy of the current policy) to match what it wrote.
    using Body = std::function<Status(PolicyStore& store, StoredPolicy& next, QVector<AuditEntry>& entries)>;
    Status write(const Body& body, const AuditLog::AppendProgress& progress = {});
    AuditEntry entry(
        const QString& action, const QString& role, const QString& resource, QJsonObject details) const;
    Status ensureCurrent();
    qint64 dataVersion() const;

    QString m_path;
    WorkspaceLocation m_location;
    QString m_databaseRole;   // PostgreSQL: current_user
    Policy m_seenBeforeWrite; // the policy as the caller last saw it, during write()
    QString m_id;
    QString m_actor;
    QString m_origin;
    QSqlDatabase m_db;
    StoredPolicy m_stored;
    qint64 m_dataVersion = -1;
};

} // namespace rbac
