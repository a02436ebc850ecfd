#include "policy/DefaultPolicy.h"
#include "policy/PolicyJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rbac;

class TestPolicyJson : public QObject
{
    Q_OBJECT

private slots:
    void exportIsDeterministic()
    {
        Policy a = defaultPolicy();
        Policy b = a;
        std::reverse(b.roles.begin(), b.roles.end());
        std::reverse(b.permissions.begin(), b.permissions.end());
        QCOMPARE(PolicyJson::exportPolicy(a), PolicyJson::exportPolicy(b));
        const QJsonObject root = QJsonDocument::fromJson(PolicyJson::exportPolicy(a)).object();
        QCOMPARE(root.value("format").toString(), QStringLiteral("klaviyo-rbac-policy"));
        QCOMPARE(root.value("version").toInt(), 1);
    }

    void roundTrip()
    {
        Policy policy = defaultPolicy();
        policy.permissions.append(
            Permission {"canSeeSegments", "segments", {"get_segments"}, {"segments:read"}});
        policy.roles.append(Role {{}, "auditor", "reads", {"canSeeSegments", "canViewReports"}});
        const QByteArray bytes = PolicyJson::exportPolicy(policy);
        const auto parsed = PolicyJson::importPolicy(bytes, ScopeCatalog::builtin());
        QVERIFY2(parsed, qPrintable(parsed.status().message()));
        QCOMPARE(PolicyJson::exportPolicy(*parsed), bytes);
    }

    // Each malformed file is refused with a message that names where the problem is.
    void rejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray good = PolicyJson::exportPolicy(defaultPolicy());
        QTest::newRow("truncated") << good.left(good.size() / 2) << "$: not valid JSON at line";
        QTest::newRow("empty") << QByteArray() << "$: not valid JSON";
        QTest::newRow("array root") << QByteArray("[]") << "$: expected an object";
        QTest::newRow("wrong format")
            << QByteArray(R"({"format":"x","version":1,"permissions":[],"roles":[]})")
            << "$.format: expected \"klaviyo-rbac-policy\"";
        QTest::newRow("version string")
            << QByteArray(R"({"format":"klaviyo-rbac-policy","version":"1","permissions":[],"roles":[]})")
            << "$.version: expected an integer";
        QTest::newRow("newer version")
            << QByteArray(R"({"format":"klaviyo-rbac-policy","version":7,"permissions":[],"roles":[]})")
            << "$.version: version 7 is newer";
        QTest::newRow("roles not array")
            << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,"permissions":[],"roles":{}})")
            << "$.roles: expected an array";
        QTest::newRow("name not string") << QByteArray(
            R"({"format":"klaviyo-rbac-policy","version":1,"permissions":[],"roles":[{"name":5}]})")
                                         << "$.roles[0].name: expected a string";
        QTest::newRow("unknown scope") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","scopes":["profiles:read","profiles:fly"]}],"roles":[]})")
                                       << "$.permissions[0].scopes[1]: unknown Klaviyo scope 'profiles:fly'";
        QTest::newRow("unknown operation") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","operations":["get_everything"]}],"roles":[]})")
                                           << "$.permissions[0].operations[0]: unknown Klaviyo operation";
        QTest::newRow("no operations or scopes") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","operations":[]}],"roles":[]})")
                                                 << "$.permissions[0]: a permission needs at least one";
        QTest::newRow("dangling reference") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","scopes":["lists:read"]}],"roles":[{"name":"r","permissions":["p","q"]}]})")
                                            << "$.roles[0].permissions[1]: unknown permission 'q'";
        QTest::newRow("duplicate role") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[],"roles":[{"name":"r"},{"name":"r"}]})")
                                        << "$.roles[1].name: duplicate role 'r'";
        QTest::newRow("duplicate permission") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","scopes":["lists:read"]},{"name":"p","scopes":["lists:read"]}],"roles":[]})")
                                              << "$.permissions[1].name: duplicate permission 'p'";
        QTest::newRow("duplicate grant") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","scopes":["lists:read"]}],"roles":[{"name":"r","permissions":["p","p"]}]})")
                                         << "$.roles[0].permissions[1]: duplicate permission 'p'";
        QTest::newRow("bad name") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[],"roles":[{"name":"two words"}]})")
                                  << "$.roles[0].name: 'two words' is not a valid name";
        QTest::newRow("unknown field") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[],"roles":[{"name":"r","colour":"red"}]})")
                                       << "$.roles[0].colour: unknown field";
    }

    void rejects()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const auto parsed = PolicyJson::importPolicy(json, ScopeCatalog::builtin());
        QVERIFY(!parsed);
        QCOMPARE(parsed.status().kind(), ErrorKind::InvalidInput);
        QVERIFY2(parsed.status().message().contains(expected), qPrintable(parsed.status().message()));
    }

    void diffShowsOnlyChanges()
    {
        const Policy before = defaultPolicy();
        Policy after = before;
        after.role("viewer")->permissions.append("canTrackEvents");
        after.role("viewer")->permissions.sort();
        const QJsonObject d = PolicyJson::diff(before, after);
        const QJsonObject beforeRoles = d.value("before").toObject().value("roles").toObject();
        const QJsonObject afterRoles = d.value("after").toObject().value("roles").toObject();
        QCOMPARE(beforeRoles.keys(), QStringList {"viewer"});
        QCOMPARE(afterRoles.keys(), QStringList {"viewer"});
        QVERIFY(d.value("after").toObject().value("permissions").toObject().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPolicyJson)
#include "tst_policyjson.moc"
