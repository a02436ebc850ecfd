// End to end with the real parts: the OAuth page and the klaviyo-rbac CLI, headless Chromium as
// the system browser following the fake authorization server's redirect to the console's
// listener, and the tokens in a real Secret Service (run inside tests/keys/with-test-keyring.sh).
// Last, nothing secret may be found in any file under HOME or the workspace directories.
#include "CliRunner.h"
#include "LeakScan.h"
#include "widgets/MessageBox.h"
#include "OAuthFixture.h"
#include "oauth/OAuthPage.h"
#include "keychain/QtKeychainStore.h"
#include "TestPaths.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>

using namespace rbac;

namespace {

const QString chromium = QStringLiteral("/usr/lib/chromium/chromium");

QString wrapper()
{
    return test::sourceDir() + QStringLiteral("/oauth/headless-browser.sh");
}

} // namespace

class TestOAuthE2E : public QObject
{
    Q_OBJECT

public slots:
    // QDesktopServices hands "http" URLs here instead of xdg-open: start the headless browser.
    void openInBrowser(const QUrl& url)
    {
        auto* browser = new QProcess(this);
        connect(browser, &QProcess::finished, this, [this, browser] {
            m_browserOutput += browser->readAllStandardOutput();
            browser->deleteLater();
        });
        browser->start(wrapper(), {url.toString(QUrl::FullyEncoded)});
        ++m_browserStarts;
    }

private:
    QtKeychainStore m_keychain;
    std::unique_ptr<test::OAuthFixture> m_gui;
    std::unique_ptr<test::OAuthFixture> m_cli;
    QTemporaryDir m_bin; // xdg-open for the CLI
    QByteArray m_browserOutput;
    int m_browserStarts = 0;
    QList<QByteArray> m_secrets;

    // The keychain entry as another program sees it (QtKeychain stores binary data as base64).
    QByteArray secretTool(const QString& entry)
    {
        QProcess p;
        p.start(QStringLiteral("secret-tool"),
            {"lookup", "server", QtKeychainStore::serviceName(), "user", entry});
        if (!p.waitForFinished(10000) || p.exitCode() != 0)
            return {};
        const QByteArray raw = p.readAllStandardOutput().trimmed();
        return QByteArray::fromBase64(raw, QByteArray::AbortOnBase64DecodingErrors).isEmpty()
            ? raw
            : QByteArray::fromBase64(raw);
    }

    test::CliResult cli(const QStringList& args, const QByteArray& input = {}, int timeoutMs = 90000)
    {
        test::CliOptions options;
        options.unsetEnv << QStringLiteral("BROWSER");
        options.env.insert(QStringLiteral("PATH"),
            m_bin.path() + QLatin1Char(':')
                + QProcessEnvironment::systemEnvironment().value(QStringLiteral("PATH")));
        options.env.insert(QStringLiteral("RBAC_BROWSER_OUT"), m_bin.filePath(QStringLiteral("page.html")));
        options.input = input;
        options.timeoutMs = timeoutMs;
        options.workspace = m_cli->workspace->path();
        options.eventLoop = true; // the fake server lives in this thread and must keep answering
        return test::runCli(QStringList {"--actor", "cli-admin"} + args, options);
    }

