// The side-panel and picker models, and the watcher that loads changes made by other programs.
#include "items/CatalogFilterModel.h"
#include "items/CatalogPickerModel.h"
#include "items/EffectiveScopesModel.h"
#include "policy/PolicyEngine.h"
#include "items/RoleComparisonModel.h"
#include "policy/ScopeCatalog.h"
#include "workspace/Workspace.h"
#include "workspace/WorkspaceWatcher.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestPanelModels : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++m_counter));
        auto opened = Workspace::open(m_path);
        QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
        m_ws = std::move(opened.value());
    }

    void cleanup() { m_ws.reset(); }

    void effectiveScopesOfARole()
    {
        EffectiveScopesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspace(m_ws.get());
        QVERIFY(!model.hasRole());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.createKeyLink().isEmpty());

        model.setRole(QStringLiteral("marketer"));
        QVERIFY(model.hasRole());
        const QStringList expected = PolicyEngine::requiredScopeNames(
            m_ws->policy(), *m_ws->policy().role(QStringLiteral("marketer")), ScopeCatalog::builtin());
        QCOMPARE(model.scopes(), expected);
        QCOMPARE(model.index(0, 0).data().toString(), ScopeCatalog::baselineScope());
        QVERIFY(model.index(0, 0).data(EffectiveScopesModel::BaselineRole).toBool());
        const int row = int(expected.indexOf(QStringLiteral("campaigns:read")));
        QVERIFY(row > 0);
        const QString neededBy = model.index(row, EffectiveScopesModel::NeededByColumn).data().toString();
        QVERIFY2(neededBy.contains(QStringLiteral("canSendCampaigns"))
                && neededBy.contains(QStringLiteral("canViewReports")),
            qPrintable(neededBy));
        QVERIFY(
            model.index(row, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("get_campaigns")));
        QCOMPARE(model.createKeyLink(), PolicyEngine::createKeyLink(expected));

        // Follows grants: the webhook scopes appear once marketer may manage webhooks.
        QVERIFY(m_ws->setGranted(QStringLiteral("marketer"), QStringLiteral("canManageWebhooks"), true));
        QVERIFY(model.scopes().contains(QStringLiteral("webhooks:write")));
        QVERIFY(m_ws->removeRole(QStringLiteral("marketer")));
        QVERIFY(!model.hasRole());
        QCOMPARE(model.rowCount(), 0);
    }

    void comparisonShowsOnlyWhatDiffers()
    {
        RoleComparisonModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspace(m_ws.get());
        model.setRoles(QStringLiteral("admin"), QStringLiteral("viewer"));
        QVERIFY(model.isComparing());
        using Kind = RoleComparisonModel::Kind;
        QCOMPARE(model.onlyInFirst(Kind::Permission), 6);
        QCOMPARE(model.onlyInSecond(Kind::Permission), 0);
        QVERIFY(model.onlyInFirst(Kind::Scope) > 0);
        QCOMPARE(model.onlyInSecond(Kind::Scope), 0);
        for (int r = 0; r < model.rowCount(); ++r)
            QVERIFY(model.item(r).inFirst != model.item(r).inSecond);
        QCOMPARE(model.headerData(RoleComparisonModel::FirstColumn, Qt::Horizontal).toString(),
            QStringLiteral("admin"));
        const int differing = model.rowCount();
        model.setShowShared(true);
        QVERIFY(model.rowCount() > differing);

        model.setShowShared(false);
        QVector<Workspace::GrantChange> all;
        for (const Permission& p : m_ws->policy().permissions)
            all.append({QStringLiteral("viewer"), p.name, true});
        QVERIFY(m_ws->setGrants(all));
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.onlyInFirst(Kind::Permission), 0);

        model.setRoles(QStringLiteral("admin"), QStringLiteral("nobody"));
        QVERIFY(!model.isComparing());
        QCOMPARE(model.rowCount(), 0);
    }

    void catalogPickerChecksOperations()
    {
        CatalogPickerModel model(CatalogPickerModel::Kind::Operations);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), int(ScopeCatalog::builtin().operations().size()));
        QSignalSpy changed(&model, &CatalogPickerModel::checkedChanged);
        const int row = model.rowOf(QStringLiteral("get_profiles"));
        QVERIFY(row >= 0);
        QVERIFY(model.setData(model.index(row, 0), Qt::Checked, Qt::CheckStateRole));
        model.setItemChecked(QStringLiteral("create_list"), true);
        QCOMPARE(
            model.checked(), (QStringList {QStringLiteral("create_list"), QStringLiteral("get_profiles")}));
        QCOMPARE(changed.count(), 2);
        QVERIFY(!(model.flags(model.index(row, 1)) & Qt::ItemIsUserCheckable));
        QVERIFY(model.index(row, 2).data().toString().contains(QStringLiteral("profiles:read")));

        CatalogFilterModel filter;
        QAbstractItemModelTester filterTester(
            &filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(&model);
        filter.setSearchText(QStringLiteral("GET /api/profiles"));
        QVERIFY(filter.rowCount() >= 1);
        for (int r = 0; r < filter.rowCount(); ++r)
            QVERIFY(filter.index(r, 1).data().toString().contains(QStringLiteral("/api/profiles")));
        filter.setSearchText({});
        filter.sortCheckedFirst();
        QCOMPARE(filter.index(0, 0).data().toString(), QStringLiteral("create_list"));
        QCOMPARE(filter.index(1, 0).data().toString(), QStringLiteral("get_profiles"));
        model.setItemChecked(QStringLiteral("get_profiles"), false); // stays where it is
        QCOMPARE(filter.index(1, 0).data().toString(), QStringLiteral("get_profiles"));
        model.setItemChecked(QStringLiteral("get_profiles"), true);
        filter.setCheckedOnly(true);
        QCOMPARE(filter.rowCount(), 2);
        model.setChecked({});
        QCOMPARE(filter.rowCount(), 0);
    }

    void catalogPickerListsScopes()
    {
        CatalogPickerModel model(CatalogPickerModel::Kind::Scopes);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), int(ScopeCatalog::builtin().scopes().size()));
        model.setChecked({QStringLiteral("lists:read")});
        QCOMPARE(model.index(model.rowOf(QStringLiteral("lists:read")), 0).data(Qt::CheckStateRole).toInt(),
            int(Qt::Checked));
    }

    void describeChangesNamesWhatChanged()
    {
        const Policy before = m_ws->policy();
        Policy after = before;
        after.roles.removeFirst();
        after.roles[0].permissions.clear();
        after.permissions.removeLast();
        const QString summary = WorkspaceWatcher::describeChanges(before, after);
        QVERIFY2(summary.contains(QStringLiteral("roles removed: admin")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("roles changed: marketer")), qPrintable(summary));
        QVERIFY2(
            summary.contains(QStringLiteral("permissions removed: canManageWebhooks")), qPrintable(summary));
        QVERIFY(WorkspaceWatcher::describeChanges(before, before).isEmpty());
    }

    void watcherLoadsChangesFromAnotherConnection()
    {
        WorkspaceWatcher watcher;
        watcher.setPollInterval(0); // only the file system watcher may notice
        watcher.setWorkspace(m_ws.get());
        QSignalSpy reloaded(&watcher, &WorkspaceWatcher::reloaded);
        QVERIFY(!watcher.checkNow()); // nothing changed yet

        auto other = Workspace::open(m_path);
        QVERIFY(other.isOk());
        QVERIFY(other.value()->setGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents"), true));
        QTRY_COMPARE(reloaded.count(), 1);
        QVERIFY(reloaded.at(0).at(0).toString().contains(QStringLiteral("viewer")));
        QVERIFY(m_ws->policy().isGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));

        // Our own writes are not "elsewhere".
        QVERIFY(m_ws->setGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents"), false));
        QTest::qWait(300);
        QCOMPARE(reloaded.count(), 1);
    }

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString m_path;
    std::unique_ptr<Workspace> m_ws;
};

QTEST_GUILESS_MAIN(TestPanelModels)
#include "tst_panelmodels.moc"
