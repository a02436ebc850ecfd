// klaviyo-rbac end to end, as separate processes on real SQLite files.
#include "CliRunner.h"
#include "TestPaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

namespace {

using Run = test::CliResult;

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_ws;
    int m_counter = 0;

    Run cli(const QStringList& args, const QString& workspace = {})
    {
        test::CliOptions options;
        options.workspace = workspace.isEmpty() ? m_ws : workspace;
        options.unsetEnv << "KLAVIYO_RBAC_WORKSPACE";
        options.env.insert("KLAVIYO_RBAC_LOCK_TIMEOUT_MS", "1500"); // the lock test need not wait 15 s
        return test::runCli(args, options);
    }

    QString sqlite3() { return QStandardPaths::findExecutable("sqlite3"); }

private slots:
    void init()
    {
        m_ws = m_dir.filePath(QStringLiteral("ws%1.sqlite").arg(++m_counter));
        QCOMPARE(cli({"roles"}).exitCode, 0); // creates it with the defaults
    }

    void checkAnswersLikeTheMiddleware()
    {
        Run r = cli({"check", "marketer", "canSendCampaigns"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("allowed"));
        r = cli({"check", "viewer", "canSendCampaigns"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("forbidden (403): Role 'viewer' does not have permission: canSendCampaigns"),
            r.out);
        r = cli({"check", "nobody", "canReadProfiles"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2((r.out + r.err).contains("unauthenticated (401): no Klaviyo role 'nobody'"), r.err);
        r = cli({"check", "viewer", "canFly"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("canFly"));
    }

    void editingCommandsChangeTheWorkspace()
    {
        QCOMPARE(cli({"grant", "viewer", "canTrackEvents"}).exitCode, 0);
        QCOMPARE(cli({"check", "viewer", "canTrackEvents"}).exitCode, 0);
        QCOMPARE(cli({"revoke", "viewer", "canTrackEvents"}).exitCode, 0);
        QCOMPARE(cli({"check", "viewer", "canTrackEvents"}).exitCode, 1);
        QCOMPARE(
            cli({"role", "add", "support", "--from", "viewer", "--description", "Help desk"}).exitCode, 0);
        QCOMPARE(cli({"check", "support", "canViewReports"}).exitCode, 0);
        QCOMPARE(cli({"role", "rename", "support", "helpdesk"}).exitCode, 0);
        QCOMPARE(cli({"check", "support", "canViewReports"}).exitCode, 2);
        QCOMPARE(cli({"permission", "add", "canReadSegments", "--operations", "get_segments,get_segment",
                         "--description", "segments"})
                     .exitCode,
            0);
        QCOMPARE(cli({"grant", "helpdesk", "canReadSegments"}).exitCode, 0);
        Run r = cli({"scopes", "helpdesk", "--format", "list"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out,
            QByteArray("accounts:read\ncampaigns:read\nflows:read\nmetrics:read\nprofiles:read\n"
                       "segments:read\n"));
        QCOMPARE(cli({"permission", "remove", "canReadSegments"}).exitCode, 0);
        QCOMPARE(cli({"role", "remove", "helpdesk"}).exitCode, 0);
        r = cli({"audit", "list", "--format", "jsonl", "--limit", "100"});
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 9); // create + 8 changes
        QStringList actions;
        for (const QByteArray& line : lines)
            actions.prepend(QJsonDocument::fromJson(line).object().value("action").toString());
        QCOMPARE(actions,
            (QStringList {"workspace.create", "grant", "revoke", "role.clone", "role.rename",
                "permission.add", "grant", "permission.remove", "role.remove"}));
        QCOMPARE(cli({"audit", "verify"}).exitCode, 0);
    }

    void actorIsRecorded()
    {
        QCOMPARE(cli({"--actor", "bob", "grant", "viewer", "canTrackEvents"}).exitCode, 0);
        const Run r = cli({"audit", "list", "--limit", "1", "--format", "jsonl"});
        const QJsonObject e = QJsonDocument::fromJson(r.out.trimmed()).object();
        QCOMPARE(e.value("actor").toString(), QStringLiteral("bob"));
        QCOMPARE(e.value("action").toString(), QStringLiteral("grant"));
        QCOMPARE(e.value("details").toObject().value("origin").toString(), QStringLiteral("cli"));
    }

    void matrixFormats()
    {
        Run r = cli({"matrix", "--format", "csv"});
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY(lines.at(0).startsWith("role,canReadProfiles,canWriteProfiles"));
        QCOMPARE(lines.at(2).trimmed(), QByteArray("marketer,1,0,0,1,1,0,1,0"));
        r = cli({"matrix", "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("roles").toArray().size(), 5);
        QCOMPARE(cli({"matrix", "--format", "yaml"}).exitCode, 2);
    }

    void exportImportExportIsIdentical()
    {
        QCOMPARE(cli({"role", "add", "auditor", "--description", "Reads the trail"}).exitCode, 0);
        QCOMPARE(cli({"permission", "add", "canReadSegments", "--scopes", "segments:read"}).exitCode, 0);
        QCOMPARE(cli({"grant", "auditor", "canReadSegments"}).exitCode, 0);
        QCOMPARE(cli({"revoke", "admin", "canDeleteProfiles"}).exitCode, 0);
        const QString file = m_dir.filePath("policy.json");
        QCOMPARE(cli({"policy", "export", file}).exitCode, 0);
        const Run stdoutExport = cli({"policy", "export"});
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray first = f.readAll();
        QCOMPARE(stdoutExport.out, first);

        const QString fresh = m_dir.filePath("fresh.sqlite");
        QCOMPARE(cli({"policy", "import", file}, fresh).exitCode, 0);
        const Run second = cli({"policy", "export"}, fresh);
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(second.out, first);
        QCOMPARE(cli({"check", "auditor", "canReadSegments"}, fresh).exitCode, 0);
        QCOMPARE(cli({"check", "admin", "canDeleteProfiles"}, fresh).exitCode, 1);
        QCOMPARE(cli({"audit", "verify"}, fresh).exitCode, 0);
    }

    void malformedPolicyChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("truncated") << QByteArray(
            "{\"format\": \"klaviyo-rbac-policy\", \"version\": 1, \"permiss")
                                   << QByteArray("not valid JSON at line 1");
        QTest::newRow("wrong type") << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","operations":"get_lists"}],"roles":[]})")
                                    << QByteArray(
                                           "$.permissions[0].operations: expected an array of strings");
        QTest::newRow("unknown scope")
            << QByteArray(R"({"format":"klaviyo-rbac-policy","version":1,
            "permissions":[{"name":"p","scopes":["lists:admin"]}],"roles":[]})")
            << QByteArray("$.permissions[0].scopes[0]: unknown Klaviyo scope 'lists:admin'");
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff", 4) << QByteArray("not valid JSON");
    }

    void malformedPolicyChangesNothing()
    {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, expected);
        const QString file = m_dir.filePath("bad.json");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(content);
        f.close();
        const QByteArray before = test::fileDigest(m_ws);
        const Run r = cli({"policy", "import", file});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expected), r.err);
        QVERIFY(r.err.contains("nothing was changed"));
        QCOMPARE(test::fileDigest(m_ws), before);
        QVERIFY(!QFile::exists(m_ws + "-wal"));
        QCOMPARE(cli({"policy", "import", m_dir.filePath("missing.json")}).exitCode, 2);
    }

    void tamperingThroughSqlite3IsNamed_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QByteArray>("expected");
        for (int id = 1; id <= 4; ++id) {
            QTest::addRow("update %d", id)
                << QStringLiteral("UPDATE audit_log SET resource = 'x' WHERE id = %1").arg(id)
                << QStringLiteral("BROKEN at entry %1").arg(id).toUtf8();
            QTest::addRow("delete %d", id) << QStringLiteral("DELETE FROM audit_log WHERE id = %1").arg(id)
                                           << QStringLiteral("BROKEN at entry %1").arg(id).toUtf8();
        }
    }

