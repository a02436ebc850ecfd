// The window as klaviyo-rbac-console ships it: the real API keys, OAuth and Audit pages installed
// (ConsolePages), each named for assistive technology, with its first-run guide; File ▸ Import
// audit entries; Help ▸ Keyboard shortcuts and About; View ▸ Theme.
#include "TestConsole.h"
#include "keys/ApiKeysPage.h"
#include "window/AppSettings.h"
#include "audit/AuditPage.h"
#include "window/ConsolePages.h"
#include "GuiTestSupport.h"
#include "window/MainWindow.h"
#include "keychain/MemorySecretStore.h"
#include "widgets/NoticeBanner.h"
#include "oauth/OAuthPage.h"
#include "window/ShortcutsDialog.h"
#include "window/Theme.h"
#include "WorkspaceProbe.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace rbac;

class TestConsoleWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { test::prepareGuiTestCase(); }

    void init()
    {
        test::resetGuiState();
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++m_count));
        auto opened = Workspace::open(m_path);
        QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
        m_window.reset(); // before the services it uses
        m_services = std::make_unique<test::WithServices>(std::move(opened.value()), &m_store);
        m_window = std::make_unique<MainWindow>(m_services->get());
        installConsolePages(m_window.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup() { m_window.reset(); }

    void theRealPagesAreInstalledAndNamed()
    {
        QVERIFY(qobject_cast<ApiKeysPage*>(m_window->page(MainWindow::Page::ApiKeys)));
        QVERIFY(qobject_cast<OAuthPage*>(m_window->page(MainWindow::Page::OAuth)));
        QVERIFY(qobject_cast<AuditPage*>(m_window->page(MainWindow::Page::Audit)));
        for (MainWindow::Page page : {MainWindow::Page::Roles, MainWindow::Page::ApiKeys,
                 MainWindow::Page::OAuth, MainWindow::Page::Audit}) {
            m_window->setCurrentPage(page);
            QCOMPARE(m_window->currentPage(), page);
            const QStringList missing = test::unnamedWidgets(m_window.get());
            QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));
        }
    }

    void statusBarShowsKeychainAndConnection()
    {
        auto* keychain = m_window->findChild<QLabel*>(QStringLiteral("keychainStatusLabel"));
        auto* connection = m_window->findChild<QLabel*>(QStringLiteral("connectionStatusLabel"));
        QVERIFY(keychain && connection);
        QTRY_COMPARE(keychain->text(), QStringLiteral("Keychain: available"));
        QCOMPARE(connection->text(), QStringLiteral("Klaviyo: not connected"));
        m_store.setMode(MemorySecretStore::Mode::Unavailable);
        qobject_cast<ApiKeysPage*>(m_window->page(MainWindow::Page::ApiKeys))->reload();
        QTRY_COMPARE(keychain->text(), QStringLiteral("Keychain: unavailable"));
        m_store.setMode(MemorySecretStore::Mode::Available);
    }

    void eachPageSaysWhatToDoFirst()
    {
        auto* keys = m_window->page(MainWindow::Page::ApiKeys);
        auto* keysGuide = keys->findChild<NoticeBanner*>(QStringLiteral("apiKeysGuide"));
        QVERIFY(keysGuide);
        QVERIFY(keysGuide->isVisibleTo(keys));
        QVERIFY(keysGuide->text().contains(QStringLiteral("Create in Klaviyo")));

        auto* oauth = m_window->page(MainWindow::Page::OAuth);
        auto* oauthGuide = oauth->findChild<QLabel*>(QStringLiteral("oauthGuide"));
        QVERIFY(oauthGuide);
        QVERIFY(oauthGuide->isVisibleTo(oauth));
        // Once an OAuth app is set up the guide steps aside.
        QVERIFY(m_window->workspace()->setSetting(QStringLiteral("oauth.clientId"), QStringLiteral("app-1")));
        qobject_cast<OAuthPage*>(oauth)->reload();
        QVERIFY(!oauthGuide->isVisibleTo(oauth));
    }

    void fileMenuImportsAuditEntries()
    {
        const QString file = m_dir.filePath(QStringLiteral("svc.jsonl"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"timestamp":"2026-11-20T10:00:00Z","userId":"svc-1","role":"service","action":"api.request","resource":"api:events","success":true})"
            "\n");
        f.close();
        const qint64 before = test::auditCount(*m_window->workspace());
        auto* audit = qobject_cast<AuditPage*>(m_window->page(MainWindow::Page::Audit));
        QSignalSpy imported(audit, &AuditPage::importFinished);
        FileDialog::setNextFileName(file);
        m_window->findChild<QAction*>(QStringLiteral("importAuditAction"))->trigger();
        QCOMPARE(m_window->currentPage(), MainWindow::Page::Audit);
        QTRY_COMPARE(imported.count(), 1);
        QVERIFY2(imported.first().at(0).toBool(), qPrintable(imported.first().at(1).toString()));
        // The service's entry, plus the console's own record of the import.
        QCOMPARE(test::auditCount(*m_window->workspace()), before + 2);
        const QVector<test::AuditRow> rows = test::latestAudit(*m_window->workspace(), 2);
        QCOMPARE(rows.at(0).action, QStringLiteral("audit.import"));
        QCOMPARE(rows.at(1).action, QStringLiteral("api.request"));
    }

    void shortcutsAreListedFromTheMenus()
    {
        m_window->findChild<QAction*>(QStringLiteral("shortcutsAction"))->trigger();
        auto* dialog = m_window->findChild<ShortcutsDialog*>();
        QVERIFY(dialog);
        QStringList rows;
        for (int g = 0; g < dialog->list()->topLevelItemCount(); ++g) {
            const QTreeWidgetItem* group = dialog->list()->topLevelItem(g);
            for (int i = 0; i < group->childCount(); ++i)
                rows << group->child(i)->text(0) + QStringLiteral(" = ") + group->child(i)->text(1);
        }
        const QString all = rows.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("Roles & permissions = Ctrl+1")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Audit trail = Ctrl+4")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Open workspace = Ctrl+O")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Grant or revoke the current cell = Space")), qPrintable(all));
        const QStringList missing = test::unnamedWidgets(dialog);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral("\n"))));
    }

    void aboutNamesEveryVersion()
    {
        m_window->findChild<QAction*>(QStringLiteral("aboutAction"))->trigger();
        QCOMPARE(MessageBox::history().size(), 1);
        const QString text = MessageBox::history().constFirst().informativeText;
        QVERIFY2(
            text.contains(QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()))), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("QtKeychain ")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Klaviyo API revision 2026-07-15")), qPrintable(text));
    }

    void themeFollowsTheChoice()
    {
        m_window->findChild<QAction*>(QStringLiteral("darkThemeAction"))->trigger();
        QVERIFY(Theme::isDark());
        QCOMPARE(AppSettings::theme(), QStringLiteral("dark"));
        m_window->findChild<QAction*>(QStringLiteral("lightThemeAction"))->trigger();
        QVERIFY(!Theme::isDark());
        QCOMPARE(AppSettings::theme(), QStringLiteral("light"));
        m_window->findChild<QAction*>(QStringLiteral("systemThemeAction"))->trigger();
        QCOMPARE(AppSettings::theme(), QStringLiteral("system"));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_count = 0;
    MemorySecretStore m_store;
    std::unique_ptr<test::WithServices> m_services; // outlives m_window
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestConsoleWindow)
#include "tst_consolewindow.moc"
