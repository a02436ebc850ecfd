// The application's WorkspaceServices: the key service, its orphan-key cleanup and the OAuth
// service live with the open workspace, not with a page. Here no window and no page exist at all:
// a role removed behind the key service's back still loses its keychain entry, audited.
#include "KeyTestSupport.h"
#include "keychain/KeyService.h"
#include "keychain/MemorySecretStore.h"
#include "oauth/OAuthService.h"
#include "runtime/WorkspaceServices.h"
#include "workspace/Workspace.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;
using namespace rbac::test;

class TestWorkspaceServices : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<Workspace> open(const QString& name)
    {
        auto opened = Workspace::open(m_dir.filePath(name));
        return opened ? std::move(opened.value()) : nullptr;
    }

private slots:
    void orphanKeyCleanupRunsWithoutAnyPage()
    {
        MemorySecretStore keychain;
        WorkspaceServices services(&keychain);
        QVERIFY(!services.keys());
        QVERIFY(!services.setWorkspace(open(QStringLiteral("a.sqlite"))));
        Workspace* ws = services.workspace();
        QVERIFY(ws && services.keys() && services.oauth());

        const QByteArray key = "pk_orphan0123456789abcdef0123456789CCCC";
        QVERIFY(await([&](KeyService::Done done) {
            services.keys()->storeKey(QStringLiteral("service"), key, std::nullopt, done);
        }));
        const QString entry
            = KeyService::entryName(ws->id(), ws->policy().role(QStringLiteral("service"))->uid);
        QVERIFY(keychain.contains(entry));

        QVERIFY(ws->removeRole(QStringLiteral("service"))); // not through the key service
        QTRY_VERIFY(!keychain.contains(entry));
        QTRY_COMPARE(ws->auditLog().latest(1)->constFirst().action, QStringLiteral("key.remove"));

        // Locked: the entry stays and the services say so, for whatever page is shown.
        QVERIFY(await([&](KeyService::Done done) {
            services.keys()->storeKey(QStringLiteral("viewer"), key, std::nullopt, done);
        }));
        const QString locked
            = KeyService::entryName(ws->id(), ws->policy().role(QStringLiteral("viewer"))->uid);
        keychain.setMode(MemorySecretStore::Mode::Locked);
        QSignalSpy problem(&services, &WorkspaceServices::keychainProblem);
        QVERIFY(ws->removeRole(QStringLiteral("viewer")));
        QTRY_COMPARE(problem.size(), 1);
        QVERIFY(problem.at(0).at(0).toString().contains(locked));
        QVERIFY(keychain.contains(locked));
    }

    void anotherWorkspaceReplacesItsServices()
    {
        MemorySecretStore keychain;
        WorkspaceServices services(&keychain);
        QVERIFY(!services.setWorkspace(open(QStringLiteral("b.sqlite"))));
        QPointer<KeyService> keys = services.keys();
        QPointer<OAuthService> oauth = services.oauth();
        std::unique_ptr<Workspace> previous = services.setWorkspace(open(QStringLiteral("c.sqlite")));
        QVERIFY(previous);
        QVERIFY(!keys && !oauth); // the old workspace's services are gone before it closes
        QVERIFY(services.keys() && services.keys()->workspace() == services.workspace());
        QVERIFY(services.workspace()->path().endsWith(QLatin1String("c.sqlite")));
        services.setWorkspace(nullptr);
        QVERIFY(!services.keys() && !services.oauth() && !services.workspace());
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceServices)
#include "tst_workspaceservices.moc"
