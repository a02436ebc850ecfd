// The console on a team workspace: File ▸ Open team workspace with a PostgreSQL URI, a bad URI
// refused with its reason, and another admin's change showing in the open matrix by itself.
#include "TestConsole.h"
#include "widgets/FileDialog.h"
#include "window/MainWindow.h"
#include "matrix/MatrixPage.h"
#include "widgets/MessageBox.h"
#include "items/RoleMatrixModel.h"
#include "TestWorkspaces.h"
#include "workspace/Workspace.h"

#include <QAction>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestPostgresConsole : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    test::TestWorkspaces m_pg {m_dir.path()};

    std::unique_ptr<test::WithServices> m_services; // for the window fileWindow() made last

    std::unique_ptr<MainWindow> fileWindow()
    {
        auto opened = Workspace::open(m_dir.filePath(QStringLiteral("local.sqlite")));
        m_services = std::make_unique<test::WithServices>(std::move(opened.value()));
        return std::make_unique<MainWindow>(m_services->get());
    }

    static bool granted(MainWindow& window, const QString& role, const QString& permission)
    {
        RoleMatrixModel* model = window.matrixPage()->model();
        const QModelIndex cell = model->index(model->rowOfRole(role), model->columnOfPermission(permission));
        return cell.data(Qt::CheckStateRole).toInt() == Qt::Checked;
    }

private slots:
    void initTestCase()
    {
        if (!m_pg.postgres())
            QSKIP("run under tests/pg/with-postgres.sh");
        QStandardPaths::setTestModeEnabled(true);
        MessageBox::setTestMode(true);
        FileDialog::setTestMode(true);
    }

    void init()
    {
        QSettings().clear();
        MessageBox::clearHistory();
    }

    void openATeamWorkspaceAndSeeOthersChangesLive()
    {
        const QString uri = m_pg.next();
        auto window = fileWindow();
        window->show();
        FileDialog::setNextFileName(uri);
        window->findChild<QAction*>(QStringLiteral("openTeamWorkspaceAction"))->trigger();
        QVERIFY2(MessageBox::history().isEmpty(), qPrintable(MessageBox::history().value(0).informativeText));
        QVERIFY(window->workspace()->path().startsWith(QLatin1String("postgresql://")));
        QVERIFY(window->windowTitle().contains(QLatin1String("postgresql://")));
        QCOMPARE(window->matrixPage()->model()->rowCount(), 5);
        QVERIFY(!granted(*window, QStringLiteral("viewer"), QStringLiteral("canTrackEvents")));

        // Another admin, another connection: the open matrix follows without a refresh.
        auto other = Workspace::open(uri);
        QVERIFY2(other.isOk(), qPrintable(other.status().message()));
        QVERIFY(other.value()->setGranted(QStringLiteral("viewer"), QStringLiteral("canTrackEvents"), true));
        QTRY_VERIFY_WITH_TIMEOUT(
            granted(*window, QStringLiteral("viewer"), QStringLiteral("canTrackEvents")), 5000);
    }

    void aBadUriIsNamedAndNothingChanges()
    {
        auto window = fileWindow();
        const QString before = window->workspace()->path();
        for (const QString& uri : {QStringLiteral("postgresql://alice:hunter2@127.0.0.1/x"),
                 QStringLiteral("mysql://127.0.0.1/x")}) {
            MessageBox::clearHistory();
            FileDialog::setNextFileName(uri);
            window->findChild<QAction*>(QStringLiteral("openTeamWorkspaceAction"))->trigger();
            QCOMPARE(MessageBox::history().size(), 1);
            QCOMPARE(window->workspace()->path(), before);
            // The reason is given, and a password typed into the URI is never echoed back.
            const MessageBox::Shown shown = MessageBox::history().constFirst();
            QVERIFY(!(shown.text + shown.informativeText).contains(QLatin1String("hunter2")));
        }
    }
};

QTEST_MAIN(TestPostgresConsole)
#include "tst_postgres_console.moc"
