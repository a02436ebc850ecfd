// After storing, verifying, copying and rotating keys (console page and CLI, real Secret Service),
// no file under the test HOME or the workspace's folder holds any key, in any common encoding.
#include "keys/ApiKeysPage.h"
#include "runtime/AppIdentity.h"
#include "CliRunner.h"
#include "FakeKlaviyoServer.h"
#include "keychain/KeyService.h"
#include "KeyTestSupport.h"
#include "LeakScan.h"
#include "widgets/MessageBox.h"
#include "keychain/QtKeychainStore.h"
#include "keys/SecretClipboard.h"
#include "keys/SetKeyDialog.h"
#include "workspace/Workspace.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rbac;
using namespace rbac::test;

namespace {
const QByteArray viewerKey1 = "pk_leakviewer1234567890abcdefABCDEF0001";
const QByteArray viewerKey2 = "pk_leakviewer1234567890abcdefABCDEF0002";
const QByteArray adminKey = "pk_leakadmin01234567890abcdefABCDEF0003";
const QByteArray serviceKey = "pk_leakservice1234567890abcdefABCDEF004";
const QVector<QByteArray> allKeys {viewerKey1, viewerKey2, adminKey, serviceKey};
} // namespace

class TestKeyLeak : public QObject
{
    Q_OBJECT

    FakeKlaviyoServer server;
    QString home;
    QString workspacePath;

    int cli(const QStringList& args, const QByteArray& input = {}, QByteArray* output = nullptr)
    {
        CliOptions options;
        options.workspace = workspacePath;
        options.input = input;
        options.eventLoop = true; // keep the in-process stand-in answering
        const CliResult r = runCli(args, options);
        if (output && !r.timedOut)
            *output = r.out;
        return r.exitCode;
    }

    bool pageSetKey(ApiKeysPage& page, const QString& role, const QByteArray& key)
    {
        page.selectRole(role);
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("apiKeysSet")), Qt::LeftButton);
        auto* dialog = visibleChild<SetKeyDialog>(&page);
        if (!dialog)
            return false;
        QTest::keyClicks(
            dialog->findChild<QLineEdit*>(QStringLiteral("setKeyInput")), QString::fromLatin1(key));
        QSignalSpy finished(&page, &ApiKeysPage::operationFinished);
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("setKeySave")), Qt::LeftButton);
        return firstSignal(finished) && finished.at(0).at(0).toBool();
    }

    bool pageAction(ApiKeysPage& page, const QString& role, const char* button)
    {
        page.selectRole(role);
        QSignalSpy finished(&page, &ApiKeysPage::operationFinished);
        QTest::mouseClick(page.findChild<QPushButton*>(QLatin1String(button)), Qt::LeftButton);
        return firstSignal(finished) && finished.at(0).at(0).toBool();
    }

private slots:
    void initTestCase()
    {
        home = QDir::homePath();
        QVERIFY2(home.contains(QLatin1String("rbac-keyring.")),
            "run through with-test-keyring.sh (throw-away HOME)");
        applyAppIdentity(); // the real data and config locations, under the throw-away HOME
        MessageBox::setTestMode(true);
        QVERIFY(server.listen());
        qputenv("KLAVIYO_API_BASE_URL", server.baseUrl().toString().toLatin1());
        workspacePath = Workspace::defaultPath();
        QVERIFY2(workspacePath.startsWith(home), qPrintable(workspacePath));
    }

    void theScannerFindsAPlantedKey()
    {
        // The check below must be able to fail: a key in any of the encodings it looks for is found.
        QTemporaryDir planted;
        for (const QByteArray& form : leakForms(adminKey)) {
            QFile f(planted.filePath(QStringLiteral("leak")));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("prefix " + form + " suffix");
            f.close();
            QCOMPARE(scanForLeaks({planted.path()}, allKeys).files.size(), 1);
        }
    }

    void storeVerifyCopyRotateThenGrepEverything()
    {
        {
            auto opened = Workspace::open(workspacePath);
            QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
            std::unique_ptr<Workspace> ws = std::move(opened.value());
            QtKeychainStore store;
            KeyService service(ws.get(), &store);
            for (const QByteArray& k : {viewerKey1, viewerKey2})
                server.addKey(k, service.requiredScopes(QStringLiteral("viewer")));
            server.addKey(adminKey, service.requiredScopes(QStringLiteral("admin")));
            server.addKey(serviceKey, service.requiredScopes(QStringLiteral("service")));

            ApiKeysPage page(ws.get(), &service);
            page.show();
            page.secretClipboard()->setClearAfterMs(200);
            QVERIFY(pageSetKey(page, QStringLiteral("viewer"), viewerKey1)); // verified, then stored
            QVERIFY(pageAction(page, QStringLiteral("viewer"), "apiKeysVerify"));
            QVERIFY(pageAction(page, QStringLiteral("viewer"), "apiKeysCopy"));
            QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromLatin1(viewerKey1));
            QTRY_VERIFY(QGuiApplication::clipboard()->text().isEmpty());
            QVERIFY(pageSetKey(page, QStringLiteral("viewer"), viewerKey2)); // rotation
            MessageBox::setNextAnswer(QMessageBox::Ok);
            QVERIFY(pageAction(page, QStringLiteral("viewer"), "apiKeysConfirmDeleted"));
            QVERIFY(pageSetKey(page, QStringLiteral("service"), serviceKey));

            // The CLI on the same workspace and keyring.
            QCOMPARE(cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("admin"),
                             QStringLiteral("--verify")},
                         adminKey + "\n"),
                0);
            QCOMPARE(cli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("admin")}), 0);
            QByteArray exported;
            QCOMPARE(cli({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--format"),
                             QStringLiteral("jsonl"), QStringLiteral("--limit"), QStringLiteral("1000")},
                         {}, &exported),
                0);
            QFile exportFile(home + QStringLiteral("/audit-export.jsonl"));
            QVERIFY(exportFile.open(QIODevice::WriteOnly));
            exportFile.write(exported);
            exportFile.close();
            QByteArray status;
            QCOMPARE(cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("--format"),
                             QStringLiteral("json")},
                         {}, &status),
                0);
            QVERIFY(status.contains("pk_\xe2\x80\xa6"
                                    "0002")); // the rotated key, masked
            QCOMPARE(cli({QStringLiteral("role"), QStringLiteral("remove"), QStringLiteral("service")}), 0);

            // While everything is still open (WAL not yet folded into the database):
            const LeakScan scan = scanForLeaks({home}, allKeys);
            QVERIFY2(scan.files.isEmpty(), qPrintable(scan.files.join(QLatin1Char('\n'))));
            qInfo("scanned %d files with the workspace open", scan.scanned);
        }
        // …and after everything closed.
        const LeakScan inHome = scanForLeaks({home}, allKeys);
        const QStringList hits
            = inHome.files + scanForLeaks({QFileInfo(workspacePath).path()}, allKeys).files;
        const int scanned = inHome.scanned;
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char('\n'))));
        qInfo("scanned %d files under the test HOME", scanned);

        // The scan covered what matters: the workspace, the export and the keyring that holds the keys.
        QVERIFY(QFileInfo::exists(workspacePath));
        QVERIFY(QFileInfo::exists(home + QStringLiteral("/audit-export.jsonl")));
        QVERIFY(QFileInfo::exists(home + QStringLiteral("/.local/share/keyrings/login.keyring")));
        QVERIFY(scanned >= 4);
    }
};

QTEST_MAIN(TestKeyLeak)
#include "tst_keyleak.moc"
