// Importing service audit entries: validation names every bad line, nothing partial is written,
// valid files are chained with their origin, a file is imported once.
#include "audit/AuditImport.h"
#include "CliRunner.h"
#include "MockClock.h"
#include "TestPaths.h"
#include "workspace/Workspace.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

namespace {

const QDateTime now(QDate(2026, 11, 26), QTime(12, 0), Qt::UTC);

QByteArray good(int n)
{
    return QStringLiteral(
        R"({"timestamp":"2024-06-20T10:%1:00Z","userId":"svc-checkout","role":"service",)"
        R"("action":"api.request","resource":"api:profiles","success":%2,"details":{"n":%3}})")
        .arg(n % 60, 2, 10, QLatin1Char('0'))
        .arg(n % 5 ? QStringLiteral("true") : QStringLiteral("false"))
        .arg(n)
        .toUtf8();
}

// Lines 1-6 and 8 valid; 7 bad JSON; 9 misses "action"; 10 has success as a string; 11 an
// unknown field; 12 a timestamp without a zone.
QByteArray malformed()
{
    QList<QByteArray> lines;
    for (int i = 1; i <= 6; ++i)
        lines << good(i);
    lines << R"({"timestamp":"2026-11-20T10:00:00Z","userId":"x", oops})";
    lines << good(8);
    lines << R"({"timestamp":"2026-11-20T10:00:00Z","userId":"x","role":"","resource":"r","success":true})";
    lines
        << R"({"timestamp":"2026-11-20T10:00:00Z","userId":"x","role":"","action":"a","resource":"r","success":"yes"})";
    lines
        << R"({"timestamp":"2026-11-20T10:00:00Z","userId":"x","role":"","action":"a","resource":"r","success":true,"ip":"1"})";
    lines
        << R"({"timestamp":"2026-11-20T10:00:00","userId":"x","role":"","action":"a","resource":"r","success":true})";
    return lines.join('\n') + '\n';
}

using Run = test::CliResult;

} // namespace

class TestAuditImport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString write(const QByteArray& bytes)
    {
        const QString path = m_dir.filePath(QStringLiteral("import%1.jsonl").arg(++m_counter));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return path;
    }

    Run cli(const QString& workspace, const QStringList& args)
    {
        test::CliOptions options;
        options.workspace = workspace;
        return test::runCli(args, options);
    }

