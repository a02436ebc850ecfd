#include "items/ApiKeysModel.h"
#include "keys/ApiKeysPage.h"
#include "FakeKlaviyoServer.h"
#include "keychain/KeyService.h"
#include "KeyTestSupport.h"
#include "keychain/MemorySecretStore.h"
#include "widgets/MessageBox.h"
#include "MockClock.h"
#include "widgets/NoticeBanner.h"
#include "keys/SecretClipboard.h"
#include "keys/SetKeyDialog.h"
#include "workspace/Workspace.h"
#include "WorkspaceProbe.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDesktopServices>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rbac;
using namespace rbac::test;

namespace {
const QByteArray key1 = "pk_pagekey0123456789abcdef0123456789PG01";
const QByteArray key2 = "pk_pagekey0123456789abcdef0123456789PG02";
} // namespace

// Receives what QDesktopServices would hand to the browser.
class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public slots:
    void open(const QUrl& url) { urls << url; }
};

class TestApiKeysPage : public QObject
{
    Q_OBJECT

    FakeKlaviyoServer server;
    std::unique_ptr<MockClock> clock;
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<MemorySecretStore> store;
    std::unique_ptr<KeyService> service;
    std::unique_ptr<ApiKeysPage> page;

    template<typename T> T* child(const char* name, QObject* parent = nullptr)
    {
        T* found = (parent ? parent : page.get())->findChild<T*>(QLatin1String(name));
        if (!found)
            qWarning("no child %s", name);
        return found;
    }
    KeyState state(const QString& role)
    {
        return KeyState(
            page->model()
                ->data(page->model()->index(page->model()->rowOf(role), 0), ApiKeysModel::KeyStateRole)
                .toInt());
    }
    QString entryOf(const QString& role)
    {
        return KeyService::entryName(ws->id(), ws->policy().role(role)->uid);
    }

    // Opens the set-key dialog for `role`, pastes `key` and presses the main button.
    SetKeyDialog* pasteKey(const QString& role, const QByteArray& key)
    {
        page->selectRole(role);
        QTest::mouseClick(child<QPushButton>("apiKeysSet"), Qt::LeftButton);
        auto* dialog = visibleChild<SetKeyDialog>(page.get());
        if (!dialog)
            return nullptr;
        auto* input = child<QLineEdit>("setKeyInput", dialog);
        input->clear();
        QTest::keyClicks(input, QString::fromLatin1(key));
        QTest::mouseClick(child<QPushButton>("setKeySave", dialog), Qt::LeftButton);
        return dialog;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(server.listen());
        qputenv("KLAVIYO_API_BASE_URL", server.baseUrl().toString().toLatin1());
        MessageBox::setTestMode(true);
    }

    void init()
    {
        clock = std::make_unique<MockClock>(QDateTime::currentDateTimeUtc());
        dir = std::make_unique<QTemporaryDir>();
        ws = std::move(Workspace::open(dir->filePath(QStringLiteral("w.sqlite"))).value());
        store = std::make_unique<MemorySecretStore>();
        service = std::make_unique<KeyService>(ws.get(), store.get());
        page = std::make_unique<ApiKeysPage>(ws.get(), service.get());
        page->resize(1000, 600);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
        server.addKey(key1, service->requiredScopes(QStringLiteral("viewer")));
        server.addKey(key2, service->requiredScopes(QStringLiteral("viewer")));
        server.clearLog();
        server.clearInjections();
        MessageBox::clearHistory();
    }

    void cleanup()
    {
        page.reset();
        service.reset();
        store.reset();
        ws.reset();
        dir.reset();
        clock.reset();
    }

