// Adding, cloning, renaming and removing roles, and adding, editing and removing permissions,
// through the real dialogs and confirmations of the main window. Bad input is refused in the
// dialog and writes nothing.
#include "TestConsole.h"
#include "items/CatalogPickerModel.h"
#include "matrix/ChecklistView.h"
#include "GuiTestSupport.h"
#include "window/MainWindow.h"
#include "matrix/MatrixPage.h"
#include "matrix/PermissionDialog.h"
#include "matrix/RoleDialog.h"
#include "items/RoleMatrixModel.h"
#include "matrix/WorkspaceEditor.h"
#include "WorkspaceProbe.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace rbac;

class TestRoleDialogs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { test::enableTestSeams(); }

    void init()
    {
        test::failOnUnexpectedWarnings();
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++m_counter));
        auto opened = Workspace::open(m_path);
        QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
        m_window.reset(); // before the services it uses
        m_services = std::make_unique<test::WithServices>(std::move(opened.value()));
        m_window = std::make_unique<MainWindow>(m_services->get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_page = m_window->matrixPage();
        MessageBox::clearHistory();
    }

    void cleanup() { m_window.reset(); }

    void addRole()
    {
        trigger(QStringLiteral("addRoleAction"));
        RoleDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<RoleDialog*>()));
        QVERIFY(dialog->isVisible());
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("roleNameEdit"));
        QTRY_COMPARE(QApplication::focusWidget(), name); // focus starts in the name
        QTest::keyClicks(name, QStringLiteral("support"));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("roleDescriptionEdit")),
            QStringLiteral("Answers customers"));
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<RoleDialog*>());

        QVERIFY(test::storedRole(*ws(), QStringLiteral("support")));
        const test::AuditRow row = test::lastAudit(*ws());
        QCOMPARE(row.action, QStringLiteral("role.add"));
        QCOMPARE(row.role, QStringLiteral("support"));
        QCOMPARE(row.details.value(QStringLiteral("origin")).toString(), QStringLiteral("console"));
        QCOMPARE(
            ws()->policy().role(QStringLiteral("support"))->description, QStringLiteral("Answers customers"));
        QCOMPARE(m_page->model()->rowOfRole(QStringLiteral("support")), 5);
        QCOMPARE(m_page->currentRole(), QStringLiteral("support"));
    }

    void badRoleNamesAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QString() << QStringLiteral("Enter a name for the role.");
        QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("Enter a name for the role.");
        QTest::newRow("digit first") << QStringLiteral("9lives")
                                     << QStringLiteral("is not a valid role name");
        QTest::newRow("space") << QStringLiteral("two words") << QStringLiteral("is not a valid role name");
        QTest::newRow("duplicate") << QStringLiteral("admin") << QStringLiteral("already exists");
    }

    void badRoleNamesAreRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, message);
        const qint64 before = test::auditCount(*ws());
        trigger(QStringLiteral("addRoleAction"));
        RoleDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<RoleDialog*>()));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("roleNameEdit")), name);
        QVERIFY(!okButton(dialog)->isEnabled());
        const QString shown = dialog->findChild<QLabel*>(QStringLiteral("roleProblemLabel"))->text();
        QVERIFY2(shown.contains(message), qPrintable(shown));
        // Even a forced accept (Enter, a script) is refused by the dialog itself, before anything
        // reaches the workspace, and keeps the dialog open with its reason.
        dialog->accept();
        QVERIFY(dialog->isVisible());
        const QString after = dialog->findChild<QLabel*>(QStringLiteral("roleProblemLabel"))->text();
        QVERIFY2(
            after.contains(message) && !after.startsWith(QStringLiteral("Not saved")), qPrintable(after));
        QCOMPARE(test::auditCount(*ws()), before);
        QCOMPARE(ws()->policy().roles.size(), 5);
        dialog->reject();
    }

    void cloneRole()
    {
        m_page->selectCell(QStringLiteral("marketer"));
        trigger(QStringLiteral("cloneRoleAction"));
        RoleDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<RoleDialog*>()));
        QCOMPARE(dialog->findChild<QComboBox*>(QStringLiteral("roleSourceCombo"))->currentText(),
            QStringLiteral("marketer"));
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("roleNameEdit"));
        QCOMPARE(name->text(), QStringLiteral("copy-of-marketer"));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("roleSourceSummary"))
                    ->text()
                    .contains(QStringLiteral("canSendCampaigns")));
        name->clear();
        QTest::keyClicks(name, QStringLiteral("marketer-eu"));
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<RoleDialog*>());

        QVERIFY(test::storedRole(*ws(), QStringLiteral("marketer-eu")));
        for (const QString& p : ws()->policy().role(QStringLiteral("marketer"))->permissions)
            QVERIFY2(test::storedGrant(*ws(), QStringLiteral("marketer-eu"), p), qPrintable(p));
        const test::AuditRow row = test::lastAudit(*ws());
        QCOMPARE(row.action, QStringLiteral("role.clone"));
        QCOMPARE(row.details.value(QStringLiteral("clonedFrom")).toString(), QStringLiteral("marketer"));
    }

    void renameRoleAndUndo()
    {
        m_page->selectCell(QStringLiteral("viewer"));
        trigger(QStringLiteral("editRoleAction"));
        RoleDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<RoleDialog*>()));
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("roleNameEdit"));
        QCOMPARE(name->text(), QStringLiteral("viewer"));
        QVERIFY(okButton(dialog)->isEnabled()); // its own name is not a duplicate
        name->clear();
        QTest::keyClicks(name, QStringLiteral("analyst"));
        QTest::keyClick(name, Qt::Key_Return);
        QTRY_VERIFY(!m_window->findChild<RoleDialog*>());

        QVERIFY(test::storedRole(*ws(), QStringLiteral("analyst")));
        QVERIFY(!test::storedRole(*ws(), QStringLiteral("viewer")));
        QCOMPARE(test::lastAudit(*ws()).action, QStringLiteral("role.rename"));
        QCOMPARE(m_page->model()->rowOfRole(QStringLiteral("analyst")), 3);
        QCOMPARE(m_page->currentRole(), QStringLiteral("analyst"));

        m_window->editor()->undoStack()->undo();
        QVERIFY(test::storedRole(*ws(), QStringLiteral("viewer")));
        const test::AuditRow row = test::lastAudit(*ws());
        QCOMPARE(row.action, QStringLiteral("role.rename"));
        QCOMPARE(row.details.value(QStringLiteral("origin")).toString(), QStringLiteral("undo"));
        QCOMPARE(m_page->currentRole(), QStringLiteral("viewer"));
    }

    void removeRoleConfirmsNamingConsequences()
    {
        m_page->selectCell(QStringLiteral("marketer"));
        const qint64 before = test::auditCount(*ws());
        MessageBox::setNextAnswer(QMessageBox::Cancel);
        trigger(QStringLiteral("removeRoleAction"));
        QCOMPARE(MessageBox::history().size(), 1);
        const MessageBox::Shown shown = MessageBox::history().constLast();
        QVERIFY2(shown.text.contains(QStringLiteral("marketer")), qPrintable(shown.text));
        QVERIFY2(shown.informativeText.contains(QStringLiteral("canSendCampaigns")),
            qPrintable(shown.informativeText));
        QVERIFY(shown.informativeText.contains(QStringLiteral("API key")));
        QVERIFY(test::storedRole(*ws(), QStringLiteral("marketer")));
        QCOMPARE(test::auditCount(*ws()), before);

        MessageBox::setNextAnswer(QMessageBox::Ok);
        trigger(QStringLiteral("removeRoleAction"));
        QVERIFY(!test::storedRole(*ws(), QStringLiteral("marketer")));
        QCOMPARE(test::lastAudit(*ws()).action, QStringLiteral("role.remove"));
        QCOMPARE(m_page->model()->rowCount(), 4);

        // Undo brings it back with the same grants, recorded as changes made by undo.
        m_window->editor()->undoStack()->undo();
        QVERIFY(test::storedRole(*ws(), QStringLiteral("marketer")));
        for (const QString& p : {QStringLiteral("canReadProfiles"), QStringLiteral("canSendCampaigns"),
                 QStringLiteral("canManageLists"), QStringLiteral("canViewReports")})
            QVERIFY2(test::storedGrant(*ws(), QStringLiteral("marketer"), p), qPrintable(p));
        for (const test::AuditRow& row : test::latestAudit(*ws(), 5))
            QCOMPARE(row.details.value(QStringLiteral("origin")).toString(), QStringLiteral("undo"));
    }

    void addPermissionFromTheCatalog()
    {
        trigger(QStringLiteral("addPermissionAction"));
        PermissionDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<PermissionDialog*>()));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("permissionNameEdit")),
            QStringLiteral("canReadSegments"));
        QVERIFY(!okButton(dialog)->isEnabled()); // nothing picked yet
        // Search the catalog and tick the first hit with the keyboard.
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("operationSearchEdit")),
            QStringLiteral("get_segments"));
        auto* view = dialog->findChild<ChecklistView*>(QStringLiteral("operationPickerView"));
        QVERIFY(view->model()->rowCount() >= 1);
        QCOMPARE(view->model()->index(0, 0).data().toString(), QStringLiteral("get_segments"));
        view->setFocus();
        view->setCurrentIndex(view->model()->index(0, 0));
        QTest::keyClick(view, Qt::Key_Space);
        QCOMPARE(dialog->operationsModel()->checked(), QStringList {QStringLiteral("get_segments")});
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("permissionScopesSummary"))
                    ->text()
                    .contains(QStringLiteral("segments:read")));
        QVERIFY(okButton(dialog)->isEnabled());
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<PermissionDialog*>());

        const Permission* p = ws()->policy().permission(QStringLiteral("canReadSegments"));
        QVERIFY(p);
        QCOMPARE(p->operations, QStringList {QStringLiteral("get_segments")});
        QCOMPARE(test::lastAudit(*ws()).action, QStringLiteral("permission.add"));
        QCOMPARE(m_page->model()->columnOfPermission(QStringLiteral("canReadSegments")), 8);
    }

    void permissionWithoutOperationsIsRefused()
    {
        const qint64 before = test::auditCount(*ws());
        trigger(QStringLiteral("addPermissionAction"));
        PermissionDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<PermissionDialog*>()));
        QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("permissionNameEdit")),
            QStringLiteral("canNothing"));
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("permissionProblemLabel"))
                    ->text()
                    .contains(QStringLiteral("at least one Klaviyo operation or scope")));
        dialog->accept();
        QVERIFY(dialog->isVisible());
        const QString refused = dialog->findChild<QLabel*>(QStringLiteral("permissionProblemLabel"))->text();
        QVERIFY2(refused.startsWith(QStringLiteral("Pick at least one Klaviyo operation or scope")),
            qPrintable(refused));
        // A duplicate name is refused too.
        dialog->operationsModel()->setItemChecked(QStringLiteral("get_lists"), true);
        QVERIFY(okButton(dialog)->isEnabled());
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("permissionNameEdit"));
        name->setText(QStringLiteral("canManageLists"));
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(dialog->problem().contains(QStringLiteral("already exists")));
        dialog->accept();
        QVERIFY(dialog->isVisible());
        QCOMPARE(test::auditCount(*ws()), before);
        QCOMPARE(ws()->policy().permissions.size(), 8);
        dialog->reject();
    }

    void editPermissionShowsWhoIsAffected()
    {
        m_page->selectCell(QStringLiteral("admin"), QStringLiteral("canViewReports"));
        trigger(QStringLiteral("editPermissionAction"));
        PermissionDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = m_window->findChild<PermissionDialog*>()));
        QVERIFY(dialog->operationsModel()->checked().contains(QStringLiteral("get_metrics")));
        dialog->operationsModel()->setItemChecked(QStringLiteral("get_segments"), true);
        const QString impact = dialog->findChild<QLabel*>(QStringLiteral("permissionImpact"))->text();
        QVERIFY2(impact.contains(QStringLiteral("admin, marketer, developer, viewer")), qPrintable(impact));
        QVERIFY2(impact.contains(QStringLiteral("segments:read")), qPrintable(impact));
        QTest::mouseClick(okButton(dialog), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<PermissionDialog*>());
        QVERIFY(ws()->policy()
                    .permission(QStringLiteral("canViewReports"))
                    ->operations.contains(QStringLiteral("get_segments")));
        QCOMPARE(test::lastAudit(*ws()).action, QStringLiteral("permission.update"));
        m_window->editor()->undoStack()->undo();
        QVERIFY(!ws()->policy()
                     .permission(QStringLiteral("canViewReports"))
                     ->operations.contains(QStringLiteral("get_segments")));
    }

    void removePermissionNamesItsHolders()
    {
        m_page->selectCell(QStringLiteral("admin"), QStringLiteral("canTrackEvents"));
        MessageBox::setNextAnswer(QMessageBox::Ok);
        trigger(QStringLiteral("removePermissionAction"));
        const MessageBox::Shown shown = MessageBox::history().constLast();
        QVERIFY(shown.text.contains(QStringLiteral("canTrackEvents")));
        QVERIFY2(shown.informativeText.contains(QStringLiteral("admin, developer, service")),
            qPrintable(shown.informativeText));
        QVERIFY(!ws()->policy().permission(QStringLiteral("canTrackEvents")));
        QCOMPARE(test::lastAudit(*ws()).action, QStringLiteral("permission.remove"));
        QCOMPARE(m_page->model()->columnCount(), 7);

        m_window->editor()->undoStack()->undo();
        QCOMPARE(ws()->policy().holders(QStringLiteral("canTrackEvents")),
            (QStringList {QStringLiteral("admin"), QStringLiteral("developer"), QStringLiteral("service")}));
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("service"), QStringLiteral("canTrackEvents")));
    }

private:
    Workspace* ws() const { return m_window->workspace(); }

    void trigger(const QString& action)
    {
        QAction* a = m_window->findChild<QAction*>(action);
        QVERIFY2(a, qPrintable(action));
        QVERIFY2(a->isEnabled(), qPrintable(action));
        a->trigger();
    }

    static QPushButton* okButton(QDialog* dialog)
    {
        return dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    }

    QTemporaryDir m_dir;
    int m_counter = 0;
    QString m_path;
    std::unique_ptr<test::WithServices> m_services; // outlives m_window
    std::unique_ptr<MainWindow> m_window;
    MatrixPage* m_page = nullptr;
};

QTEST_MAIN(TestRoleDialogs)
#include "tst_roledialogs.moc"