private slots:
    void malformedLinesAreNamed()
    {
        const AuditImport::Batch batch = AuditImport::parse(malformed(), QStringLiteral("svc.jsonl"), now);
        QVERIFY(batch.entries.isEmpty()); // nothing partial
        QStringList text;
        for (const auto& p : batch.problems)
            text << QStringLiteral("%1:%2").arg(p.line).arg(p.message);
        const QString all = text.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QLatin1String("7:not valid JSON")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("9:missing field \"action\"")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("10:\"success\" must be true or false, found a string")),
            qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("11:unknown field \"ip\"")), qPrintable(all));
        QVERIFY2(all.contains(QLatin1String("12:\"timestamp\"")), qPrintable(all));
        for (const auto& p : batch.problems)
            QVERIFY2(p.line >= 7 && p.line != 8, qPrintable(all)); // valid lines are not blamed
    }

    void otherProblems_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("array") << QByteArray("[1,2]") << "expected a JSON object";
        QTest::newRow("number user") << QByteArray(
            R"({"timestamp":"2026-11-20T10:00:00Z","userId":7,"role":"",)"
            R"("action":"a","resource":"r","success":true})")
                                     << "\"userId\" must be a string, found a number";
        QTest::newRow("empty action")
            << QByteArray(R"({"timestamp":"2026-11-20T10:00:00Z","userId":"u","role":"",)"
                          R"("action":" ","resource":"r","success":true})")
            << "\"action\" must not be empty";
        QTest::newRow("details array")
            << QByteArray(R"({"timestamp":"2026-11-20T10:00:00Z","userId":"u","role":"",)"
                          R"("action":"a","resource":"r","success":true,"details":[1]})")
            << "\"details\" must be an object";
        QTest::newRow("future") << QByteArray(R"({"timestamp":"2026-12-20T10:00:00Z","userId":"u","role":"",)"
                                              R"("action":"a","resource":"r","success":true})")
                                << "in the future";
        QTest::newRow("bad date") << QByteArray(
            R"({"timestamp":"2026-02-30T10:00:00Z","userId":"u","role":"",)"
            R"("action":"a","resource":"r","success":true})")
                                  << "not a valid date";
    }

    void otherProblems()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, phrase);
        const AuditImport::Batch batch = AuditImport::parse(good(1) + "\n" + line + "\n", "f.jsonl", now);
        QCOMPARE(batch.problems.size(), 1);
        QCOMPARE(batch.problems.first().line, 2);
        QVERIFY2(batch.problems.first().message.contains(phrase), qPrintable(batch.problems.first().message));
        QVERIFY(!AuditImport::parse("\n\n", "f.jsonl", now).problems.isEmpty()); // no entries at all
    }

    void validFileIsChainedWithItsOrigin()
    {
        test::MockClock clock(now);
        auto ws = Workspace::open(m_dir.filePath(QStringLiteral("valid.sqlite")));
        QVERIFY(ws);
        (*ws)->setActor(QStringLiteral("auditor"));
        (*ws)->setOrigin(QStringLiteral("console"));
        QByteArray bytes = "\xEF\xBB\xBF"; // a byte-order mark and CRLF line ends are accepted
        for (int i = 1; i <= 50; ++i)
            bytes += good(i) + "\r\n";
        bytes += R"({"timestamp":"2026-11-21T01:02:03.456789+02:00","userId":"u","role":"","action":"a",)"
                 R"("resource":"","success":true,"details":null})";
        const AuditImport::Batch batch = AuditImport::parse(bytes, QStringLiteral("svc.jsonl"), now);
        QVERIFY(batch.problems.isEmpty());
        QCOMPARE(batch.entries.size(), 51);
        const AuditImport::Result r = AuditImport::apply(**ws, batch).value();
        QCOMPARE(r.entries, 51);
        QCOMPARE(r.firstId, 2);
        QCOMPARE(r.lastId, 52);
        QCOMPARE(r.summaryId, 53);
        const AuditVerification v = (*ws)->auditLog().verify();
        QVERIFY2(v.intact, qPrintable(v.problem));
        QCOMPARE(v.entries, 53);

        const QVector<AuditEntry> latest = (*ws)->auditLog().latest(53).value();
        const AuditEntry summary = latest.at(0);
        QCOMPARE(summary.action, QStringLiteral("audit.import"));
        QCOMPARE(summary.actor, QStringLiteral("auditor"));
        QVERIFY(summary.details.contains(batch.sha256));
        QVERIFY(summary.details.contains(QLatin1String("\"origin\":\"console\"")));
        const AuditEntry last = latest.at(1);
        QCOMPARE(last.ts, QStringLiteral("2026-11-20T23:02:03.456Z")); // to UTC, milliseconds
        const AuditEntry first = latest.at(51);
        QCOMPARE(first.id, 2);
        QCOMPARE(first.actor, QStringLiteral("svc-checkout"));
        QCOMPARE(first.ts, QStringLiteral("2024-06-20T10:01:00.000Z"));
        const QJsonObject details = QJsonDocument::fromJson(first.details.toUtf8()).object();
        QCOMPARE(details.value("origin").toString(), QStringLiteral("import"));
        QCOMPARE(details.value("source").toString(), QStringLiteral("svc.jsonl"));
        QCOMPARE(details.value("line").toInt(), 1);
        QCOMPARE(details.value("details").toObject().value("n").toInt(), 1);

        // The same file again would duplicate the trail: refused, nothing written.
        const Expected<AuditImport::Result> again = AuditImport::apply(**ws, batch);
        QVERIFY(!again);
        QCOMPARE(again.status().kind(), ErrorKind::Conflict);
        QVERIFY(again.status().message().contains(QLatin1String("already imported")));
        QCOMPARE((*ws)->auditLog().count().value(), 53);
    }

    // The acceptance case, end to end: exit 2, the lines named, the workspace untouched.
    void cliRefusesAMalformedFileAndChangesNothing()
    {
        const QString workspace = m_dir.filePath(QStringLiteral("cli.sqlite"));
        QCOMPARE(cli(workspace,
                     {QStringLiteral("grant"), QStringLiteral("viewer"), QStringLiteral("canTrackEvents")})
                     .exitCode,
            0);
        const QByteArray before = test::fileDigest(workspace);
        const QByteArray walBefore = test::fileDigest(workspace + QStringLiteral("-wal"));
        const Run r = cli(workspace, {QStringLiteral("audit"), QStringLiteral("import"), write(malformed())});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("line 7: not valid JSON"), r.err.constData());
        QVERIFY2(r.err.contains("line 9: missing field \"action\""), r.err.constData());
        QVERIFY2(r.err.contains("line 10: \"success\" must be true or false"), r.err.constData());
        QVERIFY2(r.err.contains("nothing was imported"), r.err.constData());
        QCOMPARE(test::fileDigest(workspace), before);
        QCOMPARE(test::fileDigest(workspace + QStringLiteral("-wal")), walBefore);
        const Run list = cli(workspace,
            {QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--format"),
                QStringLiteral("jsonl")});
        QCOMPARE(list.out.count('\n'), 2); // workspace.create and the grant, nothing else

        QByteArray valid;
        for (int i = 1; i <= 5; ++i)
            valid += good(i) + "\n";
        const QString file = write(valid);
        Run ok = cli(workspace, {QStringLiteral("audit"), QStringLiteral("import"), file});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.out.contains("imported 5 entries"), ok.out.constData());
        Run twice = cli(workspace, {QStringLiteral("audit"), QStringLiteral("import"), file});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY(twice.err.contains("already imported"));
        QCOMPARE(cli(workspace, {QStringLiteral("audit"), QStringLiteral("verify")}).exitCode, 0);
        const Run missing = cli(workspace,
            {QStringLiteral("audit"), QStringLiteral("import"),
                m_dir.filePath(QStringLiteral("nope.jsonl"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("nope.jsonl"));
    }
    // Reading, checking and writing each report progress, and a stop in any of them imports
    // nothing: the workspace's trail is byte-for-byte what it was.
    void aStopInAnyPhaseImportsNothing_data()
    {
        QTest::addColumn<int>("phase");
        QTest::newRow("reading") << int(AuditImport::Phase::Reading);
        QTest::newRow("checking") << int(AuditImport::Phase::Checking);
        QTest::newRow("writing") << int(AuditImport::Phase::Writing);
    }

    void aStopInAnyPhaseImportsNothing()
    {
        QFETCH(int, phase);
        test::MockClock clock(now);
        QByteArray bytes;
        for (int i = 1; i <= 5000; ++i)
            bytes += good(i) + "\n";
        const QString file = write(bytes);
        const QString path = m_dir.filePath(QStringLiteral("stop-%1.sqlite").arg(phase));
        auto ws = Workspace::open(path);
        QVERIFY(ws);
        const qint64 before = (*ws)->auditLog().count().value();
        QSet<int> seen;
        const AuditImport::Progress stopAt = [&](AuditImport::Phase p, qint64 done, qint64 total) {
            seen.insert(int(p));
            if (done > total || done < 0)
                return false;
            return int(p) != phase || done == 0; // stop at the phase's second report
        };
        Expected<AuditImport::Batch> batch = AuditImport::readFile(file, now, stopAt);
        if (phase == int(AuditImport::Phase::Reading)) {
            QVERIFY(!batch);
            QCOMPARE(batch.status().message(), QStringLiteral("cancelled"));
        } else if (phase == int(AuditImport::Phase::Checking)) {
            QVERIFY(batch);
            QVERIFY(batch->entries.isEmpty());
            QCOMPARE(batch->problems.size(), 1);
            QCOMPARE(batch->problems.first().message, QStringLiteral("cancelled"));
        } else {
            QVERIFY(batch && batch->problems.isEmpty());
            QCOMPARE(batch->entries.size(), 5000);
            const Expected<AuditImport::Result> result = AuditImport::apply(**ws, *batch, stopAt);
            QVERIFY(!result);
        }
        QVERIFY(seen.contains(phase));
        QCOMPARE((*ws)->auditLog().count().value(), before);
        QVERIFY((*ws)->auditLog().verify().intact);

        // Without a stop the same file goes in whole, every phase reported.
        seen.clear();
        const auto all = [&](AuditImport::Phase p, qint64, qint64) {
            seen.insert(int(p));
            return true;
        };
        batch = AuditImport::readFile(file, now, all);
        QVERIFY(batch && batch->problems.isEmpty());
        QVERIFY(AuditImport::apply(**ws, *batch, all));
        QCOMPARE(seen.size(), 3);
        QCOMPARE((*ws)->auditLog().count().value(), before + 5001);
    }

};

QTEST_GUILESS_MAIN(TestAuditImport)
#include "tst_auditimport.moc"
