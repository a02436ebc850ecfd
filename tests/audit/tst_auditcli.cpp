// klaviyo-rbac audit list / export / verify with filters, formats and exit codes, as a separate
// process on a generated workspace, checked against the oracle.
#include "audit/AuditExport.h"
#include "AuditFixture.h"
#include "CliRunner.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <climits>

using namespace rbac;

namespace {

using Run = test::CliResult;

} // namespace

class TestAuditCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_ws;
    QVector<AuditEntry> m_all;

    Run cli(const QStringList& args, const QString& workspace = {})
    {
        test::CliOptions options;
        options.workspace = workspace.isEmpty() ? m_ws : workspace;
        return test::runCli(args, options);
    }

    static QVector<qint64> jsonlIds(const QByteArray& bytes)
    {
        QVector<qint64> ids;
        for (const QByteArray& line : bytes.split('\n')) {
            if (!line.isEmpty())
                ids << QJsonDocument::fromJson(line).object().value(QStringLiteral("id")).toInteger();
        }
        return ids;
    }

    static QVector<qint64> ids(const QVector<AuditEntry>& entries, int limit = INT_MAX)
    {
        QVector<qint64> out;
        for (int i = 0; i < entries.size() && i < limit; ++i)
            out << entries.at(i).id;
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("ws.sqlite"));
        test::AuditFixtureOptions options;
        options.entries = 4000;
        QVERIFY(test::generateAuditLog(m_ws, options));
        m_all = test::readAllEntries(m_ws);
    }

    void listFilters_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("what"); // a readable key for the oracle filter below
        QTest::newRow("actor") << QStringList {"--actor", "carol"} << "actor";
        QTest::newRow("role") << QStringList {"--role", "analyst"} << "role";
        QTest::newRow("actions") << QStringList {"--action", "grant,revoke", "--action", "role.add"}
                                 << "actions";
        QTest::newRow("failed") << QStringList {"--failed"} << "failed";
        QTest::newRow("text") << QStringList {"--text", "sec-99"} << "text";
        QTest::newRow("resource") << QStringList {"--resource", "API:LISTS"} << "resource";
        QTest::newRow("range") << QStringList {"--since", "2025-04-01", "--until", "2025-04-08T12:00:00Z"}
                               << "range";
        QTest::newRow("combined") << QStringList {"--actor", "dave", "--action", "api.request", "--since",
            "2025-02-01", "--until", "2025-05-01", "--succeeded"}
                                  << "combined";
    }

    void listFilters()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, what);
        AuditFilter f;
        if (what == "actor")
            f.actor = "carol";
        else if (what == "role")
            f.role = "analyst";
        else if (what == "actions")
            f.actions = {"grant", "revoke", "role.add"};
        else if (what == "failed")
            f.result = AuditFilter::Result::Failed;
        else if (what == "text")
            f.text = "sec-99";
        else if (what == "resource")
            f.resource = "API:LISTS";
        else if (what == "range") {
            f.since = QDateTime(QDate(2025, 4, 1), QTime(0, 0), Qt::UTC);
            f.until = QDateTime(QDate(2025, 4, 8), QTime(12, 0), Qt::UTC);
        } else {
            f.actor = "dave";
            f.actions = {"api.request"};
            f.since = QDateTime(QDate(2025, 2, 1), QTime(0, 0), Qt::UTC);
            f.until = QDateTime(QDate(2025, 5, 1), QTime(0, 0), Qt::UTC);
            f.result = AuditFilter::Result::Succeeded;
        }
        const QVector<AuditEntry> want = test::expected(m_all, f, AuditOrder::NewestFirst);
        QVERIFY(!want.isEmpty());
        Run r = cli(QStringList {"audit", "list", "--format", "jsonl", "--limit", "100000"} + args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        QCOMPARE(jsonlIds(r.out), ids(want));
        r = cli(
            QStringList {"audit", "list", "--format", "jsonl", "--limit", "7", "--order", "oldest"} + args);
        QCOMPARE(jsonlIds(r.out), ids(test::expected(m_all, f, AuditOrder::OldestFirst), 7));

        // Export with the same filters writes the same entries, in either format.
        const QString csv = m_dir.filePath(QStringLiteral("%1.csv").arg(what));
        r = cli(QStringList {"audit", "export", "--format", "csv", csv} + args);
        QCOMPARE(r.exitCode, 0);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray expectedCsv = AuditExport::csvHeader();
        for (const AuditEntry& e : want)
            expectedCsv += AuditExport::csvRow(e);
        QCOMPARE(file.readAll(), expectedCsv);
        const QString jsonl = m_dir.filePath(QStringLiteral("%1.jsonl").arg(what));
        QCOMPARE(cli(QStringList {"audit", "export", jsonl} + args).exitCode, 0); // format from the name
        QFile lines(jsonl);
        QVERIFY(lines.open(QIODevice::ReadOnly));
        QCOMPARE(jsonlIds(lines.readAll()), ids(want));
    }

    void tableAndCsvListings()
    {
        Run r = cli({"audit", "list", "--limit", "3"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("ID ") && r.out.contains("TIME (UTC)"));
        QCOMPARE(r.out.count('\n'), 4);
        r = cli({"audit", "list", "--limit", "2", "--format", "csv", "--failed"});
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> rows = r.out.trimmed().split('\n');
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.first() + '\n', AuditExport::csvHeader());
        QVERIFY(rows.at(1).contains(",0,\"{")); // success 0, then the quoted details
        r = cli({"audit", "export", "-", "--format", "jsonl", "--actor", "erin"});
        QCOMPARE(r.exitCode, 0);
        AuditFilter erin;
        erin.actor = "erin";
        QCOMPARE(jsonlIds(r.out), ids(test::expected(m_all, erin, AuditOrder::NewestFirst)));
    }

    void badUsageExitsTwoNamingTheProblem_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("since") << QStringList {"audit", "list", "--since", "last tuesday"} << "last tuesday";
        QTest::newRow("until before since")
            << QStringList {"audit", "list", "--since", "2025-02-02", "--until", "2025-02-01"} << "--until";
        QTest::newRow("format") << QStringList {"audit", "list", "--format", "xml"} << "xml";
        QTest::newRow("both results")
            << QStringList {"audit", "list", "--failed", "--succeeded"} << "--failed";
        QTest::newRow("order") << QStringList {"audit", "list", "--order", "random"} << "random";
        QTest::newRow("export format")
            << QStringList {"audit", "export", "--format", "xlsx", "out.xlsx"} << "xlsx";
        QTest::newRow("export no format") << QStringList {"audit", "export", "out.txt"} << "--format";
        QTest::newRow("export no file") << QStringList {"audit", "export", "--format", "csv"} << "usage";
        QTest::newRow("import no file") << QStringList {"audit", "import"} << "usage";
    }

    void badUsageExitsTwoNamingTheProblem()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, phrase);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(phrase.toUtf8()), r.err.constData());
    }

    void environmentProblemsExitThree()
    {
        const QString notWorkspace = m_dir.filePath(QStringLiteral("other.sqlite"));
        QProcess::execute(QStandardPaths::findExecutable("sqlite3"), {notWorkspace, "CREATE TABLE t (x)"});
        const Run r = cli({"audit", "list"}, notWorkspace);
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("not a Klaviyo RBAC workspace"));
    }

    void verifyExitsOneOnAnAlteredRow()
    {
        const QString copy = m_dir.filePath(QStringLiteral("tampered.sqlite"));
        QVERIFY(QFile::copy(m_ws, copy));
        QCOMPARE(cli({"audit", "verify"}, copy).exitCode, 0);
        const QString sqlite3 = QStandardPaths::findExecutable("sqlite3");
        QVERIFY2(!sqlite3.isEmpty(), "the sqlite3 shell is needed");
        QCOMPARE(
            QProcess::execute(sqlite3, {copy, "UPDATE audit_log SET success = 1 - success WHERE id = 2345"}),
            0);
        const Run r = cli({"audit", "verify"}, copy);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("BROKEN at entry 2345"), r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestAuditCli)
#include "tst_auditcli.moc"
