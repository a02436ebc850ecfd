// Appends are durable when they return, and readers never block the writer.
#include "audit/AuditWorker.h"
#include "workspace/Workspace.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestAuditDurability : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Ids on complete lines (a line cut by the kill is not a confirmed append).
    static QVector<qint64> confirmedIds(const QByteArray& out)
    {
        QVector<qint64> ids;
        const QList<QByteArray> lines = out.split('\n');
        for (int i = 0; i + 1 < lines.size(); ++i) { // the last piece has no newline yet
            bool ok = false;
            const qint64 id = lines.at(i).toLongLong(&ok);
            if (ok)
                ids.append(id);
        }
        return ids;
    }

private slots:
    // SIGKILL in the middle of thousands of appends: every append that returned is there, and
    // the chain verifies.
    void killedWriterLosesNoConfirmedEntry_data()
    {
        QTest::addColumn<int>("killAfter");
        QTest::newRow("early") << 150;
        QTest::newRow("after thousands") << 2500;
    }

    void killedWriterLosesNoConfirmedEntry()
    {
        QFETCH(int, killAfter);
        const QString path = m_dir.filePath(QStringLiteral("kill-%1.sqlite").arg(killAfter));
        {
            auto ws = Workspace::open(path);
            QVERIFY(ws);
        }
        QProcess helper;
        helper.start(QStringLiteral(RBAC_AUDIT_APPEND_HELPER), {path, QStringLiteral("20000")});
        QVERIFY(helper.waitForStarted());
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (confirmedIds(out).size() < killAfter && timer.elapsed() < 120000
            && helper.state() == QProcess::Running) {
            helper.waitForReadyRead(1000);
            out += helper.readAllStandardOutput();
        }
        QVERIFY2(helper.state() == QProcess::Running, helper.readAllStandardError().constData());
        helper.kill(); // SIGKILL: no destructor, no COMMIT of anything in flight, no clean close
        QVERIFY(helper.waitForFinished(10000));
        out += helper.readAllStandardOutput();
        QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
        const QVector<qint64> confirmed = confirmedIds(out);
        QVERIFY(confirmed.size() >= killAfter);
        QVERIFY2(confirmed.size() < 20000, "the helper finished before it was killed");

        auto ws = Workspace::open(path); // recovers the WAL the killed writer left
        QVERIFY2(ws, qPrintable(ws.status().message()));
        const AuditVerification v = (*ws)->auditLog().verify();
        QVERIFY2(v.intact, qPrintable(v.problem));
        QSet<qint64> present;
        QSqlQuery q((*ws)->database());
        QVERIFY(q.exec("SELECT id FROM audit_log WHERE actor = 'durability-helper'"));
        while (q.next())
            present.insert(q.value(0).toLongLong());
        for (qint64 id : confirmed)
            QVERIFY2(
                present.contains(id), qPrintable(QStringLiteral("confirmed entry %1 is missing").arg(id)));
        // At most the one append in flight at the kill may have committed without being printed.
        QVERIFY(present.size() <= confirmed.size() + 1);
        QCOMPARE(v.entries, qint64(present.size()) + 1); // + workspace.create
    }

    // A reader in the middle of a long read (statement open, transaction held) does not hold
    // up appends: WAL lets the writer commit while the reader keeps its snapshot.
    void readersNeverBlockTheWriter()
    {
        const QString path = m_dir.filePath(QStringLiteral("readers.sqlite"));
        auto ws = Workspace::open(path);
        QVERIFY(ws);
        for (int i = 0; i < 300; ++i)
            QVERIFY((*ws)->recordEvent(QStringLiteral("key.verify"), {}, QStringLiteral("x"), true, {}));

        QString error;
        QSqlDatabase reader = AuditWorker::openReadConnection(path, &error);
        QVERIFY2(reader.isOpen(), qPrintable(error));
        {
            QSqlQuery begin(reader);
            QVERIFY(begin.exec("BEGIN"));
            QSqlQuery scan(reader);
            scan.setForwardOnly(true);
            QVERIFY(scan.exec("SELECT id FROM audit_log ORDER BY id"));
            for (int i = 0; i < 10; ++i)
                QVERIFY(scan.next()); // mid-scan, statement still open

            // The workspace's busy timeout is 5 s: a blocked writer would fail with "locked".
            for (int i = 0; i < 20; ++i) {
                const Status s
                    = (*ws)->recordEvent(QStringLiteral("key.verify"), {}, QStringLiteral("y"), true, {});
                QVERIFY2(s, qPrintable(s.message()));
            }
            QVERIFY(scan.next());
            QSqlQuery count(reader);
            QVERIFY(count.exec("SELECT COUNT(*) FROM audit_log") && count.next());
            QCOMPARE(count.value(0).toInt(), 301); // the reader's snapshot is stable
            scan.finish();
            QVERIFY(begin.exec("COMMIT"));
            QVERIFY(count.exec("SELECT COUNT(*) FROM audit_log") && count.next());
            QCOMPARE(count.value(0).toInt(), 321); // and then sees the appends
        }
        AuditWorker::closeReadConnection(reader);
        QVERIFY((*ws)->auditLog().verify().intact);
    }

    // The read connection really is read-only: the browser cannot alter the trail.
    void readConnectionCannotWrite()
    {
        const QString path = m_dir.filePath(QStringLiteral("ro.sqlite"));
        {
            auto ws = Workspace::open(path);
            QVERIFY(ws);
        }
        QString error;
        QSqlDatabase reader = AuditWorker::openReadConnection(path, &error);
        QVERIFY2(reader.isOpen(), qPrintable(error));
        {
            QSqlQuery q(reader);
            QVERIFY(!q.exec("UPDATE audit_log SET actor = 'mallory'"));
            QVERIFY(q.exec("SELECT actor FROM audit_log WHERE id = 1") && q.next());
            QVERIFY(q.value(0).toString() != QLatin1String("mallory"));
        }
        AuditWorker::closeReadConnection(reader);
    }
};

QTEST_GUILESS_MAIN(TestAuditDurability)
#include "tst_auditdurability.moc"
