#pragma once

// Reads a workspace's tables straight from its database (not through the code under test): the
// audit log, the roles and the grants. Models only, so any test can use it.
#include "workspace/Workspace.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

namespace rbac::test {

// One row of audit_log.
struct AuditRow
{
    qint64 id = 0;
    QString action;
    QString role;
    QString resource;
    QJsonObject details;
};

// The number of audit entries, or -1 when it cannot be read.
qint64 auditCount(const Workspace& ws);

// The newest `limit` entries, newest first.
QVector<AuditRow> latestAudit(const Workspace& ws, int limit);

// The newest entry (an empty row when there is none).
AuditRow lastAudit(const Workspace& ws);

// Every audit entry's action, resource and details, one line each, newest first: to look for
// secrets in.
QString allAuditText(const Workspace& ws);

// Whether the grant is in the database itself (not in a cached policy).
bool storedGrant(const Workspace& ws, const QString& role, const QString& permission);

bool storedRole(const Workspace& ws, const QString& role);

} // namespace rbac::test
