// klaviyo-rbac key … as real processes: the key on stdin, the keyring a real Secret Service
// (with-test-keyring.sh), Klaviyo the loopback stand-in via KLAVIYO_API_BASE_URL.
#include "CliRunner.h"
#include "FakeKlaviyoServer.h"
#include "KeyTestSupport.h"
#include "policy/PolicyEngine.h"
#include "keychain/QtKeychainStore.h"
#include "policy/ScopeCatalog.h"
#include "TestPaths.h"
#include "workspace/Workspace.h"
#include "WorkspaceProbe.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;
using namespace rbac::test;

namespace {
const QByteArray adminKey = "pk_cliadmin0123456789abcdef0123456789AD";
const QByteArray otherKey = "pk_cliother0123456789abcdef0123456789OT";

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    qint64 ms = 0;
};

QString secretToolSearch()
{
    QProcess p;
    p.start(QStringLiteral("secret-tool"),
        {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("server"),
            QtKeychainStore::serviceName()});
    p.waitForFinished(15000);
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}
} // namespace

class TestKeyCli : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;
    FakeKlaviyoServer server;
    QString workspace;

    // `extra`: changes to the environment; KLAVIYO_API_BASE_URL is always the stand-in.
    Run cli(const QStringList& args, const QByteArray& stdinData = {}, CliOptions extra = {})
    {
        extra.workspace = workspace;
        extra.env.insert(QStringLiteral("KLAVIYO_API_BASE_URL"), server.baseUrl().toString());
        extra.input = stdinData;
        extra.timeoutMs = 120000;
        extra.eventLoop = true; // the stand-in lives in this thread and must keep answering
        const CliResult result = runCli(args, extra);
        if (result.timedOut)
            return {};
        Run r {result.exitCode, QString::fromUtf8(result.out), QString::fromUtf8(result.err), result.ms};
        // Nothing a command prints ever shows a key.
        for (const QByteArray& k : {adminKey, otherKey}) {
            if (r.out.contains(QString::fromLatin1(k.mid(3, 10)))
                || r.err.contains(QString::fromLatin1(k.mid(3, 10))))
                r.exitCode = 99;
        }
        return r;
    }

    QStringList required(const QString& role)
    {
        auto ws = Workspace::open(workspace, Workspace::OpenMode::ExistingOnly);
        const Role* r = (*ws)->policy().role(role);
        return PolicyEngine::requiredScopeNames((*ws)->policy(), *r, ScopeCatalog::builtin());
    }

    qint64 audits()
    {
        auto ws = Workspace::open(workspace, Workspace::OpenMode::ExistingOnly);
        return ws ? auditCount(**ws) : -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFileInfo::exists(cliPath()));
        QVERIFY(server.listen());
        workspace = dir.filePath(QStringLiteral("w.sqlite"));
        QCOMPARE(cli({QStringLiteral("roles")}).exitCode, 0);
    }

    void cleanupTestCase()
    {
        QVERIFY2(server.problems().isEmpty(), qPrintable(server.problems().join(QLatin1Char('\n'))));
    }

    void keyNeverComesFromTheCommandLine()
    {
        Run r = cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("admin"),
            QString::fromLatin1(adminKey)});
        QCOMPARE(r.exitCode, 2);
        r = cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("admin")}, "AbC123\n");
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("public key")), qPrintable(r.err));
        r = cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("admin")}, "");
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!secretToolSearch().contains(QLatin1String("klaviyo-rbac-console")));
    }

    void setStatusLinkFromStdin()
    {
        const Run set
            = cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("admin")}, adminKey + "\n");
        QCOMPARE(set.exitCode, 0);
        QVERIFY2(set.out.contains(QStringLiteral("pk_\u2026") + QString::fromLatin1(adminKey.right(4))),
            qPrintable(set.out));
        QVERIFY(!set.out.contains(QString::fromLatin1(adminKey.left(12))));
        QVERIFY(secretToolSearch().contains(QLatin1String("attribute.server = klaviyo-rbac-console")));
        qInfo("key set: %lld ms", set.ms);

        const Run status = cli({QStringLiteral("key"), QStringLiteral("status")});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains(QStringLiteral("admin      stored")), qPrintable(status.out));
        QVERIFY(status.out.contains(QStringLiteral("pk_\u2026") + QString::fromLatin1(adminKey.right(4))));

        const Run link = cli({QStringLiteral("key"), QStringLiteral("link"), QStringLiteral("admin")});
        QCOMPARE(link.exitCode, 0);
        QCOMPARE(link.out.trimmed(), PolicyEngine::createKeyLink(required(QStringLiteral("admin"))));
    }

    void verifyExitCodes()
    {
        // All required read scopes: 0.
        server.addKey(adminKey, required(QStringLiteral("admin")));
        Run r = cli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("admin")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("Fake Shop Ltd")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("public key AbC123, test account")));
        QVERIFY(r.out.contains(QLatin1String("result: verified")));
        QVERIFY(r.out.contains(QLatin1String("required write scopes Klaviyo offers no safe probe for")));
        qInfo("key verify: %lld ms", r.ms);
        QVERIFY(cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("admin")})
                    .out.contains(QLatin1String("verified")));

        // A missing scope: 1.
        QStringList fewer = required(QStringLiteral("admin"));
        fewer.removeAll(QStringLiteral("lists:read"));
        server.addKey(adminKey, fewer);
        r = cli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("admin")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.out.contains(QLatin1String("missing (the role will fail): lists:read")), qPrintable(r.out));

        // Excess only: still 0, with the excess named.
        server.addKey(
            adminKey, required(QStringLiteral("admin")) + QStringList {QStringLiteral("events:read")});
        r = cli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("admin"),
            QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("\"excess-scopes\"")), qPrintable(r.out));

        // Throttled once: waits (Retry-After: 1) and still answers 0.
        server.addKey(adminKey, required(QStringLiteral("admin")));
        server.inject({QStringLiteral("/api/accounts"), 429, "1", {}, {}, false});
        r = cli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("admin")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.ms >= 1000, qPrintable(QString::number(r.ms)));

        // Klaviyo does not know the key (401): 1.
        server.removeKey(adminKey);
        r = cli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("admin")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QLatin1String("does not accept this key")), qPrintable(r.out));
        QVERIFY(cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("admin")})
                    .out.contains(QLatin1String("bad key")));

        // Nobody listening: 3.
        FakeKlaviyoServer other;
        QVERIFY(other.listen());
        const QString closed = QStringLiteral("http://127.0.0.1:%1").arg(other.baseUrl().port());
        other.close();
        CliOptions options;
        options.workspace = workspace;
        options.env.insert(QStringLiteral("KLAVIYO_API_BASE_URL"), closed);
        const CliResult direct
            = runCli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("admin")}, options);
        QVERIFY(!direct.timedOut);
        QCOMPARE(direct.exitCode, 3);
        QVERIFY(QString::fromUtf8(direct.err).contains(QLatin1String("could not reach Klaviyo")));
        server.addKey(adminKey, required(QStringLiteral("admin")));
    }

    void setWithVerifyStoresOnlyGoodKeys()
    {
        Run r = cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("marketer"),
                        QStringLiteral("--verify")},
            "pk_unknown0123456789abcdef0123456789ab");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("not stored")), qPrintable(r.err));
        QVERIFY(cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("marketer")})
                    .out.contains(QLatin1String("none")));

        server.addKey(otherKey, required(QStringLiteral("marketer")));
        r = cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("marketer"),
                    QStringLiteral("--verify")},
            otherKey);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("marketer")})
                    .out.contains(QLatin1String("verified")));
    }

    void rotationAndRemoval()
    {
        Run r = cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("marketer")}, adminKey);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("replaced key")), qPrintable(r.out));
        r = cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("marketer")});
        QVERIFY2(r.out.contains(QStringLiteral("delete pk_\u2026") + QString::fromLatin1(otherKey.right(4))),
            qPrintable(r.out));
        QCOMPARE(cli({QStringLiteral("key"), QStringLiteral("confirm-deleted"), QStringLiteral("marketer"),
                         QString::fromLatin1(otherKey.right(4))})
                     .exitCode,
            0);
        QVERIFY(!cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("marketer")})
                     .out.contains(QLatin1String("delete pk_")));

        r = cli({QStringLiteral("key"), QStringLiteral("remove"), QStringLiteral("marketer")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("marketer")})
                    .out.contains(QLatin1String("none")));
        QCOMPARE(
            cli({QStringLiteral("key"), QStringLiteral("verify"), QStringLiteral("marketer")}).exitCode, 2);
    }

    void roleRemoveDeletesTheEntry()
    {
        QCOMPARE(
            cli({QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("viewer")}, otherKey).exitCode,
            0);
        const int before
            = secretToolSearch().count(QStringLiteral("attribute.server = klaviyo-rbac-console"));
        const Run r = cli({QStringLiteral("role"), QStringLiteral("remove"), QStringLiteral("viewer")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(
            secretToolSearch().count(QStringLiteral("attribute.server = klaviyo-rbac-console")), before - 1);
        const Run audit = cli({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--limit"),
            QStringLiteral("2")});
        QVERIFY2(audit.out.contains(QLatin1String("key.remove"))
                && audit.out.contains(QLatin1String("role.remove")),
            qPrintable(audit.out));
    }

    void noSecretServiceMeansExit3AndNothingWritten()
    {
        CliOptions noKeyring;
        noKeyring.env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
            QStringLiteral("unix:path=") + dir.filePath(QStringLiteral("no-such-socket")));
        noKeyring.unsetEnv << QStringLiteral("DISPLAY") << QStringLiteral("WAYLAND_DISPLAY");
        const QByteArray digest = fileDigest(workspace);
        const qint64 before = audits();
        const Run r = cli(
            {QStringLiteral("key"), QStringLiteral("set"), QStringLiteral("developer")}, otherKey, noKeyring);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QLatin1String("keychain is locked or unavailable")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("not stored")), qPrintable(r.err));
        QCOMPARE(fileDigest(workspace), digest);
        QCOMPARE(audits(), before);
        qInfo("key set without a Secret Service: exit 3 after %lld ms", r.ms);

        const Run status = cli({QStringLiteral("key"), QStringLiteral("status")}, {}, noKeyring);
        QCOMPARE(status.exitCode, 3);
        QVERIFY(status.out.contains(QLatin1String("keychain unavailable")));
        QCOMPARE(cli({QStringLiteral("key"), QStringLiteral("status"), QStringLiteral("--skip-keychain")}, {},
                     noKeyring)
                     .exitCode,
            0);
    }

    void policyImportNeverOrphansAKey()
    {
        // admin still has its key (setStatusLinkFromStdin): a policy without admin is refused.
        const Run exported = cli({QStringLiteral("policy"), QStringLiteral("export")});
        QCOMPARE(exported.exitCode, 0);
        QJsonObject policy = QJsonDocument::fromJson(exported.out.toUtf8()).object();
        QJsonArray roles = policy.value(QStringLiteral("roles")).toArray();
        for (int i = 0; i < roles.size(); ++i) {
            if (roles.at(i).toObject().value(QStringLiteral("name")).toString() == QLatin1String("admin"))
                roles.removeAt(i--);
        }
        policy.insert(QStringLiteral("roles"), roles);
        const QString file = dir.filePath(QStringLiteral("without-admin.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(policy).toJson());
        f.close();
        const int entries
            = secretToolSearch().count(QStringLiteral("attribute.server = klaviyo-rbac-console"));

        Run r = cli({QStringLiteral("policy"), QStringLiteral("import"), file});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains(QLatin1String("(admin)")) && r.err.contains(QLatin1String("key remove admin")),
            qPrintable(r.err));
        QVERIFY(cli({QStringLiteral("roles")}).out.contains(QLatin1String("admin")));
        QCOMPARE(
            secretToolSearch().count(QStringLiteral("attribute.server = klaviyo-rbac-console")), entries);

        QCOMPARE(cli({QStringLiteral("key"), QStringLiteral("remove"), QStringLiteral("admin")}).exitCode, 0);
        r = cli({QStringLiteral("policy"), QStringLiteral("import"), file});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!cli({QStringLiteral("roles")}).out.contains(QLatin1String("admin")));
        QCOMPARE(
            secretToolSearch().count(QStringLiteral("attribute.server = klaviyo-rbac-console")), entries - 1);
    }
};

QTEST_GUILESS_MAIN(TestKeyCli)
#include "tst_keycli.moc"
