#include "items/ApiKeysModel.h"
#include "credentials/KeyIndex.h"
#include "keychain/KeyService.h"
#include "KeyTestSupport.h"
#include "keychain/MemorySecretStore.h"
#include "MockClock.h"
#include "policy/PolicyEngine.h"
#include "workspace/Workspace.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace rbac;
using namespace rbac::test;

namespace {
const QByteArray key = "pk_model00123456789abcdef0123456789MDL1";

// A completed verification whose checks grant exactly `granted` (every other probed read scope lacking).
KeyVerification verificationGranting(const QStringList& granted)
{
    KeyVerification v;
    v.verdict = KeyVerification::Verdict::Verified;
    v.checkedAt = isoUtc(Clock::nowUtc());
    v.hasAccount = true;
    v.account = {QStringLiteral("id"), QStringLiteral("Model Org"), QStringLiteral("AbC123"), false};
    for (const ScopeProbe& p : ScopeCatalog::builtin().probes())
        v.checks.append(
            {p.scope, granted.contains(p.scope) ? ScopeFinding::Granted : ScopeFinding::Lacking, 200, {}});
    return v;
}
} // namespace

class TestApiKeysModel : public QObject
{
    Q_OBJECT

    std::unique_ptr<MockClock> clock;
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<MemorySecretStore> store;
    std::unique_ptr<KeyService> service;
    std::unique_ptr<ApiKeysModel> model;
    std::unique_ptr<QAbstractItemModelTester> tester;

    QString text(const QString& role, int column)
    {
        return model->data(model->index(model->rowOf(role), column)).toString();
    }
    KeyState state(const QString& role)
    {
        return KeyState(model->data(model->index(model->rowOf(role), 0), ApiKeysModel::KeyStateRole).toInt());
    }
    void storeVerified(const QString& role, const QStringList& granted)
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(role, key, verificationGranting(granted), d); }));
    }

