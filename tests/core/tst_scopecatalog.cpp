#include "policy/ScopeCatalog.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace rbac;

class TestScopeCatalog : public QObject
{
    Q_OBJECT

private slots:
    void hasAllScopes()
    {
        const ScopeCatalog& c = ScopeCatalog::builtin();
        QCOMPARE(c.scopes().size(), 63);
        QVERIFY(c.hasScope(QStringLiteral("profiles:read")));
        QVERIFY(c.hasScope(QStringLiteral("users:write"))); // enum-only, no operation needs it
        QVERIFY(!c.hasScope(QStringLiteral("profiles:full")));
        QCOMPARE(c.stableRevision(), QStringLiteral("2026-07-15"));
        QCOMPARE(c.betaRevision(), QStringLiteral("2026-07-15.pre"));
    }

    void operationsCarryTheirScopes_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("scopes");
        QTest::newRow("get_profiles") << "get_profiles"
                                      << "GET"
                                      << "/api/profiles" << QStringList {"profiles:read"};
        QTest::newRow("request_profile_deletion")
            << "request_profile_deletion"
            << "POST"
            << "/api/data-privacy-deletion-jobs" << QStringList {"data-privacy:write"};
        QTest::newRow("send_campaign") << "send_campaign"
                                       << "POST"
                                       << "/api/campaign-send-jobs" << QStringList {"campaigns:write"};
        // POST but read-only: never map POST to write.
        QTest::newRow("query_metric_aggregates") << "query_metric_aggregates"
                                                 << "POST"
                                                 << "/api/metric-aggregates" << QStringList {"metrics:read"};
        QTest::newRow("multi-scope") << "add_profiles_to_list"
                                     << "POST"
                                     << "/api/lists/{id}/relationships/profiles"
                                     << QStringList {"lists:write", "profiles:write"};
    }

    void operationsCarryTheirScopes()
    {
        QFETCH(QString, id);
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(QStringList, scopes);
        const ApiOperation* op = ScopeCatalog::builtin().operation(id);
        QVERIFY2(op, qPrintable(id));
        QCOMPARE(op->method, method);
        QCOMPARE(op->path, path);
        QCOMPARE(op->scopes, scopes);
    }

    void everyOperationUsesKnownScopes()
    {
        const ScopeCatalog& c = ScopeCatalog::builtin();
        QCOMPARE(c.operations().size(), 493); // 345 stable + 148 beta
        QSet<QString> ids;
        for (const ApiOperation& op : c.operations()) {
            QVERIFY2(!ids.contains(op.id), qPrintable(op.id));
            ids.insert(op.id);
            for (const QString& s : op.scopes)
                QVERIFY2(c.hasScope(s), qPrintable(op.id + QLatin1Char(' ') + s));
            QVERIFY2(op.publicKey || !op.scopes.isEmpty(), qPrintable(op.id));
        }
    }

    void probesAreReadScopes()
    {
        const ScopeCatalog& c = ScopeCatalog::builtin();
        QCOMPARE(c.probes().size(), 30);
        for (const ScopeProbe& p : c.probes()) {
            QVERIFY(p.scope.endsWith(QLatin1String(":read")));
            QCOMPARE(p.method, QStringLiteral("GET"));
            QVERIFY(p.scopes.contains(p.scope));
        }
    }

    void rejectsMalformedCatalog()
    {
        QVERIFY(!ScopeCatalog::fromJson("{"));
        QVERIFY(!ScopeCatalog::fromJson(R"({"format":"something-else"})"));
        const QByteArray unknownScope = R"({"format":"klaviyo-rbac-scope-catalog","scopes":["a:read"],
            "operations":[{"id":"x","scopes":["b:read"]}]})";
        const auto parsed = ScopeCatalog::fromJson(unknownScope);
        QVERIFY(!parsed);
        QVERIFY(parsed.status().message().contains(QLatin1String("b:read")));
    }
};

QTEST_GUILESS_MAIN(TestScopeCatalog)
#include "tst_scopecatalog.moc"
