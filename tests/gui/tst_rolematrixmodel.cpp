// RoleMatrixModel and MatrixFilterModel over a real workspace file, under QAbstractItemModelTester.
#include "items/MatrixFilterModel.h"
#include "items/RoleMatrixModel.h"
#include "workspace/Workspace.h"
#include "WorkspaceProbe.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestRoleMatrixModel : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        // Any warning (a bad index, a tester complaint) fails the test.
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("ws-%1.sqlite").arg(++m_counter));
        auto opened = Workspace::open(m_path);
        QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
        m_ws = std::move(opened.value());
        m_model = std::make_unique<RoleMatrixModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_model->setWorkspace(m_ws.get());
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_other.reset();
        m_ws.reset();
    }

    void showsThePolicy()
    {
        const Policy& policy = m_ws->policy();
        QCOMPARE(m_model->rowCount(), 5);
        QCOMPARE(m_model->columnCount(), 8);
        for (int r = 0; r < m_model->rowCount(); ++r) {
            QCOMPARE(m_model->headerData(r, Qt::Vertical).toString(), policy.roles.at(r).name);
            for (int c = 0; c < m_model->columnCount(); ++c) {
                const bool granted = policy.isGranted(policy.roles.at(r).name, policy.permissions.at(c).name);
                QCOMPARE(m_model->index(r, c).data(Qt::CheckStateRole).toInt(),
                    int(granted ? Qt::Checked : Qt::Unchecked));
                QVERIFY(m_model->flags(m_model->index(r, c)) & Qt::ItemIsUserCheckable);
            }
        }
        QCOMPARE(m_model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("canReadProfiles"));
        // What a screen reader says for a cell.
        const QModelIndex viewerCampaigns = m_model->index(m_model->rowOfRole(QStringLiteral("viewer")),
            m_model->columnOfPermission(QStringLiteral("canSendCampaigns")));
        QCOMPARE(viewerCampaigns.data(Qt::AccessibleTextRole).toString(),
            QStringLiteral("viewer, canSendCampaigns: not granted"));
        QVERIFY(viewerCampaigns.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Space to grant")));
    }

    void permissionHeaderToolTipExplains()
    {
        const int column = m_model->columnOfPermission(QStringLiteral("canWriteProfiles"));
        const QString tip = m_model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("Create and update profiles")), qPrintable(tip)); // description
        QVERIFY2(tip.contains(QStringLiteral("create_profile")), qPrintable(tip));             // operations
        QVERIFY2(tip.contains(QStringLiteral("profiles:write")), qPrintable(tip));             // scopes
        const QString roleTip = m_model->headerData(0, Qt::Vertical, Qt::ToolTipRole).toString();
        QVERIFY2(roleTip.contains(QStringLiteral("Full access")), qPrintable(roleTip));
    }

    void checkingACellCommitsWithItsAuditEntry()
    {
        const int row = m_model->rowOfRole(QStringLiteral("viewer"));
        const int column = m_model->columnOfPermission(QStringLiteral("canSendCampaigns"));
        const qint64 before = test::auditCount(*m_ws);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QVERIFY(m_model->setData(m_model->index(row, column), Qt::Checked, Qt::CheckStateRole));

        QVERIFY(test::storedGrant(*m_ws, QStringLiteral("viewer"), QStringLiteral("canSendCampaigns")));
        QCOMPARE(test::auditCount(*m_ws), before + 1);
        const test::AuditRow last = test::lastAudit(*m_ws);
        QCOMPARE(last.action, QStringLiteral("grant"));
        QCOMPARE(last.role, QStringLiteral("viewer"));
        QCOMPARE(last.resource, QStringLiteral("permission:canSendCampaigns"));
        QCOMPARE(m_model->index(row, column).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        // Exactly that cell was reported, so views keep everything else.
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex(), m_model->index(row, column));
        QCOMPARE(changed.at(0).at(1).toModelIndex(), m_model->index(row, column));

        // Setting the value it already has writes nothing.
        QVERIFY(m_model->setData(m_model->index(row, column), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(test::auditCount(*m_ws), before + 1);
    }

    void committerFailureChangesNothing()
    {
        m_model->setCommitter([](const QVector<Workspace::GrantChange>&) {
            return Status::error(ErrorKind::Environment, QStringLiteral("the workspace is locked"));
        });
        QSignalSpy failed(m_model.get(), &RoleMatrixModel::commitFailed);
        const qint64 before = test::auditCount(*m_ws);
        QVERIFY(!m_model->setData(m_model->index(0, 0), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toString(), QStringLiteral("the workspace is locked"));
        QCOMPARE(test::auditCount(*m_ws), before);
        QCOMPARE(m_model->index(0, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    }

    void changesForRoleListOnlyCellsThatDiffer()
    {
        const int row = m_model->rowOfRole(QStringLiteral("viewer")); // canReadProfiles, canViewReports
        QVector<int> all;
        for (int c = 0; c < m_model->columnCount(); ++c)
            all << c;
        QCOMPARE(m_model->changesForRole(row, all, true).size(), 6);
        QCOMPARE(m_model->changesForRole(row, all, false).size(), 2);
        const int column = m_model->columnOfPermission(QStringLiteral("canReadProfiles"));
        QVector<int> rows {0, 1, 2, 3, 4};
        QCOMPARE(m_model->changesForPermission(column, rows, true).size(), 0); // every role has it
        QCOMPARE(m_model->changesForPermission(column, rows, false).size(), 5);
    }

    void followsChangesFromAnotherConnection()
    {
        // A second connection stands in for the CLI; the model must track rows and columns
        // precisely (the tester checks every signal) without resetting.
        auto other = Workspace::open(m_path);
        QVERIFY(other.isOk());
        m_other = std::move(other.value());
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy rowsInserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        QSignalSpy rowsRemoved(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy columnsInserted(m_model.get(), &QAbstractItemModel::columnsInserted);
        QSignalSpy columnsRemoved(m_model.get(), &QAbstractItemModel::columnsRemoved);

        QVERIFY(m_other->addRole(
            QStringLiteral("auditor"), QStringLiteral("Reads reports"), QStringLiteral("viewer")));
        QVERIFY(m_other->removeRole(QStringLiteral("marketer")));
        QVERIFY(m_other->renameRole(QStringLiteral("service"), QStringLiteral("backend")));
        Permission p {QStringLiteral("canReadLists"), QStringLiteral("Look at lists"),
            {QStringLiteral("get_lists")}, {}};
        QVERIFY(m_other->addPermission(p));
        QVERIFY(m_other->removePermission(QStringLiteral("canDeleteProfiles")));
        QVERIFY(m_other->setGranted(QStringLiteral("auditor"), QStringLiteral("canReadLists"), true));
        QVERIFY(m_other->setGranted(QStringLiteral("admin"), QStringLiteral("canTrackEvents"), false));

        QVERIFY(m_ws->changedElsewhere());
        QVERIFY(m_ws->refresh());
        QCOMPARE(resets.count(), 0);
        QCOMPARE(rowsInserted.count(), 1);
        QCOMPARE(rowsRemoved.count(), 1);
        QCOMPARE(columnsInserted.count(), 1);
        QCOMPARE(columnsRemoved.count(), 1);

        const Policy& policy = m_ws->policy();
        QCOMPARE(m_model->rowCount(), int(policy.roles.size()));
        QCOMPARE(m_model->columnCount(), int(policy.permissions.size()));
        for (int r = 0; r < m_model->rowCount(); ++r) {
            QCOMPARE(
                m_model->index(r, 0).data(RoleMatrixModel::RoleNameRole).toString(), policy.roles.at(r).name);
            for (int c = 0; c < m_model->columnCount(); ++c) {
                QCOMPARE(m_model->index(r, c).data(RoleMatrixModel::GrantedRole).toBool(),
                    policy.isGranted(policy.roles.at(r).name, policy.permissions.at(c).name));
            }
        }
        QCOMPARE(m_model->rowOfRole(QStringLiteral("backend")), 3); // renamed in place
        QVERIFY(m_model->isGranted(m_model->rowOfRole(QStringLiteral("auditor")),
            m_model->columnOfPermission(QStringLiteral("canReadLists"))));
    }

    void renameKeepsTheRow()
    {
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        QSignalSpy headers(m_model.get(), &QAbstractItemModel::headerDataChanged);
        QVERIFY(m_ws->renameRole(QStringLiteral("viewer"), QStringLiteral("reader")));
        QCOMPARE(removed.count(), 0);
        QVERIFY(headers.count() >= 1);
        QCOMPARE(m_model->headerData(3, Qt::Vertical).toString(), QStringLiteral("reader"));
        QCOMPARE(
            m_model->index(3, 0).data(RoleMatrixModel::RoleNameRole).toString(), QStringLiteral("reader"));
    }

    void importResetsOnlyWhatChanged()
    {
        Policy next = m_ws->policy();
        std::swap(next.roles[0], next.roles[1]); // import keeps stored (creation) order for survivors
        next.roles.removeLast();
        QVERIFY(m_ws->replacePolicy(next, QStringLiteral("test")));
        QCOMPARE(m_model->rowCount(), int(m_ws->policy().roles.size()));
        QCOMPARE(m_model->rowCount(), 4);
    }

    void filterModelFiltersBothAxes()
    {
        MatrixFilterModel filter;
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        filter.setSourceModel(m_model.get());
        QCOMPARE(filter.rowCount(), 5);
        QCOMPARE(filter.columnCount(), 8);

        filter.setRoleFilter(QStringLiteral("MARK"));
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.headerData(0, Qt::Vertical).toString(), QStringLiteral("marketer"));
        filter.setRoleFilter(QStringLiteral("read-only")); // description of viewer
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.headerData(0, Qt::Vertical).toString(), QStringLiteral("viewer"));

        filter.setPermissionFilter(QStringLiteral("profiles:write")); // a scope
        QCOMPARE(filter.columnCount(), 1);
        QCOMPARE(filter.headerData(0, Qt::Horizontal).toString(), QStringLiteral("canWriteProfiles"));
        filter.setPermissionFilter(QStringLiteral("webhook delete")); // words of an operation
        QCOMPARE(filter.columnCount(), 1);
        QCOMPARE(filter.headerData(0, Qt::Horizontal).toString(), QStringLiteral("canManageWebhooks"));
        QVERIFY(filter.isFiltering());

        // Edits go through the proxy to the workspace.
        QVERIFY(filter.setData(filter.index(0, 0), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(test::storedGrant(*m_ws, QStringLiteral("viewer"), QStringLiteral("canManageWebhooks")));

        filter.setRoleFilter({});
        filter.setPermissionFilter({});
        QCOMPARE(filter.rowCount(), 5);
        QCOMPARE(filter.columnCount(), 8);
    }

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString m_path;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<Workspace> m_other;
    std::unique_ptr<RoleMatrixModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_GUILESS_MAIN(TestRoleMatrixModel)
#include "tst_rolematrixmodel.moc"