private slots:
    void init()
    {
        clock = std::make_unique<MockClock>();
        dir = std::make_unique<QTemporaryDir>();
        ws = std::move(Workspace::open(dir->filePath(QStringLiteral("w.sqlite"))).value());
        store = std::make_unique<MemorySecretStore>();
        service = std::make_unique<KeyService>(ws.get(), store.get());
        model = std::make_unique<ApiKeysModel>(ws.get());
        tester = std::make_unique<QAbstractItemModelTester>(
            model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        tester.reset();
        model.reset();
        service.reset();
        store.reset();
        ws.reset();
        dir.reset();
        clock.reset();
    }

    void oneRowPerRoleWithoutKeys()
    {
        QCOMPARE(model->rowCount(), ws->policy().roles.size());
        QCOMPARE(model->columnCount(), int(ApiKeysModel::ColumnCount));
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::RoleColumn), QStringLiteral("admin"));
        QCOMPARE(state(QStringLiteral("admin")), KeyState::None);
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::StatusColumn), QStringLiteral("No key"));
        QVERIFY(text(QStringLiteral("admin"), ApiKeysModel::KeyColumn).isEmpty());
        QCOMPARE(
            model->headerData(ApiKeysModel::KeyColumn, Qt::Horizontal).toString(), QStringLiteral("Key"));
    }

    void storedKeyShowsMaskedAndAge()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("admin"), key, std::nullopt, d); }));
        QCOMPARE(state(QStringLiteral("admin")), KeyState::Stored);
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::KeyColumn), QStringLiteral("pk_\u2026MDL1"));
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::AgeColumn), QStringLiteral("today"));
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::VerifiedColumn), QStringLiteral("Never"));
        // Only metadata: the display never holds more than the last four characters.
        for (int c = 0; c < model->columnCount(); ++c)
            QVERIFY(!text(QStringLiteral("admin"), c).contains(QLatin1String("model0")));
    }

    void verificationIsReassessedWhenThePolicyChanges()
    {
        const Role* viewer = ws->policy().role(QStringLiteral("viewer"));
        const QStringList required
            = PolicyEngine::requiredScopeNames(ws->policy(), *viewer, ScopeCatalog::builtin());
        QStringList reads;
        for (const QString& s : required) {
            if (s.endsWith(QLatin1String(":read")))
                reads << s;
        }
        storeVerified(QStringLiteral("viewer"), reads);
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::Verified);
        QVERIFY(model->data(model->index(model->rowOf(QStringLiteral("viewer")), 0), Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("Model Org")));

        // Granting a permission that needs a scope the key lacks turns it into "missing scopes".
        QString extra;
        for (const Permission& p : ws->policy().permissions) {
            const QStringList scopes = PolicyEngine::permissionScopes(p, ScopeCatalog::builtin());
            for (const QString& s : scopes) {
                if (s.endsWith(QLatin1String(":read")) && !reads.contains(s))
                    extra = p.name;
            }
            if (!extra.isEmpty() && !ws->policy().isGranted(QStringLiteral("viewer"), extra))
                break;
            extra.clear();
        }
        QVERIFY2(!extra.isEmpty(), "no permission adds a read scope to viewer");
        QVERIFY(ws->setGranted(QStringLiteral("viewer"), extra, true));
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::MissingScopes);
        QVERIFY(
            text(QStringLiteral("viewer"), ApiKeysModel::NotesColumn).startsWith(QLatin1String("Missing:")));

        // Revoking it again, and the key holding more than needed: "excess scopes".
        QVERIFY(ws->setGranted(QStringLiteral("viewer"), extra, false));
        storeVerified(QStringLiteral("viewer"), reads + QStringList {QStringLiteral("webhooks:read")});
        QCOMPARE(state(QStringLiteral("viewer")), KeyState::ExcessScopes);
        QVERIFY(text(QStringLiteral("viewer"), ApiKeysModel::NotesColumn)
                    .contains(QLatin1String("webhooks:read")));
    }

    void keychainUnavailableWins()
    {
        storeVerified(QStringLiteral("admin"), {});
        const QString uid = ws->policy().role(QStringLiteral("admin"))->uid;
        model->setKeychainReadable(uid, false);
        QCOMPARE(state(QStringLiteral("admin")), KeyState::KeychainUnavailable);
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::StatusColumn),
            QStringLiteral("Keychain locked or unavailable"));
        model->setKeychainReadable(uid, true);
        QVERIFY(state(QStringLiteral("admin")) != KeyState::KeychainUnavailable);
    }

    void rotationReminderFollowsTheSetting()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("admin"), key, std::nullopt, d); }));
        const QModelIndex admin = model->index(model->rowOf(QStringLiteral("admin")), 0);
        QVERIFY(!model->data(admin, ApiKeysModel::RotationDueRole).toBool());
        clock->advanceMs(qint64(91) * 24 * 3600 * 1000);
        QVERIFY(model->data(admin, ApiKeysModel::RotationDueRole).toBool());
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::AgeColumn), QStringLiteral("91 day(s)"));
        QVERIFY(text(QStringLiteral("admin"), ApiKeysModel::NotesColumn).contains(QLatin1String("Rotate")));
        QVERIFY(ws->setSetting(KeyStatusRules::rotationSettingKey(), QStringLiteral("120")));
        QCOMPARE(model->rotationDays(), 120);
        QVERIFY(
            !model->data(
                      model->index(model->rowOf(QStringLiteral("admin")), 0), ApiKeysModel::RotationDueRole)
                 .toBool());
    }

    void retiredKeysAreListed()
    {
        QVERIFY(await(
            [&](KeyService::Done d) { service->storeKey(QStringLiteral("admin"), key, std::nullopt, d); }));
        QVERIFY(await([&](KeyService::Done d) {
            service->storeKey(
                QStringLiteral("admin"), "pk_model00123456789abcdef0123456789MDL2", std::nullopt, d);
        }));
        QCOMPARE(text(QStringLiteral("admin"), ApiKeysModel::NotesColumn),
            QStringLiteral("Delete pk_\u2026MDL1 in Klaviyo"));
    }

    void followsRenamesAndRemovals()
    {
        QVERIFY(await([&](KeyService::Done d) {
            service->storeKey(QStringLiteral("marketer"), key, std::nullopt, d);
        }));
        const int rows = model->rowCount();
        QVERIFY(ws->renameRole(QStringLiteral("marketer"), QStringLiteral("marketing")));
        QCOMPARE(model->rowOf(QStringLiteral("marketer")), -1);
        QCOMPARE(text(QStringLiteral("marketing"), ApiKeysModel::KeyColumn), QStringLiteral("pk_\u2026MDL1"));
        QVERIFY(await([&](KeyService::Done d) { service->removeRole(QStringLiteral("marketing"), d); }));
        QCOMPARE(model->rowCount(), rows - 1);
        QVERIFY(ws->addRole(QStringLiteral("newcomer")));
        QCOMPARE(model->rowCount(), rows);
        QCOMPARE(state(QStringLiteral("newcomer")), KeyState::None);
    }
};

QTEST_GUILESS_MAIN(TestApiKeysModel)
#include "tst_apikeysmodel.moc"