    void everyInteractiveWidgetIsNamed()
    {
        QTest::mouseClick(child<QPushButton>("apiKeysSet"), Qt::LeftButton);
        auto* dialog = visibleChild<SetKeyDialog>(page.get());
        QVERIFY(dialog);
        for (QWidget* root : {static_cast<QWidget*>(page.get()), static_cast<QWidget*>(dialog)}) {
            const QList<QWidget*> widgets = root->findChildren<QWidget*>();
            for (QWidget* w : widgets) {
                const bool interactive = qobject_cast<QAbstractButton*>(w) || qobject_cast<QLineEdit*>(w)
                    || qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QAbstractItemView*>(w);
                // Qt's own parts of a composite widget (a spin box's line edit, a table's header).
                if (!interactive || w->objectName().startsWith(QLatin1String("qt_"))
                    || w->parent()->inherits("QAbstractSpinBox")
                    || w->parent()->inherits("QAbstractScrollArea")
                    || w->parentWidget()->inherits("QAbstractScrollArea"))
                    continue;
                QVERIFY2(!w->objectName().isEmpty(), w->metaObject()->className());
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
            }
        }
        dialog->reject();
    }

    void oneRowPerRole()
    {
        QCOMPARE(child<QTableView>("apiKeysTable")->model()->rowCount(), ws->policy().roles.size());
        page->selectRole(QStringLiteral("viewer"));
        QCOMPARE(page->selectedRole(), QStringLiteral("viewer"));
        QVERIFY(!child<QPushButton>("apiKeysVerify")->isEnabled()); // no key yet
        QVERIFY(!child<QPushButton>("apiKeysCopy")->isEnabled());
    }

    void dialogValidatesThePkForm()
    {
        page->selectRole(QStringLiteral("viewer"));
        QTest::mouseClick(child<QPushButton>("apiKeysSet"), Qt::LeftButton);
        auto* dialog = visibleChild<SetKeyDialog>(page.get());
        QVERIFY(dialog);
        QVERIFY(!dialog->isRotation());
        auto* input = child<QLineEdit>("setKeyInput", dialog);
        QCOMPARE(input->echoMode(), QLineEdit::Password);
        QTest::keyClicks(input, QStringLiteral("AbC123"));
        QVERIFY(!child<QPushButton>("setKeySave", dialog)->isEnabled());
        QVERIFY(child<QLabel>("setKeyProblem", dialog)->text().contains(QLatin1String("public key")));
        input->clear();
        QTest::keyClicks(input, QString::fromLatin1(key1));
        QVERIFY(child<QPushButton>("setKeySave", dialog)->isEnabled());
        QVERIFY(child<QLabel>("setKeyProblem", dialog)->text().isEmpty());
        QCOMPARE(child<QPushButton>("setKeySave", dialog)->text(), QStringLiteral("Verify and save"));
        dialog->reject();
        QVERIFY(store->entries().isEmpty());
    }