    QByteArray browserPage() const
    {
        QFile f(m_bin.filePath(QStringLiteral("page.html")));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    bool waitFor(OAuthPage& page, bool& ok, QString& message, int timeoutMs = 60000)
    {
        bool done = false;
        auto c = connect(&page, &OAuthPage::operationFinished, this, [&](bool success, const QString& text) {
            done = true;
            ok = success;
            message = text;
        });
        for (int waited = 0; waited < timeoutMs && !done; waited += 10)
            QTest::qWait(10);
        disconnect(c);
        return done;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(chromium).isExecutable(),
            "headless Chromium is the system browser of this test: apt-get install -y "
            "--no-install-recommends chromium");
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
            "run inside tests/keys/with-test-keyring.sh (a private Secret Service)");
        QVERIFY(!QStandardPaths::findExecutable(QStringLiteral("secret-tool")).isEmpty());
        QVERIFY(QFile::link(wrapper(), m_bin.filePath(QStringLiteral("xdg-open"))));
        MessageBox::setTestMode(true);
        QDesktopServices::setUrlHandler(QStringLiteral("http"), this, "openInBrowser");
    }

    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        MessageBox::setTestMode(false);
    }

    void consolePageConnectsThroughChromiumIntoTheKeyring()
    {
        m_gui = std::make_unique<test::OAuthFixture>();
        const QString problem = m_gui->setUp(&m_keychain, QStringLiteral("localhost"), false);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        OAuthPage page(m_gui->workspace.get(), m_gui->service.get());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        // The app's settings, typed in the page.
        page.findChild<QLineEdit*>(QStringLiteral("oauthClientId"))->setText(m_gui->server.clientId);
        page.findChild<QLineEdit*>(QStringLiteral("oauthClientSecret"))
            ->setText(QString::fromLatin1(m_gui->server.clientSecret));
        page.findChild<QLineEdit*>(QStringLiteral("oauthRedirectUri"))->setText(m_gui->redirect.toString());
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("oauthSaveSettings")), Qt::LeftButton);
        bool ok = false;
        QString message;
        QVERIFY(waitFor(page, ok, message, 30000));
        QVERIFY2(ok, qPrintable(message));
        QCOMPARE(secretTool(OAuthKeychain::clientSecret(m_gui->id())), m_gui->server.clientSecret);
        QVERIFY(page.findChild<QLineEdit*>(QStringLiteral("oauthClientSecret"))->text().isEmpty());

        // Connect: the page opens the "system browser", Chromium follows the redirect home.
        QElapsedTimer roundTrip;
        roundTrip.start();
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("oauthConnect")), Qt::LeftButton);
        QVERIFY(page.findChild<QPushButton*>(QStringLiteral("oauthCancel"))->isVisible());
        QVERIFY(waitFor(page, ok, message));
        const qint64 ms = roundTrip.elapsed();
        QVERIFY2(ok, qPrintable(message));
        qInfo("GUI round trip (Connect click to connected, Chromium + keyring): %lld ms", ms);
        QCOMPARE(m_browserStarts, 1);
        QTRY_VERIFY_WITH_TIMEOUT(m_browserOutput.contains("Connected to Klaviyo"), 10000);
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("oauthState"))->text(), tr("Connected"));
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("oauthAccount"))
                    ->text()
                    .contains(QLatin1String("Fake Shop Ltd")));
        QVERIFY(!page.findChild<QLabel*>(QStringLiteral("oauthGrantedScopes"))->text().isEmpty());
        QVERIFY(page.findChild<QLineEdit*>(QStringLiteral("oauthAuthorizationUrl"))->text().isEmpty());
        QCOMPARE(m_gui->server.requests(QStringLiteral("POST /oauth/token")), 1);
        QCOMPARE(secretTool(OAuthKeychain::refreshToken(m_gui->id())), m_gui->server.lastRefreshToken());
        QCOMPARE(secretTool(OAuthKeychain::accessToken(m_gui->id())), m_gui->server.lastAccessToken());

        // Refresh: the rotated refresh token replaces the old one in the keyring.
        const QByteArray before = m_gui->server.lastRefreshToken();
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("oauthRefresh")), Qt::LeftButton);
        QVERIFY(waitFor(page, ok, message, 30000));
        QVERIFY2(ok, qPrintable(message));
        QVERIFY(m_gui->server.lastRefreshToken() != before);
        QCOMPARE(secretTool(OAuthKeychain::refreshToken(m_gui->id())), m_gui->server.lastRefreshToken());

        // Disconnect: revoked at the server, gone from the keyring.
        MessageBox::setNextAnswer(QMessageBox::Ok);
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("oauthDisconnect")), Qt::LeftButton);
        QVERIFY(waitFor(page, ok, message, 30000));
        QVERIFY2(ok, qPrintable(message));
        QCOMPARE(m_gui->server.requests(QStringLiteral("POST /oauth/revoke")), 1);
        QVERIFY(secretTool(OAuthKeychain::refreshToken(m_gui->id())).isEmpty());
        QVERIFY(secretTool(OAuthKeychain::accessToken(m_gui->id())).isEmpty());
        QCOMPARE(page.findChild<QLabel*>(QStringLiteral("oauthState"))->text(), tr("Not connected"));
        m_secrets += m_gui->server.secrets();
    }

    void pageOffersTheLinkWhenNoBrowserOpens()
    {
        QVERIFY(m_gui);
        OAuthPage page(m_gui->workspace.get(), m_gui->service.get());
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        // Offscreen and without a URL handler, QDesktopServices::openUrl() fails.
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("oauthConnect")), Qt::LeftButton);
        auto* link = page.findChild<QLineEdit*>(QStringLiteral("oauthAuthorizationUrl"));
        QTRY_VERIFY(!link->text().isEmpty());
        QVERIFY(link->text().startsWith(m_gui->server.authorizeUrl().toString()));
        QVERIFY(page.findChild<QLabel*>(QStringLiteral("oauthMessage"))->text().contains(tr("No browser")));
        auto* copy = page.findChild<QPushButton*>(QStringLiteral("oauthCopyUrl"));
        QVERIFY(copy->isEnabled());
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), link->text());
        QApplication::clipboard()->clear();
        // Cancel ends the attempt: the listener is gone, the link is cleared.
        bool ok = true;
        QString message;
        // Cancel answers at once, inside the click: listen before clicking.
        bool done = false;
        connect(&page, &OAuthPage::operationFinished, this, [&](bool success, const QString& text) {
            done = true;
            ok = success;
            message = text;
        });
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("oauthCancel")), Qt::LeftButton);
        QTRY_VERIFY(done);
        QVERIFY(!ok);
        QVERIFY(message.contains(QLatin1String("cancelled")));
        QVERIFY(link->text().isEmpty());
        QVERIFY(!test::rawRequest(
            QHostAddress(QHostAddress::LocalHost), m_gui->port, "GET / HTTP/1.1\r\n\r\n", 2000)
                     .connected);
        QDesktopServices::setUrlHandler(QStringLiteral("http"), this, "openInBrowser");
    }

    void cliConnectsThroughXdgOpen()
    {
        m_cli = std::make_unique<test::OAuthFixture>();
        const QString problem = m_cli->setUp(&m_keychain, QStringLiteral("127.0.0.1"), false);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QString redirect = m_cli->redirect.toString();

        test::CliResult r = cli({"oauth", "client", "set", "--client-id", m_cli->server.clientId,
                                    "--redirect-uri", "https://localhost:1/x"},
            m_cli->server.clientSecret + '\n');
        QVERIFY2(r.exitCode == 2, r.err.constData());
        r = cli({"oauth", "client", "set", "--client-id", m_cli->server.clientId, "--redirect-uri", redirect},
            m_cli->server.clientSecret + '\n');
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains(redirect.toUtf8()));
        QCOMPARE(secretTool(OAuthKeychain::clientSecret(m_cli->id())), m_cli->server.clientSecret);
        QCOMPARE(cli({"oauth", "status"}).exitCode, 1);

        r = cli({"oauth", "connect", "--timeout", "60"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        qInfo("CLI round trip (oauth connect, xdg-open → Chromium, keyring): %lld ms", r.ms);
        QVERIFY(r.out.contains(m_cli->server.authorizeUrl().toEncoded()));
        QVERIFY(r.out.contains("connected to Fake Shop Ltd"));
        // Chromium writes the page it ended on when it exits, a moment after the CLI.
        QTRY_VERIFY_WITH_TIMEOUT(browserPage().contains("Connected to Klaviyo"), 15000);
        QCOMPARE(secretTool(OAuthKeychain::refreshToken(m_cli->id())), m_cli->server.lastRefreshToken());

        r = cli({"oauth", "status"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("state:           connected"));
        QVERIFY(r.out.contains("by cli-admin"));
        r = cli({"oauth", "refresh"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(secretTool(OAuthKeychain::refreshToken(m_cli->id())), m_cli->server.lastRefreshToken());
        m_cli->server.killAccessTokens();
        r = cli({"oauth", "status", "--check", "--format", "json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("\"organizationName\": \"Fake Shop Ltd\""));

        // Port taken: exit 3, nothing launched.
        {
            QTcpServer squatter;
            QVERIFY(squatter.listen(QHostAddress(QHostAddress::LocalHost), m_cli->port));
            QFile::remove(m_bin.filePath(QStringLiteral("page.html")));
            r = cli({"oauth", "connect", "--timeout", "5"});
            QVERIFY2(r.exitCode == 3, r.err.constData());
            QVERIFY(r.err.contains("already in use"));
            QVERIFY(browserPage().isEmpty());
        }
        // Consent denied in the browser: exit 1, the earlier connection untouched.
        m_cli->server.denyConsent = true;
        r = cli({"oauth", "connect", "--timeout", "60"});
        QVERIFY2(r.exitCode == 1, r.err.constData());
        QVERIFY(r.err.contains("access_denied"));
        QTRY_VERIFY_WITH_TIMEOUT(browserPage().contains("access_denied"), 15000);
        m_cli->server.denyConsent = false;
        // Nobody comes back: exit 1 after the timeout, without a browser.
        QFile::remove(m_bin.filePath(QStringLiteral("page.html")));
        r = cli({"oauth", "connect", "--no-browser", "--timeout", "1"});
        QVERIFY2(r.exitCode == 1, r.err.constData());
        QVERIFY(r.err.contains("did not come back"));
        QVERIFY(browserPage().isEmpty());

        r = cli({"oauth", "disconnect"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_cli->server.requests(QStringLiteral("POST /oauth/revoke")), 1);
        QVERIFY(secretTool(OAuthKeychain::refreshToken(m_cli->id())).isEmpty());
        QCOMPARE(cli({"oauth", "status"}).exitCode, 1);
        QCOMPARE(cli({"oauth", "refresh"}).exitCode, 1);

        // Every step is in the audit log, and no audit entry holds a secret (the leak test reads the file).
        r = cli({"audit", "list", "--format", "jsonl", "--limit", "100"});
        QVERIFY(r.out.contains("\"action\":\"oauth.connect\""));
        QVERIFY(r.out.contains("\"action\":\"oauth.refresh\""));
        QVERIFY(r.out.contains("\"action\":\"oauth.disconnect\""));
        QVERIFY(r.out.contains("\"action\":\"oauth.client-secret\""));
        m_secrets += m_cli->server.secrets();
    }

    void noSecretInAnyFileTheConsoleWrote()
    {
        QVERIFY(m_gui && m_cli);
        const QStringList roots {QDir::homePath(), m_gui->dir.path(), m_cli->dir.path()};
        QVERIFY(QDir::homePath().startsWith(QDir::tempPath())); // the throw-away HOME, not a real one
        // The scanner finds what it is looking for: a planted canary first.
        QFile canary(m_cli->dir.filePath(QStringLiteral("canary.bin")));
        QVERIFY(canary.open(QIODevice::WriteOnly));
        canary.write("prefix " + m_secrets.value(3) + " suffix");
        canary.close();
        QCOMPARE(test::scanForLeaks(roots, m_secrets).leaks.size(), 1);
        QVERIFY(canary.remove());
        // The keyring file is there (encrypted), with the workspaces and their WAL files.
        QVERIFY(QFileInfo::exists(QDir::homePath() + QStringLiteral("/.local/share/keyrings/login.keyring")));
        const QStringList leaks = test::scanForLeaks(roots, m_secrets).leaks;
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char('\n'))));
        qInfo("searched %s for %d secrets", qPrintable(roots.join(QStringLiteral(", "))),
            int(m_secrets.size()));
    }
};

QTEST_MAIN(TestOAuthE2E)
#include "tst_oauthe2e.moc"
