#include "policy/DefaultPolicy.h"
#include "policy/PolicyEngine.h"

#include <QTest>

using namespace rbac;

class TestPolicyEngine : public QObject
{
    Q_OBJECT

private slots:
    // The reference design's matrix, cell by cell.
    void defaultMatrix_data()
    {
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("permission");
        QTest::addColumn<bool>("granted");
        const QStringList permissions = {"canReadProfiles", "canWriteProfiles", "canDeleteProfiles",
            "canSendCampaigns", "canManageLists", "canTrackEvents", "canViewReports", "canManageWebhooks"};
        const QList<QPair<QString, QString>> rows = {{"admin", "11111111"}, {"marketer", "10011010"},
            {"developer", "11001111"}, {"viewer", "10000010"}, {"service", "11000100"}};
        for (const auto& [role, bits] : rows) {
            for (int i = 0; i < permissions.size(); ++i) {
                QTest::addRow("%s/%s", qPrintable(role), qPrintable(permissions.at(i)))
                    << role << permissions.at(i) << (bits.at(i) == QLatin1Char('1'));
            }
        }
    }

    void defaultMatrix()
    {
        QFETCH(QString, role);
        QFETCH(QString, permission);
        QFETCH(bool, granted);
        const CheckResult r = PolicyEngine::check(defaultPolicy(), role, permission, ScopeCatalog::builtin());
        if (granted) {
            QCOMPARE(r.outcome, CheckResult::Allowed);
            QCOMPARE(r.grantedBy, QStringList {permission});
        } else {
            QCOMPARE(r.outcome, CheckResult::Forbidden);
            QCOMPARE(r.httpStatus, 403);
            QCOMPARE(r.message,
                QStringLiteral("forbidden (403): Role '%1' does not have permission: %2")
                    .arg(role, permission));
        }
    }

    void unknownRoleIsUnauthenticated()
    {
        const CheckResult r
            = PolicyEngine::check(defaultPolicy(), "nobody", "canReadProfiles", ScopeCatalog::builtin());
        QCOMPARE(r.outcome, CheckResult::Unauthenticated);
        QCOMPARE(r.httpStatus, 401);
        QCOMPARE(r.message, QStringLiteral("unauthenticated (401): no Klaviyo role 'nobody'"));
    }

    void unknownPermission()
    {
        const CheckResult r
            = PolicyEngine::check(defaultPolicy(), "admin", "canFly", ScopeCatalog::builtin());
        QCOMPARE(r.outcome, CheckResult::UnknownPermission);
    }

    void permissionScopes_data()
    {
        QTest::addColumn<QString>("permission");
        QTest::addColumn<QStringList>("scopes");
        QTest::newRow("read") << "canReadProfiles" << QStringList {"profiles:read"};
        QTest::newRow("delete") << "canDeleteProfiles" << QStringList {"data-privacy:write"};
        QTest::newRow("send") << "canSendCampaigns" << QStringList {"campaigns:read", "campaigns:write"};
        QTest::newRow("reports") << "canViewReports"
                                 << QStringList {"campaigns:read", "flows:read", "metrics:read"};
        QTest::newRow("events") << "canTrackEvents" << QStringList {"events:write"};
        QTest::newRow("webhooks") << "canManageWebhooks" << QStringList {"webhooks:read", "webhooks:write"};
    }

    void permissionScopes()
    {
        QFETCH(QString, permission);
        QFETCH(QStringList, scopes);
        const Policy policy = defaultPolicy();
        QCOMPARE(
            PolicyEngine::permissionScopes(*policy.permission(permission), ScopeCatalog::builtin()), scopes);
    }

    void extraScopesJoinOperationScopes()
    {
        const Permission p {"custom", {}, {"get_lists"}, {"segments:read"}};
        QCOMPARE(PolicyEngine::permissionScopes(p, ScopeCatalog::builtin()),
            (QStringList {"lists:read", "segments:read"}));
    }

    void requiredScopesNameTheirPermissions()
    {
        const Policy policy = defaultPolicy();
        const QVector<ScopeRequirement> req
            = PolicyEngine::requiredScopes(policy, *policy.role("marketer"), ScopeCatalog::builtin());
        QCOMPARE(req.first().scope, QStringLiteral("accounts:read"));
        QVERIFY(req.first().baseline);
        QStringList names;
        for (const ScopeRequirement& r : req) {
            names << r.scope;
            if (r.scope == QLatin1String("campaigns:read"))
                QCOMPARE(r.neededBy, (QStringList {"canSendCampaigns", "canViewReports"}));
        }
        QCOMPARE(names,
            (QStringList {"accounts:read", "campaigns:read", "campaigns:write", "flows:read", "lists:read",
                "lists:write", "metrics:read", "profiles:read"}));
    }

    void emptyRoleStillNeedsBaseline()
    {
        Policy policy = defaultPolicy();
        policy.roles.append(Role {"u", "empty", {}, {}});
        QCOMPARE(PolicyEngine::requiredScopeNames(policy, *policy.role("empty"), ScopeCatalog::builtin()),
            QStringList {"accounts:read"});
    }

    void checkOperation()
    {
        const Policy policy = defaultPolicy();
        const ScopeCatalog& c = ScopeCatalog::builtin();
        CheckResult r = PolicyEngine::checkOperation(policy, "marketer", "send_campaign", c);
        QCOMPARE(r.outcome, CheckResult::Allowed);
        QCOMPARE(r.grantedBy, QStringList {"canSendCampaigns"});
        r = PolicyEngine::checkOperation(policy, "viewer", "send_campaign", c);
        QCOMPARE(r.outcome, CheckResult::Forbidden);
        QCOMPARE(r.scopes, QStringList {"campaigns:write"});
        r = PolicyEngine::checkOperation(policy, "viewer", "no_such_op", c);
        QCOMPARE(r.outcome, CheckResult::UnknownPermission);
        r = PolicyEngine::checkOperation(policy, "ghost", "send_campaign", c);
        QCOMPARE(r.httpStatus, 401);
    }

    void createKeyLink()
    {
        QCOMPARE(PolicyEngine::createKeyLink({"accounts:read", "profiles:read"}),
            QStringLiteral(
                "https://www.klaviyo.com/create-private-api-key?scopes=accounts:read,profiles:read"));
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << "marketer" << true;
        QTest::newRow("camel") << "canSendCampaigns" << true;
        QTest::newRow("dash") << "eu-support.tier_2" << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("space") << "two words" << false;
        QTest::newRow("digit first") << "1role" << false;
        QTest::newRow("slash") << "a/b" << false;
        QTest::newRow("too long") << QString(65, QLatin1Char('a')) << false;
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(isValidName(name), valid);
    }
};

QTEST_GUILESS_MAIN(TestPolicyEngine)
#include "tst_policyengine.moc"