    void setVerifiesThenStores()
    {
        QSignalSpy finished(page.get(), &ApiKeysPage::operationFinished);
        QVERIFY(pasteKey(QStringLiteral("viewer"), key1));
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QCOMPARE(store->value(entryOf(QStringLiteral("viewer"))), key1);
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::Verified);
        QVERIFY(server.count(QStringLiteral("/api/accounts")) == 1);
        QVERIFY(
            child<QPlainTextEdit>("apiKeysDetails")->toPlainText().contains(QLatin1String("Fake Shop Ltd")));
    }

    void badKeyIsNotStored()
    {
        SetKeyDialog* dialog = pasteKey(QStringLiteral("viewer"), "pk_unknown0123456789abcdef0123456789ab");
        QVERIFY(dialog);
        QTRY_VERIFY(child<QLabel>("setKeyResult", dialog)->text().contains(QLatin1String("does not accept")));
        QVERIFY(!child<QPushButton>("setKeySaveAnyway", dialog)->isVisible());
        QVERIFY(store->entries().isEmpty());
        dialog->reject();
    }

    void missingScopesOfferSaveAnyway()
    {
        server.addKey(key2, {QStringLiteral("accounts:read")});
        SetKeyDialog* dialog = pasteKey(QStringLiteral("viewer"), key2);
        QVERIFY(dialog);
        QTRY_VERIFY(child<QPushButton>("setKeySaveAnyway", dialog)->isVisible());
        QVERIFY(child<QLabel>("setKeyResult", dialog)->text().contains(QLatin1String("lacks scopes")));
        QVERIFY(store->entries().isEmpty());
        QSignalSpy finished(page.get(), &ApiKeysPage::operationFinished);
        QTest::mouseClick(child<QPushButton>("setKeySaveAnyway", dialog), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        QCOMPARE(store->value(entryOf(QStringLiteral("viewer"))), key2);
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::MissingScopes);
    }

    void verifyShowsProgressAndCanBeCancelled()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("viewer"), key1, std::nullopt, d); }));
        page->selectRole(QStringLiteral("viewer"));
        QSignalSpy finished(page.get(), &ApiKeysPage::operationFinished);
        QTest::mouseClick(child<QPushButton>("apiKeysVerify"), Qt::LeftButton);
        QVERIFY(child<QProgressBar>("apiKeysProgress")->isVisible());
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
        QVERIFY(!child<QProgressBar>("apiKeysProgress")->isVisible());
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::Verified);

        server.inject({QStringLiteral("/api/accounts"), 0, {}, {}, {}, true}); // Klaviyo never answers
        const int sent = server.count(QStringLiteral("/api/accounts"));
        QTest::mouseClick(child<QPushButton>("apiKeysVerify"), Qt::LeftButton);
        QVERIFY(child<QPushButton>("apiKeysCancel")->isVisible());
        QTRY_COMPARE(server.count(QStringLiteral("/api/accounts")), sent + 1); // the request hangs
        QTest::mouseClick(child<QPushButton>("apiKeysCancel"), Qt::LeftButton);
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(finished.at(1).at(1).toString(), QStringLiteral("Verification cancelled."));
        QVERIFY(child<QPushButton>("apiKeysVerify")->isEnabled());
    }

    void copyMarksTheSecretAndClearsIt()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("viewer"), key1, std::nullopt, d); }));
        page->selectRole(QStringLiteral("viewer"));
        page->secretClipboard()->setClearAfterMs(300);
        QSignalSpy finished(page.get(), &ApiKeysPage::operationFinished);
        QTest::mouseClick(child<QPushButton>("apiKeysCopy"), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QClipboard* clipboard = QGuiApplication::clipboard();
        QCOMPARE(clipboard->text(), QString::fromLatin1(key1));
        QCOMPARE(
            clipboard->mimeData()->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArray("secret"));
        QVERIFY(!finished.at(0).at(1).toString().contains(QLatin1String("pagekey")));
        QTRY_VERIFY(clipboard->text().isEmpty());
        QCOMPARE(allAuditText(*ws).count(QLatin1String("key.copy")), 1);

        // Something else copied meanwhile stays.
        QTest::mouseClick(child<QPushButton>("apiKeysCopy"), Qt::LeftButton);
        QTRY_COMPARE(clipboard->text(), QString::fromLatin1(key1));
        clipboard->setText(QStringLiteral("my own text"));
        QTest::qWait(600);
        QCOMPARE(clipboard->text(), QStringLiteral("my own text"));
    }

    void rotationIsGuided()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("viewer"), key1, std::nullopt, d); }));
        page->selectRole(QStringLiteral("viewer"));
        QCOMPARE(child<QPushButton>("apiKeysSet")->text(), QStringLiteral("Rotate key…"));
        QSignalSpy finished(page.get(), &ApiKeysPage::operationFinished);
        SetKeyDialog* dialog = pasteKey(QStringLiteral("viewer"), key2);
        QVERIFY(dialog && dialog->isRotation());
        QVERIFY(child<QLabel>("setKeyIntro", dialog)->text().contains(QStringLiteral("pk_\u2026PG01")));
        QVERIFY(finished.wait(20000));
        QVERIFY(finished.at(0).at(1).toString().contains(QLatin1String("Delete the old key")));
        QCOMPARE(store->value(entryOf(QStringLiteral("viewer"))), key2);
        auto* confirm = child<QPushButton>("apiKeysConfirmDeleted");
        QVERIFY(confirm->isEnabled());
        QVERIFY(confirm->text().contains(QStringLiteral("pk_\u2026PG01")));

        MessageBox::setNextAnswer(QMessageBox::Cancel);
        QTest::mouseClick(confirm, Qt::LeftButton);
        QVERIFY(confirm->isEnabled());
        MessageBox::setNextAnswer(QMessageBox::Ok);
        QTest::mouseClick(confirm, Qt::LeftButton);
        QTRY_VERIFY(!child<QPushButton>("apiKeysConfirmDeleted")->isEnabled());
    }

    void removeAsksFirst()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("viewer"), key1, std::nullopt, d); }));
        page->selectRole(QStringLiteral("viewer"));
        MessageBox::setNextAnswer(QMessageBox::Cancel);
        QTest::mouseClick(child<QPushButton>("apiKeysRemove"), Qt::LeftButton);
        QCOMPARE(MessageBox::history().size(), 1);
        QVERIFY(store->contains(entryOf(QStringLiteral("viewer"))));
        MessageBox::setNextAnswer(QMessageBox::Ok);
        QSignalSpy finished(page.get(), &ApiKeysPage::operationFinished);
        QTest::mouseClick(child<QPushButton>("apiKeysRemove"), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QVERIFY(!store->contains(entryOf(QStringLiteral("viewer"))));
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::None);
    }

    void createInKlaviyoOpensTheDeepLink()
    {
        UrlCatcher catcher;
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &catcher, "open");
        page->selectRole(QStringLiteral("marketer"));
        QTest::mouseClick(child<QPushButton>("apiKeysCreate"), Qt::LeftButton);
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        QCOMPARE(catcher.urls.size(), 1);
        QCOMPARE(catcher.urls.at(0).toString(QUrl::FullyEncoded),
            service->createKeyLink(QStringLiteral("marketer")));
    }

    void lockedKeychainShowsTheBanner()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("viewer"), key1, std::nullopt, d); }));
        store->setMode(MemorySecretStore::Mode::Locked);
        QTest::mouseClick(child<QPushButton>("apiKeysRefresh"), Qt::LeftButton);
        auto* banner = page->findChild<NoticeBanner*>(QStringLiteral("apiKeysBanner"));
        QTRY_VERIFY(banner->isVisible());
        QVERIFY(banner->text().contains(QLatin1String("locked or unavailable")));
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::KeychainUnavailable);
        QVERIFY(store->contains(entryOf(QStringLiteral("viewer"))));

        store->setMode(MemorySecretStore::Mode::Available); // unlocked: "Try again" recovers
        QTest::mouseClick(
            page->findChild<QPushButton*>(QStringLiteral("apiKeysBannerAction")), Qt::LeftButton);
        QTRY_COMPARE(state(QStringLiteral("viewer")), KeyState::Stored);
        QVERIFY(!banner->isVisible());
    }

    void absentKeychainShowsTheBannerBeforeAnyKey()
    {
        auto* banner = page->findChild<NoticeBanner*>(QStringLiteral("apiKeysBanner"));
        QVERIFY(!banner->isVisible()); // a keychain answered at start-up
        store->setMode(MemorySecretStore::Mode::Unavailable);
        QTest::mouseClick(child<QPushButton>("apiKeysRefresh"), Qt::LeftButton);
        QTRY_VERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QLatin1String("cannot be reached")), qPrintable(banner->text()));
        QVERIFY(page->findChild<NoticeBanner*>(QStringLiteral("apiKeysGuide"))->isVisible());

        store->setMode(MemorySecretStore::Mode::Available);
        QTest::mouseClick(
            page->findChild<QPushButton*>(QStringLiteral("apiKeysBannerAction")), Qt::LeftButton);
        QTest::qWait(50);
        QVERIFY(!banner->isVisible());
    }

    void rotationAgeIsAWorkspaceSetting()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("viewer"), key1, std::nullopt, d); }));
        auto* days = child<QSpinBox>("apiKeysRotationDays");
        QCOMPARE(days->value(), 90);
        days->setValue(5);
        emit days->editingFinished();
        QCOMPARE(ws->setting(KeyStatusRules::rotationSettingKey()), QStringLiteral("5"));
        clock->advanceMs(qint64(6) * 24 * 3600 * 1000);
        const QModelIndex viewer = page->model()->index(page->model()->rowOf(QStringLiteral("viewer")), 0);
        QVERIFY(page->model()->data(viewer, ApiKeysModel::RotationDueRole).toBool());
    }

};

QTEST_MAIN(TestApiKeysPage)
#include "tst_apikeyspage.moc"