    void tamperingThroughSqlite3IsNamed()
    {
        QFETCH(QString, sql);
        QFETCH(QByteArray, expected);
        if (sqlite3().isEmpty())
            QSKIP("the sqlite3 shell is not installed");
        QCOMPARE(cli({"grant", "viewer", "canTrackEvents"}).exitCode, 0);
        QCOMPARE(cli({"role", "add", "x1"}).exitCode, 0);
        QCOMPARE(cli({"role", "remove", "x1"}).exitCode, 0);
        QCOMPARE(cli({"audit", "verify"}).exitCode, 0);
        QCOMPARE(QProcess::execute(sqlite3(), {m_ws, sql}), 0);
        const Run r = cli({"audit", "verify"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(expected), r.out);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList {};
        QTest::newRow("unknown command") << QStringList {"frobnicate"};
        QTest::newRow("group without subcommand") << QStringList {"role"};
        QTest::newRow("missing argument") << QStringList {"grant", "viewer"};
        QTest::newRow("extra argument") << QStringList {"roles", "extra"};
        QTest::newRow("unknown option") << QStringList {"roles", "--colour"};
        QTest::newRow("bad limit") << QStringList {"audit", "list", "--limit", "abc"};
        QTest::newRow("zero limit") << QStringList {"audit", "list", "--limit", "0"};
        QTest::newRow("bad format") << QStringList {"audit", "list", "--format", "xml"};
        QTest::newRow("permission without operations") << QStringList {"permission", "add", "p"};
        QTest::newRow("unknown operation") << QStringList {"permission", "add", "p", "--operations", "fly"};
        QTest::newRow("bad role name") << QStringList {"role", "add", "two words"};
        QTest::newRow("duplicate role") << QStringList {"role", "add", "admin"};
        QTest::newRow("unknown role") << QStringList {"role", "remove", "ghost"};
        QTest::newRow("scopes of unknown role") << QStringList {"scopes", "ghost"};
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        const QByteArray before = test::fileDigest(m_ws);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.err.isEmpty());
        QCOMPARE(test::fileDigest(m_ws), before);
    }

