// The main window: first run, navigation and page slots, remembered layout, the File menu
// (new/open workspace, import/export policy), the status bar, names for assistive technology,
// and a keyboard-only session.
#include "TestConsole.h"
#include "window/AppSettings.h"
#include "GuiTestSupport.h"
#include "window/MainWindow.h"
#include "matrix/MatrixPage.h"
#include "matrix/MatrixView.h"
#include "widgets/NoticeBanner.h"
#include "matrix/PermissionDialog.h"
#include "policy/PolicyJson.h"
#include "matrix/RoleDialog.h"
#include "items/RoleMatrixModel.h"
#include "matrix/WorkspaceEditor.h"
#include "WorkspaceProbe.h"

#include <QAbstractSpinBox>
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPointer>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace rbac;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { test::prepareGuiTestCase(); }

    void init()
    {
        test::resetGuiState();
        QVERIFY(m_dir.isValid());
    }

    void firstRunOpensTheDefaultWorkspace()
    {
        const QString path = MainWindow::initialWorkspacePath({});
        QCOMPARE(path, Workspace::defaultPath());
        QFile::remove(path);
        auto opened = Workspace::open(path);
        QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
        const QString id = opened.value()->id();
        {
            test::WithServices console(std::move(opened.value()));
            MainWindow window(console);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QCOMPARE(window.matrixPage()->model()->rowCount(), 5);
            QCOMPARE(window.currentPage(), MainWindow::Page::Roles);
            NoticeBanner* welcome = window.matrixPage()->welcomeBanner();
            QVERIFY(welcome->isVisible());
            QVERIFY2(welcome->text().contains(QStringLiteral("Next:")), qPrintable(welcome->text()));
            QVERIFY(welcome->text().contains(QStringLiteral("admin, marketer, developer, viewer, service")));
            auto* label = window.findChild<QLabel*>(QStringLiteral("workspaceStatusLabel"));
            QVERIFY(label->text().endsWith(QStringLiteral("/workspace.sqlite")));
            QCOMPARE(label->toolTip(), QDir::toNativeSeparators(path));
            QVERIFY(window.windowTitle().startsWith(QStringLiteral("workspace.sqlite")));
            QCOMPARE(window.findChild<QLabel*>(QStringLiteral("policyCountsLabel"))->text(),
                QStringLiteral("Roles: 5 · Permissions: 8 · Grants: 23"));
            QTest::mouseClick(
                welcome->findChild<QToolButton*>(QStringLiteral("welcomeBannerDismiss")), Qt::LeftButton);
            QVERIFY(!welcome->isVisible());
            QVERIFY(AppSettings::welcomeDismissed(id));
        }
        auto again = Workspace::open(path);
        QVERIFY(again.isOk());
        test::WithServices console(std::move(again.value()));
        MainWindow window(console);
        window.show();
        QVERIFY(!window.matrixPage()->welcomeBanner()->isVisible());
        QCOMPARE(AppSettings::lastWorkspace(), QFileInfo(path).absoluteFilePath());
    }

    void welcomeOnlyForAnUntouchedWorkspace()
    {
        auto opened = Workspace::open(m_dir.filePath(QStringLiteral("used.sqlite")));
        QVERIFY(opened.isOk());
        QVERIFY(opened.value()->addRole(QStringLiteral("ops")));
        test::WithServices console(std::move(opened.value()));
        MainWindow window(console);
        window.show();
        QVERIFY(!window.matrixPage()->welcomeBanner()->isVisible());
    }

    void initialPathPrefersRequestThenEnvironmentThenLast()
    {
        const QString last = m_dir.filePath(QStringLiteral("last.sqlite"));
        QVERIFY(Workspace::open(last).isOk());
        AppSettings::setLastWorkspace(last);
        QCOMPARE(MainWindow::initialWorkspacePath(QStringLiteral("/x/asked.sqlite")),
            QStringLiteral("/x/asked.sqlite"));
        QCOMPARE(MainWindow::initialWorkspacePath({}), last);
        qputenv("KLAVIYO_RBAC_WORKSPACE", "/x/env.sqlite");
        QCOMPARE(MainWindow::initialWorkspacePath({}), QStringLiteral("/x/env.sqlite"));
        qputenv("KLAVIYO_RBAC_WORKSPACE", QByteArray());
        AppSettings::setLastWorkspace(m_dir.filePath(QStringLiteral("gone.sqlite")));
        QCOMPARE(MainWindow::initialWorkspacePath({}), Workspace::defaultPath());
    }

    void navigationAndHonestPlaceholders()
    {
        test::WithServices console(openFresh(QStringLiteral("nav.sqlite")));
        MainWindow window(console);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto* nav = window.findChild<QListWidget*>(QStringLiteral("navigationList"));
        QCOMPARE(nav->count(), 4);
        QCOMPARE(nav->item(0)->text(), QStringLiteral("Roles & permissions"));
        QCOMPARE(nav->item(3)->text(), QStringLiteral("Audit trail"));

        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::Page::ApiKeys);
        QWidget* keys = window.page(MainWindow::Page::ApiKeys);
        QCOMPARE(keys->objectName(), QStringLiteral("apiKeysPage"));
        QVERIFY(keys->isVisible());
        QCOMPARE(keys->findChild<QLabel*>(QStringLiteral("apiKeysPageStatus"))->text(),
            QStringLiteral("Not available in this version yet."));
        QVERIFY(keys->findChild<QLabel*>(QStringLiteral("apiKeysPageDescription"))
                    ->text()
                    .contains(QStringLiteral("keychain")));
        QVERIFY(window.findChild<QAction*>(QStringLiteral("showApiKeysPageAction"))->isChecked());

        QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, nav->visualItemRect(nav->item(3)).center());
        QCOMPARE(window.currentPage(), MainWindow::Page::Audit);
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::Page::Roles);
        QVERIFY(window.matrixPage()->isVisible());
    }

    void pagesCanBeReplaced()
    {
        test::WithServices console(openFresh(QStringLiteral("swap.sqlite")));
        MainWindow window(console);
        window.setCurrentPage(MainWindow::Page::ApiKeys);
        QPointer<QWidget> placeholder = window.page(MainWindow::Page::ApiKeys);
        auto* real = new QLabel(QStringLiteral("the real API keys page"));
        window.replacePage(MainWindow::Page::ApiKeys, real);
        QVERIFY(placeholder.isNull());
        QCOMPARE(window.page(MainWindow::Page::ApiKeys), real);
        QCOMPARE(window.currentPage(), MainWindow::Page::ApiKeys);

        // A page bound to one workspace is rebuilt when the workspace changes.
        window.setPageFactory(MainWindow::Page::Audit,
            [](Workspace* ws, QWidget* parent) { return new QLabel(ws ? ws->path() : QString(), parent); });
        QCOMPARE(
            qobject_cast<QLabel*>(window.page(MainWindow::Page::Audit))->text(), window.workspace()->path());
        const QString other = m_dir.filePath(QStringLiteral("swap-2.sqlite"));
        QVERIFY(window.openWorkspace(other, Workspace::OpenMode::CreateIfMissing));
        QCOMPARE(qobject_cast<QLabel*>(window.page(MainWindow::Page::Audit))->text(), other);
    }

    void layoutAndPageAreRemembered()
    {
        {
            test::WithServices console(openFresh(QStringLiteral("layout.sqlite")));
            MainWindow window(console);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(1111, 777);
            window.setCurrentPage(MainWindow::Page::OAuth);
            QVERIFY(window.close());
        }
        test::WithServices console(openFresh(QStringLiteral("layout-2.sqlite")));
        MainWindow window(console);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1111, 777));
        QCOMPARE(window.currentPage(), MainWindow::Page::OAuth);
    }

    void newAndOpenWorkspace()
    {
        const QString first = m_dir.filePath(QStringLiteral("first.sqlite"));
        test::WithServices console(openFresh(QStringLiteral("first.sqlite")));
        MainWindow window(console);
        QVERIFY(
            window.workspace()->setGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents"), true));
        window.matrixPage()->model()->setData(
            window.matrixPage()->model()->index(0, 0), Qt::Unchecked, Qt::CheckStateRole);
        QCOMPARE(window.editor()->undoStack()->count(), 1);

        const QString second = m_dir.filePath(QStringLiteral("second.sqlite"));
        FileDialog::setNextFileName(second);
        window.findChild<QAction*>(QStringLiteral("newWorkspaceAction"))->trigger();
        QCOMPARE(window.workspace()->path(), second);
        QCOMPARE(window.matrixPage()->model()->rowCount(), 5);
        QVERIFY(!window.workspace()->policy().isGranted(
            QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));
        QCOMPARE(window.editor()->undoStack()->count(), 0); // the old history belongs to the old file
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("workspaceStatusLabel"))->toolTip(), second);
        QCOMPARE(AppSettings::lastWorkspace(), second);

        // "New" never reuses an existing file.
        FileDialog::setNextFileName(first);
        window.findChild<QAction*>(QStringLiteral("newWorkspaceAction"))->trigger();
        QCOMPARE(window.workspace()->path(), second);
        QVERIFY(MessageBox::history().constLast().text.contains(QStringLiteral("already exists")));

        FileDialog::setNextFileName(first);
        window.findChild<QAction*>(QStringLiteral("openWorkspaceAction"))->trigger();
        QCOMPARE(window.workspace()->path(), first);
        QVERIFY(window.workspace()->policy().isGranted(
            QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));

        // A file that is not a workspace is refused and the current one stays open.
        const QString junk = m_dir.filePath(QStringLiteral("junk.sqlite"));
        QFile file(junk);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a database, just text");
        file.close();
        FileDialog::setNextFileName(junk);
        window.findChild<QAction*>(QStringLiteral("openWorkspaceAction"))->trigger();
        QCOMPARE(window.workspace()->path(), first);
        QCOMPARE(MessageBox::history().constLast().icon, QMessageBox::Critical);
    }

    void exportAndImportPolicy()
    {
        test::WithServices console(openFresh(QStringLiteral("policy.sqlite")));
        MainWindow window(console);
        Workspace* ws = window.workspace();
        const QString exported = m_dir.filePath(QStringLiteral("policy.json"));
        FileDialog::setNextFileName(exported);
        window.findChild<QAction*>(QStringLiteral("exportPolicyAction"))->trigger();
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QCOMPARE(bytes, PolicyJson::exportPolicy(ws->policy()));

        // Edit the file: drop the service role. Import it, then undo the import.
        QJsonObject root = QJsonDocument::fromJson(bytes).object();
        QJsonArray roles = root.value(QStringLiteral("roles")).toArray();
        for (int i = 0; i < roles.size(); ++i) {
            if (roles.at(i).toObject().value(QStringLiteral("name")).toString() == QLatin1String("service"))
                roles.removeAt(i--);
        }
        root.insert(QStringLiteral("roles"), roles);
        const QString edited = m_dir.filePath(QStringLiteral("edited.json"));
        QFile out(edited);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(root).toJson());
        out.close();

        FileDialog::setNextFileName(edited);
        MessageBox::setNextAnswer(QMessageBox::Ok);
        window.findChild<QAction*>(QStringLiteral("importPolicyAction"))->trigger();
        QVERIFY(MessageBox::history().constLast().informativeText.contains(
            QStringLiteral("roles removed: service")));
        QVERIFY(!test::storedRole(*ws, QStringLiteral("service")));
        test::AuditRow row = test::lastAudit(*ws);
        QCOMPARE(row.action, QStringLiteral("policy.import"));
        QCOMPARE(row.details.value(QStringLiteral("source")).toString(), QStringLiteral("edited.json"));
        QCOMPARE(window.matrixPage()->model()->rowCount(), 4);
        window.editor()->undoStack()->undo();
        QVERIFY(test::storedRole(*ws, QStringLiteral("service")));
        QCOMPARE(
            test::lastAudit(*ws).details.value(QStringLiteral("origin")).toString(), QStringLiteral("undo"));

        // An invalid file is refused with its problems; nothing changes.
        const qint64 before = test::auditCount(*ws);
        QFile bad(m_dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(
            R"({"format": "klaviyo-rbac-policy", "version": 1, "permissions": [], "roles": [{"name": "x y"}]})");
        bad.close();
        FileDialog::setNextFileName(bad.fileName());
        window.findChild<QAction*>(QStringLiteral("importPolicyAction"))->trigger();
        QVERIFY(MessageBox::history().constLast().text.contains(QStringLiteral("nothing was changed")));
        QVERIFY(!MessageBox::history().constLast().informativeText.isEmpty());
        QCOMPARE(test::auditCount(*ws), before);
    }

    void undoAndRedoNameTheCommand()
    {
        test::WithServices console(openFresh(QStringLiteral("undo.sqlite")));
        MainWindow window(console);
        QAction* undo = window.findChild<QAction*>(QStringLiteral("undoAction"));
        QAction* redo = window.findChild<QAction*>(QStringLiteral("redoAction"));
        QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
        QVERIFY(redo->shortcuts().contains(QKeySequence(QStringLiteral("Ctrl+Shift+Z"))));
        RoleMatrixModel* model = window.matrixPage()->model();
        QVERIFY(model->setData(model->index(model->rowOfRole(QStringLiteral("viewer")),
                                   model->columnOfPermission(QStringLiteral("canTrackEvents"))),
            Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(undo->text(), QStringLiteral("&Undo Grant canTrackEvents to viewer"));
        QVERIFY(window.findChild<QMenu*>(QStringLiteral("editMenu"))->actions().contains(undo));
        undo->trigger();
        QCOMPARE(redo->text(), QStringLiteral("&Redo Grant canTrackEvents to viewer"));
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("policyCountsLabel"))->text(),
            QStringLiteral("Roles: 5 · Permissions: 8 · Grants: 23"));
    }

    void everyInteractiveWidgetIsNamed()
    {
        test::WithServices console(openFresh(QStringLiteral("a11y.sqlite")));
        MainWindow window(console);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList missing = test::unnamedWidgets(&window);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));

        window.matrixPage()->selectCell(QStringLiteral("admin"), QStringLiteral("canReadProfiles"));
        window.findChild<QAction*>(QStringLiteral("cloneRoleAction"))->trigger();
        RoleDialog* role = nullptr;
        QTRY_VERIFY((role = window.findChild<RoleDialog*>()));
        missing = test::unnamedWidgets(role);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));
        role->reject();
        window.findChild<QAction*>(QStringLiteral("editPermissionAction"))->trigger();
        PermissionDialog* permission = nullptr;
        QTRY_VERIFY((permission = window.findChild<PermissionDialog*>()));
        missing = test::unnamedWidgets(permission);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));
        permission->reject();
    }

    void keyboardOnlySession()
    {
        test::WithServices console(openFresh(QStringLiteral("keys.sqlite")));
        MainWindow window(console);
        Workspace* ws = window.workspace();
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("roleFilterEdit"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("permissionFilterEdit"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("matrixView"));
        // The first cell is current: admin / canReadProfiles. Revoke, move, grant.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(!test::storedGrant(*ws, QStringLiteral("admin"), QStringLiteral("canReadProfiles")));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_End);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Down);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(test::storedGrant(*ws, QStringLiteral("marketer"), QStringLiteral("canManageWebhooks")));
        // Tab leaves the matrix for the side panels.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QVERIFY(QApplication::focusWidget()->objectName() != QLatin1String("matrixView"));

        QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
        RoleDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<RoleDialog*>()));
        QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("roleNameEdit"));
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("ops"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QTRY_VERIFY(!window.findChild<RoleDialog*>());
        QVERIFY(test::storedRole(*ws, QStringLiteral("ops")));
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!test::storedRole(*ws, QStringLiteral("ops")));
    }

private:
    std::unique_ptr<Workspace> openFresh(const QString& name)
    {
        auto opened = Workspace::open(m_dir.filePath(name));
        if (!opened)
            qFatal("cannot open %s: %s", qPrintable(name), qPrintable(opened.status().message()));
        return std::move(opened.value());
    }

    QTemporaryDir m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
