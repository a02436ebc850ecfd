// Several writers on one workspace at once: no lost update, one valid audit chain.
#include "policy/DefaultPolicy.h"
#include "TestWorkspaces.h"
#include "workspace/Workspace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestConcurrency : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::TestWorkspaces m_locations {m_dir.path()};

private slots:
    void writersDoNotLoseUpdates()
    {
        const int writers = 8;
        const int changesEach = qEnvironmentVariableIntValue("RBAC_CONCURRENCY_CHANGES") > 0
            ? qEnvironmentVariableIntValue("RBAC_CONCURRENCY_CHANGES")
            : 150;
        const QString location = m_locations.next();
        {
            auto created = Workspace::open(location);
            QVERIFY2(created, qPrintable(created.status().message()));
        }
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int i = 0; i < writers; ++i) {
            auto p = std::make_unique<QProcess>();
            p->start(QStringLiteral(RBAC_CONCURRENT_WRITER),
                {location, QStringLiteral("admin%1").arg(i), QString::number(1000 + i),
                    QString::number(changesEach)});
            processes.push_back(std::move(p));
        }
        int applied = 0;
        for (auto& p : processes) {
            QVERIFY(p->waitForFinished(240000));
            const QByteArray err = p->readAllStandardError();
            QVERIFY2(p->exitCode() == 0, err.constData());
            const QStringList words = QString::fromUtf8(p->readAllStandardOutput()).split(QLatin1Char(' '));
            QCOMPARE(words.value(0), QStringLiteral("applied"));
            applied += words.value(1).toInt();
        }

        auto opened = Workspace::open(location);
        QVERIFY(opened);
        Workspace& ws = **opened;
        const AuditVerification chain = ws.auditLog().verify();
        QVERIFY2(chain.intact, qPrintable(chain.problem));

        // Replay every grant/revoke in chain order over the defaults: each entry's "before" must be
        // the state the previous entries left (nothing changed behind the log's back), and the
        // result must be the final matrix (every change has its entry).
        Policy replay = defaultPolicy();
        const QVector<AuditEntry> entries = ws.auditLog().latest(1000000).value();
        int changes = 0;
        for (auto it = entries.crbegin(); it != entries.crend(); ++it) {
            if (it->action != QLatin1String("grant") && it->action != QLatin1String("revoke"))
                continue;
            ++changes;
            const QString permission = it->resource.section(QLatin1Char(':'), 1);
            const QJsonObject details = QJsonDocument::fromJson(it->details.toUtf8()).object();
            const bool before = details.value("before").toObject().value("granted").toBool();
            const bool after = details.value("after").toObject().value("granted").toBool();
            QCOMPARE(replay.isGranted(it->role, permission), before);
            QCOMPARE(after, it->action == QLatin1String("grant"));
            Role* role = replay.role(it->role);
            QVERIFY(role);
            if (after)
                role->permissions.append(permission);
            else
                role->permissions.removeOne(permission);
            role->permissions.sort();
        }
        QCOMPARE(changes, applied);
        QVERIFY(changes > writers); // they really wrote
        for (const Role& r : ws.policy().roles)
            QCOMPARE(r.permissions, replay.role(r.name)->permissions);
        qInfo(
            "%d writers, %d changes applied, chain of %lld entries intact", writers, changes, chain.entries);
    }
};

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
