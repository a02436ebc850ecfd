#include "WorkspaceProbe.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace rbac::test {

qint64 auditCount(const Workspace& ws)
{
    QSqlQuery q(ws.database());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QVector<AuditRow> latestAudit(const Workspace& ws, int limit)
{
    QVector<AuditRow> rows;
    QSqlQuery q(ws.database());
    q.prepare(
        QStringLiteral("SELECT id, action, role, resource, details FROM audit_log ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return rows;
    while (q.next()) {
        rows.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toString(), QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object()});
    }
    return rows;
}

AuditRow lastAudit(const Workspace& ws)
{
    const QVector<AuditRow> rows = latestAudit(ws, 1);
    return rows.isEmpty() ? AuditRow {} : rows.constFirst();
}

QString allAuditText(const Workspace& ws)
{
    QSqlQuery q(ws.database());
    q.setForwardOnly(true);
    QString text;
    if (!q.exec(QStringLiteral("SELECT action, resource, details FROM audit_log ORDER BY id DESC")))
        return text;
    while (q.next()) {
        text += q.value(0).toString() + QLatin1Char(' ') + q.value(1).toString() + QLatin1Char(' ')
            + q.value(2).toString() + QLatin1Char('\n');
    }
    return text;
}

bool storedGrant(const Workspace& ws, const QString& role, const QString& permission)
{
    QSqlQuery q(ws.database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM grants g JOIN roles r ON r.id = g.role_id "
                             "JOIN permissions p ON p.id = g.permission_id WHERE r.name = ? AND p.name = ?"));
    q.addBindValue(role);
    q.addBindValue(permission);
    return q.exec() && q.next() && q.value(0).toInt() == 1;
}

bool storedRole(const Workspace& ws, const QString& role)
{
    QSqlQuery q(ws.database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM roles WHERE name = ?"));
    q.addBindValue(role);
    return q.exec() && q.next() && q.value(0).toInt() == 1;
}

} // namespace rbac::test
