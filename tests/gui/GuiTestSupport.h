#pragma once

#include "widgets/FileDialog.h"
#include "widgets/MessageBox.h"
#include "workspace/Workspace.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>
#include <QWidget>

#include <memory>

namespace rbac::test {

// One row of audit_log, read straight from the database the console wrote.
struct AuditRow
{
    qint64 id = 0;
    QString action;
    QString role;
    QString resource;
    QJsonObject details;
};

inline qint64 auditCount(const Workspace& ws)
{
    QSqlQuery q(ws.database());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

// Newest first.
inline QVector<AuditRow> latestAudit(const Workspace& ws, int limit)
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

inline AuditRow lastAudit(const Workspace& ws)
{
    const QVector<AuditRow> rows = latestAudit(ws, 1);
    return rows.isEmpty() ? AuditRow {} : rows.constFirst();
}

// Whether the grant is in the database itself (not in a cached policy).
inline bool storedGrant(const Workspace& ws, const QString& role, const QString& permission)
{
    QSqlQuery q(ws.database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM grants g JOIN roles r ON r.id = g.role_id "
                             "JOIN permissions p ON p.id = g.permission_id WHERE r.name = ? AND p.name = ?"));
    q.addBindValue(role);
    q.addBindValue(permission);
    return q.exec() && q.next() && q.value(0).toInt() == 1;
}

inline bool storedRole(const Workspace& ws, const QString& role)
{
    QSqlQuery q(ws.database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM roles WHERE name = ?"));
    q.addBindValue(role);
    return q.exec() && q.next() && q.value(0).toInt() == 1;
}

inline void clickCell(QAbstractItemView* view, const QModelIndex& index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->visualRect(index).center());
}

// Call from init(): any warning fails the test, except the offscreen plugin's harmless notice.
inline void failOnUnexpectedWarnings()
{
    QTest::failOnWarning(
        QRegularExpression(QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
}

// Message boxes and file dialogs answer from the test, never block.
inline void enableTestSeams()
{
    MessageBox::setTestMode(true);
    FileDialog::setTestMode(true);
}

// Interactive widgets (those that take focus) without an object name or an accessible name.
// Skips the private parts of composite Qt widgets (a combo box's line edit, tab bar arrows …).
inline QStringList unnamedWidgets(QWidget* root)
{
    QStringList out;
    const QList<QWidget*> widgets = root->findChildren<QWidget*>();
    for (QWidget* w : widgets) {
        if (w->focusPolicy() == Qt::NoFocus || w->objectName().startsWith(QLatin1String("qt_")))
            continue;
        QWidget* parent = w->parentWidget();
        if (qobject_cast<QComboBox*>(parent) || qobject_cast<QAbstractSpinBox*>(parent)
            || qobject_cast<QTabBar*>(parent) || (parent && parent->inherits("QComboBoxPrivateContainer")))
            continue;
        if (w->objectName().isEmpty() || w->accessibleName().isEmpty())
            out << QStringLiteral("%1 '%2' in %3")
                       .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(),
                           parent ? parent->objectName() : QString());
    }
    return out;
}

// A GUI test's start: seams on, throw-away standard paths, no workspace from the environment.
inline void prepareGuiTestCase()
{
    enableTestSeams();
    QStandardPaths::setTestModeEnabled(true);
    qputenv("KLAVIYO_RBAC_WORKSPACE", QByteArray());
}

// Before each test function: no settings or message boxes left over from the one before.
inline void resetGuiState()
{
    failOnUnexpectedWarnings();
    QSettings().clear();
    MessageBox::clearHistory();
}

} // namespace rbac::test
