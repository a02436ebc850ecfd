#include "runtime/SingleInstance.h"

#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestSingleInstance : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void secondStartActivatesTheFirst()
    {
        const QString path = m_dir.filePath("a.sqlite");
        SingleInstance first(path);
        QVERIFY(first.claim());
        QSignalSpy activated(&first, &SingleInstance::activationRequested);
        SingleInstance second(path);
        QVERIFY(!second.claim());
        QTRY_COMPARE(activated.count(), 1);
    }

    void differentWorkspacesDoNotCollide()
    {
        SingleInstance a(m_dir.filePath("one.sqlite"));
        SingleInstance b(m_dir.filePath("two.sqlite"));
        QVERIFY(a.serverName() != b.serverName());
        QVERIFY(a.claim());
        QVERIFY(b.claim());
    }

    void samePathSpelledDifferentlyIsTheSameWorkspace()
    {
        QFile f(m_dir.filePath("c.sqlite"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        SingleInstance a(m_dir.filePath("c.sqlite"));
        SingleInstance b(m_dir.path() + "/./sub/../c.sqlite");
        QCOMPARE(a.serverName(), b.serverName());
    }

    void leftoverSocketOfACrashedConsoleIsReplaced()
    {
        const QString path = m_dir.filePath("crashed.sqlite");
        SingleInstance probe(path);
        // What a killed console leaves behind: the socket file with nobody listening.
        const QString socketPath = QDir::temp().filePath(probe.serverName());
        QFile stale(socketPath);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.close();
        SingleInstance next(path);
        QVERIFY(next.claim());
    }

    void releasedAfterTheFirstCloses()
    {
        const QString path = m_dir.filePath("b.sqlite");
        {
            SingleInstance first(path);
            QVERIFY(first.claim());
        }
        SingleInstance again(path);
        QVERIFY(again.claim());
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
