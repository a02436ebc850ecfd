#include "workspace/Schema.h"
#include "TestPaths.h"
#include "workspace/Workspace.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestSchema : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("ws%1.sqlite").arg(++m_counter)); }

    // Runs SQL on a file through a connection of its own, as another program would.
    static void sql(const QString& path, const QStringList& statements)
    {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "raw");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            for (const QString& s : statements) {
                QSqlQuery q(db);
                QVERIFY2(q.exec(s), qPrintable(s));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase("raw");
    }

    static QStringList schemaOf(const QString& path)
    {
        QStringList out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "schema");
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery q(db);
                q.exec("SELECT type, name, sql FROM sqlite_master ORDER BY type, name");
                while (q.next())
                    out << q.value(0).toString() + ' ' + q.value(1).toString() + ' ' + q.value(2).toString();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase("schema");
        return out;
    }

    static QString meta(Workspace& ws, const QString& key)
    {
        QSqlQuery q(ws.database());
        q.prepare("SELECT value FROM schema_meta WHERE key = ?");
        q.addBindValue(key);
        return q.exec() && q.next() ? q.value(0).toString() : QString();
    }

private slots:
    void freshWorkspaceIsLatestWithDefaults()
    {
        const QString path = freshPath();
        auto ws = Workspace::open(path);
        QVERIFY2(ws, qPrintable(ws.status().message()));
        QCOMPARE(meta(**ws, "schema_version").toInt(), Schema::latestVersion());
        QCOMPARE(meta(**ws, "format"), QStringLiteral("klaviyo-rbac-workspace"));
        QVERIFY(!(*ws)->id().isEmpty());
        QCOMPARE(meta(**ws, "workspace_id"), (*ws)->id());
        QCOMPARE((*ws)->policy().roles.size(), 5);
        QCOMPARE((*ws)->policy().permissions.size(), 8);
        QSqlQuery q((*ws)->database());
        QVERIFY(q.exec("PRAGMA journal_mode") && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec("PRAGMA foreign_keys") && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        const auto entries = (*ws)->auditLog().latest(5).value();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().action, QStringLiteral("workspace.create"));
    }

    void reopeningKeepsIdentityAndWritesNothing()
    {
        const QString path = freshPath();
        QString id;
        {
            auto ws = Workspace::open(path);
            QVERIFY(ws);
            id = (*ws)->id();
        }
        const QByteArray before = test::fileDigest(path);
        {
            auto ws = Workspace::open(path);
            QVERIFY(ws);
            QCOMPARE((*ws)->id(), id);
            QCOMPARE((*ws)->auditLog().count().value(), 1);
        }
        QCOMPARE(test::fileDigest(path), before);
    }

    // A version-1 workspace (as an older console left it) moves forward, keeping its data.
    void migratesFromVersion1()
    {
        const QString path = freshPath();
        QStringList v1 = Schema::migrations().first().statements;
        v1 << "INSERT INTO schema_meta VALUES ('format', 'klaviyo-rbac-workspace')"
           << "INSERT INTO schema_meta VALUES ('schema_version', '1')"
           << "INSERT INTO schema_meta VALUES ('workspace_id', 'old-ws')"
           << "INSERT INTO roles (id, uid, name, description, created_at) VALUES (1, 'u1', 'legacy', '', "
              "'t')";
        sql(path, v1);
        auto ws = Workspace::open(path);
        QVERIFY2(ws, qPrintable(ws.status().message()));
        QCOMPARE(meta(**ws, "schema_version").toInt(), Schema::latestVersion());
        QCOMPARE((*ws)->id(), QStringLiteral("old-ws"));
        QVERIFY((*ws)->policy().role("legacy"));
        const auto entries = (*ws)->auditLog().latest(5).value();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().action, QStringLiteral("workspace.migrate"));
        QVERIFY(entries.first().details.contains(QLatin1String("\"schemaVersion\":1")));
        QVERIFY((*ws)->auditLog().verify().intact);

        // Every step applied in turn gives the same schema as a fresh workspace.
        const QString fresh = freshPath();
        {
            auto other = Workspace::open(fresh);
            QVERIFY(other);
        }
        ws.value().reset();
        QCOMPARE(schemaOf(path), schemaOf(fresh));
    }

    void refusesWithoutWriting_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("statements");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text file") << QByteArray("hello, this is not SQLite\n") << QStringList()
                                   << "not a Klaviyo RBAC workspace";
        QTest::newRow("random bytes")
            << QByteArray(8192, '\x5a') << QStringList() << "not a Klaviyo RBAC workspace";
        QTest::newRow("truncated sqlite") << QByteArray("SQLite format 3\0\x10\0\x01\x01", 21)
                                          << QStringList() << "not a Klaviyo RBAC workspace";
        QTest::newRow("foreign database")
            << QByteArray() << QStringList {"CREATE TABLE notes (t TEXT)"} << "without a schema_meta table";
        QTest::newRow("wrong format")
            << QByteArray()
            << QStringList {"CREATE TABLE schema_meta (key TEXT PRIMARY KEY, value TEXT)",
                   "INSERT INTO schema_meta VALUES ('format', 'other-app')"}
            << "names format 'other-app'";
        QTest::newRow("newer schema")
            << QByteArray()
            << QStringList {"CREATE TABLE schema_meta (key TEXT PRIMARY KEY, value TEXT)",
                   "INSERT INTO schema_meta VALUES ('format', 'klaviyo-rbac-workspace')",
                   "INSERT INTO schema_meta VALUES ('schema_version', '99')"}
            << "schema version 99, newer than this console";
    }

    void refusesWithoutWriting()
    {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, statements);
        QFETCH(QString, expected);
        const QString path = freshPath();
        if (!statements.isEmpty()) {
            sql(path, statements);
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const QByteArray before = test::fileDigest(path);
        auto ws = Workspace::open(path);
        QVERIFY(!ws);
        QCOMPARE(ws.status().kind(), ErrorKind::Environment);
        QVERIFY2(ws.status().message().contains(expected), qPrintable(ws.status().message()));
        QVERIFY(ws.status().message().contains(QLatin1String("untouched")));
        QCOMPARE(test::fileDigest(path), before);
        QVERIFY(!QFile::exists(path + "-wal") || QFileInfo(path + "-wal").size() == 0);
    }

    void existingOnlyDoesNotCreate()
    {
        const QString path = freshPath();
        auto ws = Workspace::open(path, Workspace::OpenMode::ExistingOnly);
        QVERIFY(!ws);
        QCOMPARE(ws.status().kind(), ErrorKind::NotFound);
        QVERIFY(!QFile::exists(path));
    }

    void directoryIsRefused()
    {
        auto ws = Workspace::open(m_dir.path());
        QVERIFY(!ws);
        QCOMPARE(ws.status().kind(), ErrorKind::InvalidInput);
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
