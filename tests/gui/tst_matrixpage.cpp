// The Roles & permissions page in the real main window: toggling by mouse and keyboard, undo/redo,
// whole-row/column edits, filters, changes made by the real CLI, the side panels, and failures.
// Every check reads the SQLite workspace and its audit_log.
#include "CliRunner.h"
#include "TestConsole.h"
#include "matrix/CompareRolesPanel.h"
#include "matrix/EffectiveScopesPanel.h"
#include "GuiTestSupport.h"
#include "window/MainWindow.h"
#include "items/MatrixFilterModel.h"
#include "matrix/MatrixPage.h"
#include "matrix/MatrixView.h"
#include "widgets/NoticeBanner.h"
#include "policy/PolicyEngine.h"
#include "items/RoleMatrixModel.h"
#include "policy/ScopeCatalog.h"
#include "matrix/SimulatorPanel.h"
#include "matrix/WorkspaceEditor.h"
#include "WorkspaceProbe.h"
#include "workspace/WorkspaceWatcher.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QUrl>

using namespace rbac;

// Stands in for the web browser.
class UrlCatcher : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> urls;

public slots:
    void open(const QUrl& url) { urls << url; }
};

class TestMatrixPage : public QObject
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
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_page = m_window->matrixPage();
        m_view = m_page->view();
        MessageBox::clearHistory();
    }

    void cleanup()
    {
        m_window.reset();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    }

    void clickTogglesAndAudits()
    {
        const QModelIndex cell = cellOf(QStringLiteral("viewer"), QStringLiteral("canSendCampaigns"));
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        const qint64 before = test::auditCount(*ws());

        test::clickCell(m_view, cell);
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("viewer"), QStringLiteral("canSendCampaigns")));
        QCOMPARE(test::auditCount(*ws()), before + 1);
        const test::AuditRow row = test::lastAudit(*ws());
        QCOMPARE(row.action, QStringLiteral("grant"));
        QCOMPARE(row.role, QStringLiteral("viewer"));
        QCOMPARE(row.details.value(QStringLiteral("origin")).toString(), QStringLiteral("console"));
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(m_view->currentIndex(), cell); // the click also made it current, and it stays so

        test::clickCell(m_view, cell);
        QVERIFY(!test::storedGrant(*ws(), QStringLiteral("viewer"), QStringLiteral("canSendCampaigns")));
        QCOMPARE(test::lastAudit(*ws()).action, QStringLiteral("revoke"));
        QCOMPARE(test::auditCount(*ws()), before + 2);
    }

    void keyboardNavigatesAndSpaceToggles()
    {
        m_view->setFocus();
        m_view->setCurrentIndex(cellOf(QStringLiteral("admin"), QStringLiteral("canReadProfiles")));
        QTest::keyClick(m_view, Qt::Key_Right);
        QTest::keyClick(m_view, Qt::Key_Right); // canDeleteProfiles
        QTest::keyClick(m_view, Qt::Key_Down);  // marketer
        QCOMPARE(
            m_view->currentIndex(), cellOf(QStringLiteral("marketer"), QStringLiteral("canDeleteProfiles")));
        const qint64 before = test::auditCount(*ws());

        QTest::keyClick(m_view, Qt::Key_Space);
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("marketer"), QStringLiteral("canDeleteProfiles")));
        QCOMPARE(test::lastAudit(*ws()).action, QStringLiteral("grant"));
        // The cursor stays, so the next key acts on the neighbour.
        QTest::keyClick(m_view, Qt::Key_Down); // developer
        QTest::keyClick(m_view, Qt::Key_Space);
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("developer"), QStringLiteral("canDeleteProfiles")));
        QTest::keyClick(m_view, Qt::Key_Space);
        QVERIFY(!test::storedGrant(*ws(), QStringLiteral("developer"), QStringLiteral("canDeleteProfiles")));
        QCOMPARE(test::auditCount(*ws()), before + 3);
    }

    void undoAndRedoAreRecordedChanges()
    {
        QAction* undo = m_window->findChild<QAction*>(QStringLiteral("undoAction"));
        QAction* redo = m_window->findChild<QAction*>(QStringLiteral("redoAction"));
        QVERIFY(undo && redo);
        QVERIFY(!undo->isEnabled());
        test::clickCell(m_view, cellOf(QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));
        QVERIFY(undo->isEnabled());
        QVERIFY2(undo->text().contains(QStringLiteral("Grant canTrackEvents to viewer")),
            qPrintable(undo->text()));
        const qint64 before = test::auditCount(*ws());

        m_view->setFocus();
        QTest::keyClick(m_view, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(!test::storedGrant(*ws(), QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));
        QCOMPARE(test::auditCount(*ws()), before + 1);
        test::AuditRow row = test::lastAudit(*ws());
        QCOMPARE(row.action, QStringLiteral("revoke"));
        QCOMPARE(row.details.value(QStringLiteral("origin")).toString(), QStringLiteral("undo"));
        QCOMPARE(cellOf(QStringLiteral("viewer"), QStringLiteral("canTrackEvents"))
                     .data(Qt::CheckStateRole)
                     .toInt(),
            int(Qt::Unchecked));

        QTest::keyClick(m_view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));
        row = test::lastAudit(*ws());
        QCOMPARE(row.action, QStringLiteral("grant"));
        QCOMPARE(row.details.value(QStringLiteral("origin")).toString(), QStringLiteral("redo"));
        QCOMPARE(test::auditCount(*ws()), before + 2);
    }

    void wholeRowAndColumnInOneStep()
    {
        m_page->selectCell(QStringLiteral("viewer"), QStringLiteral("canReadProfiles"));
        QAction* grantRow = m_window->findChild<QAction*>(QStringLiteral("grantRowAction"));
        QVERIFY(grantRow->isEnabled());
        QCOMPARE(grantRow->text(), QStringLiteral("&Grant every permission to viewer"));
        const qint64 before = test::auditCount(*ws());
        grantRow->trigger();
        for (const Permission& p : ws()->policy().permissions)
            QVERIFY2(test::storedGrant(*ws(), QStringLiteral("viewer"), p.name), qPrintable(p.name));
        QCOMPARE(test::auditCount(*ws()), before + 6); // one entry per cell that changed
        QUndoStack* stack = m_window->editor()->undoStack();
        QCOMPARE(stack->count(), 1);
        QCOMPARE(stack->undoText(), QStringLiteral("Grant 6 permissions to viewer"));
        stack->undo();
        QCOMPARE(ws()->policy().role(QStringLiteral("viewer"))->permissions,
            (QStringList {QStringLiteral("canReadProfiles"), QStringLiteral("canViewReports")}));

        // A column, limited by the role filter to the roles shown.
        m_page->selectCell(QStringLiteral("admin"), QStringLiteral("canDeleteProfiles"));
        auto* roleFilter = m_page->findChild<QLineEdit*>(QStringLiteral("roleFilterEdit"));
        QTest::keyClicks(roleFilter, QStringLiteral("dev"));
        QCOMPARE(m_page->filterModel()->rowCount(), 1);
        QAction* grantColumn = m_window->findChild<QAction*>(QStringLiteral("grantColumnAction"));
        QVERIFY2(
            grantColumn->text().contains(QStringLiteral("shown roles (1)")), qPrintable(grantColumn->text()));
        grantColumn->trigger();
        QCOMPARE(ws()->policy().holders(QStringLiteral("canDeleteProfiles")),
            (QStringList {QStringLiteral("admin"), QStringLiteral("developer")}));
        roleFilter->clear();
        m_window->findChild<QAction*>(QStringLiteral("revokeColumnAction"))->trigger();
        QVERIFY(ws()->policy().holders(QStringLiteral("canDeleteProfiles")).isEmpty());
        QVERIFY(!test::storedGrant(*ws(), QStringLiteral("admin"), QStringLiteral("canDeleteProfiles")));
    }

    void filtersAndEmptyState()
    {
        m_window->findChild<QAction*>(QStringLiteral("findRoleAction"))->trigger();
        auto* roleFilter = m_page->findChild<QLineEdit*>(QStringLiteral("roleFilterEdit"));
        QCOMPARE(QApplication::focusWidget(), roleFilter);
        QTest::keyClicks(roleFilter, QStringLiteral("mark"));
        QCOMPARE(m_page->filterModel()->rowCount(), 1);
        auto* permissionFilter = m_page->findChild<QLineEdit*>(QStringLiteral("permissionFilterEdit"));
        QTest::keyClicks(permissionFilter, QStringLiteral("lists:write"));
        QCOMPARE(m_page->filterModel()->columnCount(), 1);
        auto* status = m_page->findChild<QLabel*>(QStringLiteral("filterStatusLabel"));
        QCOMPARE(status->text(), QStringLiteral("Showing 1 of 5 roles, 1 of 8 permissions."));
        QTest::keyClicks(permissionFilter, QStringLiteral("zzz"));
        auto* empty = m_page->findChild<QLabel*>(QStringLiteral("matrixEmptyLabel"));
        QVERIFY(empty->isVisible());
        QCOMPARE(empty->text(), QStringLiteral("Nothing matches the filters."));
        QTest::mouseClick(
            m_page->findChild<QPushButton*>(QStringLiteral("clearFiltersButton")), Qt::LeftButton);
        QVERIFY(m_view->isVisible());
        QCOMPARE(m_page->filterModel()->rowCount(), 5);
    }

    void cliChangesShowUpWithoutRestart()
    {
        const QModelIndex cell = cellOf(QStringLiteral("viewer"), QStringLiteral("canManageWebhooks"));
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QCOMPARE(
            cli({QStringLiteral("grant"), QStringLiteral("viewer"), QStringLiteral("canManageWebhooks")}), 0);
        QTRY_COMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(m_page->noticeBanner()->isVisible());
        QVERIFY2(m_page->noticeBanner()->text().contains(QStringLiteral("viewer")),
            qPrintable(m_page->noticeBanner()->text()));
        QCOMPARE(
            test::lastAudit(*ws()).details.value(QStringLiteral("origin")).toString(), QStringLiteral("cli"));

        QCOMPARE(cli({QStringLiteral("role"), QStringLiteral("add"), QStringLiteral("support"),
                     QStringLiteral("--from"), QStringLiteral("viewer")}),
            0);
        QTRY_COMPARE(m_page->model()->rowOfRole(QStringLiteral("support")), 5);
        QVERIFY(cellOf(QStringLiteral("support"), QStringLiteral("canManageWebhooks"))
                    .data(Qt::CheckStateRole)
                    .toInt()
            == Qt::Checked);
    }

    void editsNeverOverwriteChangesMadeElsewhere()
    {
        // The console grants; the CLI revokes it again; undo must not touch the CLI's result.
        test::clickCell(m_view, cellOf(QStringLiteral("service"), QStringLiteral("canViewReports")));
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("service"), QStringLiteral("canViewReports")));
        QCOMPARE(
            cli({QStringLiteral("revoke"), QStringLiteral("service"), QStringLiteral("canViewReports")}), 0);
        const qint64 afterCli = test::auditCount(*ws());
        m_window->editor()->undoStack()->undo();
        QVERIFY(!test::storedGrant(*ws(), QStringLiteral("service"), QStringLiteral("canViewReports")));
        QCOMPARE(test::auditCount(*ws()), afterCli); // nothing written on top of the CLI's change
        QVERIFY(m_page->noticeBanner()->text().contains(QStringLiteral("elsewhere")));

        // A click on a cell the CLI changed a moment ago (not yet picked up by the watcher) acts on
        // what is stored: the grant is there already, so nothing is written and nothing is undone.
        m_window->watcher()->setWorkspace(nullptr);
        QCOMPARE(
            cli({QStringLiteral("grant"), QStringLiteral("service"), QStringLiteral("canSendCampaigns")}), 0);
        const qint64 beforeClick = test::auditCount(*ws());
        const int undoBefore = m_window->editor()->undoStack()->index();
        const QModelIndex cell = cellOf(QStringLiteral("service"), QStringLiteral("canSendCampaigns"));
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked)); // stale on screen
        test::clickCell(m_view, cell);
        QVERIFY(test::storedGrant(*ws(), QStringLiteral("service"), QStringLiteral("canSendCampaigns")));
        QCOMPARE(test::auditCount(*ws()), beforeClick);
        QCOMPARE(m_window->editor()->undoStack()->index(), undoBefore);    // no new undo step
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Checked)); // and now shown as stored
    }

    void sidePanelsFollowTheSelection()
    {
        m_page->selectCell(QStringLiteral("marketer"), QStringLiteral("canSendCampaigns"));
        const Role* marketer = ws()->policy().role(QStringLiteral("marketer"));
        const QString link = PolicyEngine::createKeyLink(
            PolicyEngine::requiredScopeNames(ws()->policy(), *marketer, ScopeCatalog::builtin()));
        // The panels follow the selection on the next event-loop turn.
        QTRY_COMPARE(m_page->effectiveScopes()->link(), link);
        QCOMPARE(m_page->findChild<QLineEdit*>(QStringLiteral("createKeyLinkEdit"))->text(), link);
        QTest::mouseClick(m_page->findChild<QPushButton*>(QStringLiteral("copyLinkButton")), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), link);
        // "Open in Klaviyo" hands exactly that link to the browser.
        UrlCatcher browser;
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &browser, "open");
        QTest::mouseClick(m_page->findChild<QPushButton*>(QStringLiteral("openLinkButton")), Qt::LeftButton);
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        QCOMPARE(browser.urls, QList<QUrl> {QUrl(link)});

        // The simulator asks about the selected cell.
        QTRY_COMPARE(m_page->simulator()->reason(),
            PolicyEngine::check(ws()->policy(), QStringLiteral("marketer"),
                QStringLiteral("canSendCampaigns"), ScopeCatalog::builtin())
                .message);
        QVERIFY(m_page->simulator()->verdict().contains(QStringLiteral("Allowed")));
        // A grant to the selected role shows up in its scopes and link.
        test::clickCell(m_view, cellOf(QStringLiteral("marketer"), QStringLiteral("canManageWebhooks")));
        QTRY_VERIFY(m_page->effectiveScopes()->link().contains(QStringLiteral("webhooks:write")));
        m_page->simulator()->askOperation(QStringLiteral("viewer"), QStringLiteral("send_campaign"));
        QVERIFY(m_page->simulator()->verdict().contains(QStringLiteral("403")));
        QCOMPARE(m_page->simulator()->reason(),
            PolicyEngine::checkOperation(ws()->policy(), QStringLiteral("viewer"),
                QStringLiteral("send_campaign"), ScopeCatalog::builtin())
                .message);
        m_page->simulator()->askPermission(QStringLiteral("nobody"), QStringLiteral("canSendCampaigns"));
        // A role name a service might send that the policy does not know: 401, as the middleware says.
        QVERIFY2(m_page->simulator()->verdict().contains(QStringLiteral("401")),
            qPrintable(m_page->simulator()->verdict()));
        QVERIFY2(m_page->simulator()->reason().contains(QStringLiteral("nobody")),
            qPrintable(m_page->simulator()->reason()));

        // The comparison shows what only one of them has.
        m_page->comparison()->setRoles(QStringLiteral("admin"), QStringLiteral("viewer"));
        QVERIFY2(m_page->comparison()->summary().contains(QStringLiteral("Only admin: permissions 6")),
            qPrintable(m_page->comparison()->summary()));
        QVERIFY(m_page->comparison()->summary().contains(QStringLiteral("Only viewer: nothing.")));
    }

    void failedCommitIsShownAndChangesNothing()
    {
        // Another program holds the write lock past the busy timeout.
        QSqlDatabase locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        locker.setDatabaseName(m_path);
        QVERIFY(locker.open());
        QSqlQuery begin(locker);
        QVERIFY(begin.exec(QStringLiteral("BEGIN IMMEDIATE")));
        const qint64 before = test::auditCount(*ws());
        const QModelIndex cell = cellOf(QStringLiteral("viewer"), QStringLiteral("canWriteProfiles"));
        test::clickCell(m_view, cell);
        QVERIFY(m_page->noticeBanner()->isVisible());
        QCOMPARE(m_page->noticeBanner()->kind(), NoticeBanner::Kind::Error);
        QVERIFY2(m_page->noticeBanner()->text().contains(QStringLiteral("locked")),
            qPrintable(m_page->noticeBanner()->text()));
        QSqlQuery rollback(locker);
        QVERIFY(rollback.exec(QStringLiteral("ROLLBACK")));
        locker.close();
        QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QVERIFY(!test::storedGrant(*ws(), QStringLiteral("viewer"), QStringLiteral("canWriteProfiles")));
        QCOMPARE(test::auditCount(*ws()), before);
        QCOMPARE(m_window->editor()->undoStack()->count(), 0); // nothing to undo
    }

private:
    Workspace* ws() const { return m_window->workspace(); }

    QModelIndex cellOf(const QString& role, const QString& permission) const
    {
        const RoleMatrixModel* model = m_page->model();
        return m_page->filterModel()->mapFromSource(
            model->index(model->rowOfRole(role), model->columnOfPermission(permission)));
    }

    // Runs the real klaviyo-rbac against the workspace file; returns its exit code.
    int cli(const QStringList& arguments) const
    {
        test::CliOptions options;
        options.workspace = m_path;
        options.timeoutMs = 30000;
        return test::runCli(arguments, options).exitCode;
    }

    QTemporaryDir m_dir;
    int m_counter = 0;
    QString m_path;
    std::unique_ptr<test::WithServices> m_services; // outlives m_window
    std::unique_ptr<MainWindow> m_window;
    MatrixPage* m_page = nullptr;
    MatrixView* m_view = nullptr;
};

QTEST_MAIN(TestMatrixPage)
#include "tst_matrixpage.moc"
