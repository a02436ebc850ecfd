// klaviyo-rbac on a shared PostgreSQL workspace, as processes: the everyday commands, copies
// both ways with the audit chain intact, and the failures a team server brings.
#include "CliRunner.h"
#include "TestWorkspaces.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

namespace {

using Run = test::CliResult;

Run cli(const QStringList& args, const QProcessEnvironment& extra = {})
{
    test::CliOptions options;
    options.unsetEnv << "KLAVIYO_RBAC_WORKSPACE";
    options.env.insert("KLAVIYO_RBAC_LOCK_TIMEOUT_MS", "1500");
    options.env.insert(extra);
    return test::runCli(args, options);
}

} // namespace

class TestPostgresCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TestWorkspaces m_pg {m_dir.path()};

private slots:
    void initTestCase()
    {
        if (!m_pg.postgres())
            QSKIP("run under tests/pg/with-postgres.sh");
    }

    void everydayCommands()
    {
        const QString ws = m_pg.next();
        QCOMPARE(cli({"--workspace", ws, "check", "marketer", "canSendCampaigns"}).exitCode, 0);
        QCOMPARE(cli({"--workspace", ws, "grant", "viewer", "canTrackEvents"}).exitCode, 0);
        QCOMPARE(cli({"--workspace", ws, "role", "add", "support", "--from", "viewer"}).exitCode, 0);
        QCOMPARE(cli({"--workspace", ws, "check", "support", "canTrackEvents"}).exitCode, 0);
        const Run list = cli({"--workspace", ws, "audit", "list", "--limit", "1", "--format", "jsonl"});
        const QJsonObject e = QJsonDocument::fromJson(list.out.trimmed()).object();
        QCOMPARE(e.value("action").toString(), QStringLiteral("role.clone"));
        // A shared trail names the database account as well as the person.
        QCOMPARE(e.value("details").toObject().value("dbRole").toString(), QStringLiteral("rbac"));
        QCOMPARE(cli({"--workspace", ws, "audit", "verify"}).exitCode, 0);
    }

    void copiesBothWaysKeepTheChain()
    {
        const QString file = m_dir.filePath("source.sqlite");
        QCOMPARE(cli({"--workspace", file, "grant", "viewer", "canTrackEvents"}).exitCode, 0);
        QCOMPARE(
            cli({"--workspace", file, "permission", "add", "canReadSegments", "--scopes", "segments:read"})
                .exitCode,
            0);
        QCOMPARE(cli({"--workspace", file, "role", "add", "auditor"}).exitCode, 0);
        const QByteArray policy = cli({"--workspace", file, "policy", "export"}).out;

        const QString pg = m_pg.next();
        Run r = cli({"workspace", "copy", file, pg});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("verifies"));
        QCOMPARE(cli({"--workspace", pg, "policy", "export"}).out, policy);
        QCOMPARE(cli({"--workspace", pg, "audit", "verify"}).exitCode, 0);
        // New rows after the copy get fresh ids (identity sequences moved past the copied rows).
        QCOMPARE(cli({"--workspace", pg, "role", "add", "later"}).exitCode, 0);

        const QString back = m_dir.filePath("back.sqlite");
        r = cli({"workspace", "copy", pg, back});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(cli({"--workspace", back, "audit", "verify"}).exitCode, 0);
        QCOMPARE(cli({"--workspace", back, "check", "later", "canReadProfiles"}).exitCode, 1);
        const QList<QByteArray> entries
            = cli({"--workspace", back, "audit", "list", "--limit", "100", "--format", "jsonl"})
                  .out.trimmed()
                  .split('\n');
        QStringList actions;
        for (const QByteArray& line : entries)
            actions << QJsonDocument::fromJson(line).object().value("action").toString();
        QCOMPARE(actions.count("workspace.copy"), 4); // recorded in each source and each destination
        QCOMPARE(actions.last(), QStringLiteral("workspace.create")); // the chain goes back to the start

        // Never over something that holds data.
        r = cli({"workspace", "copy", file, pg});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("already holds data"));
    }

    void connectionFailuresExit3()
    {
        const QString uri = qEnvironmentVariable("RBAC_TEST_PG_URI");
        // Nothing listens on port 1.
        Run r = cli({"--workspace", "postgresql://rbac@127.0.0.1:1/postgres", "roles"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("cannot open"), r.err.constData());
        // Wrong password (from a password file, as it should be).
        const QString pgpass = m_dir.filePath("wrong.pgpass");
        QFile f(pgpass);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("*:*:*:rbac:not-the-password\n");
        f.close();
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QProcessEnvironment env;
        env.insert("PGPASSFILE", pgpass);
        r = cli({"--workspace", uri, "roles"}, env);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("password authentication failed"), r.err.constData());
        QVERIFY(!r.err.contains("not-the-password"));
        // A password in the URI is refused before anything connects.
        QString withPassword = uri;
        withPassword.replace("rbac@", "rbac:secret@");
        r = cli({"--workspace", withPassword, "roles"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(".pgpass"));
        QVERIFY(!r.err.contains("secret"));
    }

    void newerSchemaIsRefusedUntouched()
    {
        const QString ws = m_pg.next();
        QCOMPARE(cli({"--workspace", ws, "roles"}).exitCode, 0);
        const WorkspaceLocation location = WorkspaceLocation::parse(ws).value();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL", "bump");
            db.setHostName(location.host);
            db.setPort(location.port);
            db.setDatabaseName(location.database);
            db.setUserName(location.user);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("UPDATE schema_meta SET value = '99' WHERE key = 'schema_version'"));
            QVERIFY(q.exec("SELECT COUNT(*) FROM audit_log") && q.next());
            const qint64 entries = q.value(0).toLongLong();
            const Run r = cli({"--workspace", ws, "grant", "viewer", "canTrackEvents"});
            QCOMPARE(r.exitCode, 3);
            QVERIFY(r.err.contains("newer than this console"));
            QVERIFY(q.exec("SELECT COUNT(*) FROM audit_log") && q.next());
            QCOMPARE(q.value(0).toLongLong(), entries);
            db.close();
        }
        QSqlDatabase::removeDatabase("bump");
    }

    void lockedByAnotherWriterExit3()
    {
        const QString ws = m_pg.next();
        QCOMPARE(cli({"--workspace", ws, "roles"}).exitCode, 0);
        const WorkspaceLocation location = WorkspaceLocation::parse(ws).value();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QPSQL", "locker");
            db.setHostName(location.host);
            db.setPort(location.port);
            db.setDatabaseName(location.database);
            db.setUserName(location.user);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("SELECT pg_advisory_lock(1802269302)")); // the writers' lock ("klrv")
            const Run r = cli({"--workspace", ws, "grant", "viewer", "canTrackEvents"});
            QCOMPARE(r.exitCode, 3);
            QVERIFY2(r.err.contains("locked"), r.err.constData());
            QVERIFY(q.exec("SELECT pg_advisory_unlock(1802269302)"));
            db.close();
        }
        QSqlDatabase::removeDatabase("locker");
        QCOMPARE(cli({"--workspace", ws, "grant", "viewer", "canTrackEvents"}).exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestPostgresCli)
#include "tst_postgres_cli.moc"