    void helpForEveryCommand()
    {
        const Run global = cli({"--help"});
        QCOMPARE(global.exitCode, 0);
        for (const QByteArray& line : global.out.split('\n')) {
            if (!line.startsWith("  ") || line.startsWith("  -"))
                continue;
            const QStringList words = QString::fromUtf8(line).section("  ", 1, 1).trimmed().split(' ');
            if (words.isEmpty() || words.first().isEmpty() || words.first().startsWith('$')
                || words.first().startsWith('/'))
                continue;
            const Run r = cli(words + QStringList {"--help"});
            QVERIFY2(r.exitCode == 0 && r.out.startsWith("Usage: klaviyo-rbac"), qPrintable(words.join(' ')));
        }
        const QString version = cli({"--version"}).out;
        QVERIFY2(version.startsWith("klaviyo-rbac " RBAC_VERSION "\n"), qPrintable(version));
        QVERIFY2(version.contains(QStringLiteral("Qt %1\n").arg(qVersion())), qPrintable(version));
        QVERIFY2(
            version.contains(QRegularExpression("\nQtKeychain \\d+\\.\\d+\\.\\d+\n")), qPrintable(version));
        QVERIFY2(
            version.contains("Klaviyo API revision 2026-07-15 (beta 2026-07-15.pre)"), qPrintable(version));
        QVERIFY2(version.contains("SHA-256 deb88f1dfad8"), qPrintable(version));
    }

    void settingsAreValidatedThenAudited()
    {
        Run r = cli({"setting", "list"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("klaviyo.baseUrl     (https://a.klaviyo.com)"), r.out.constData());
        const QByteArray before = test::fileDigest(m_ws);
        const QList<QPair<QStringList, QByteArray>> refused {
            {{"klaviyo.baseUrl", "http://klaviyo.example"}, "must use https"},
            {{"klaviyo.revision", "yesterday"}, "not a Klaviyo revision"},
            {{"keys.rotationDays", "0"}, "number of days"},
            {{"oauth.tokenUrl", "ftp://a.klaviyo.com/oauth/token"}, "must use https"},
            {{"no.such.key", "1"}, "no setting 'no.such.key'"},
        };
        for (const auto& [args, why] : refused) {
            r = cli(QStringList {"setting", "set"} + args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(why), r.err.constData());
        }
        QCOMPARE(test::fileDigest(m_ws), before);

        r = cli({"setting", "set", "klaviyo.baseUrl", "http://127.0.0.1:8080"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(cli({"setting", "list"}).out.contains("klaviyo.baseUrl     http://127.0.0.1:8080 "));
        r = cli({"audit", "list", "--limit", "1", "--format", "jsonl"});
        const QJsonObject e = QJsonDocument::fromJson(r.out.trimmed()).object();
        QCOMPARE(e.value("action").toString(), QStringLiteral("setting.set"));
        QCOMPARE(e.value("resource").toString(), QStringLiteral("setting:klaviyo.baseUrl"));
    }

    void environmentFailuresExit3()
    {
        // Not a workspace: refused, untouched.
        const QString notes = m_dir.filePath("notes.txt");
        QFile f(notes);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("shopping list\n");
        f.close();
        Run r = cli({"roles"}, notes);
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("not a Klaviyo RBAC workspace"));

        // Locked: another program holds the write lock longer than the busy timeout.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "locker");
            db.setDatabaseName(m_ws);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("BEGIN IMMEDIATE"));
            r = cli({"grant", "viewer", "canTrackEvents"});
            QVERIFY(q.exec("ROLLBACK"));
            db.close();
        }
        QSqlDatabase::removeDatabase("locker");
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("locked"), r.err);
        QCOMPARE(cli({"check", "viewer", "canTrackEvents"}).exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
