// Renders the Roles & permissions page of a fresh default workspace to matrix.png: into
// $RBAC_SCREENSHOT_DIR when set (resources/screenshots for the README), else a temporary folder.
#include "TestConsole.h"
#include "GuiTestSupport.h"
#include "window/MainWindow.h"
#include "matrix/MatrixPage.h"
#include "matrix/MatrixView.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace rbac;

class TestScreenshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        test::enableTestSeams();
        QApplication::setStyle(QStringLiteral("Fusion"));
    }

    void matrixPage()
    {
        test::failOnUnexpectedWarnings();
        // A fresh workspace where a first run puts it, inside a throw-away home folder.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        qputenv("HOME", QFile::encodeName(dir.path()));
        auto opened = Workspace::open(
            dir.filePath(QStringLiteral(".local/share/klaviyo-rbac-console/workspace.sqlite")));
        QVERIFY2(opened.isOk(), qPrintable(opened.status().message()));
        test::WithServices console(std::move(opened.value()));
        MainWindow window(console);
        window.resize(1440, 860);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.matrixPage()->selectCell(QStringLiteral("marketer"), QStringLiteral("canSendCampaigns"));
        window.matrixPage()->view()->setFocus();
        QApplication::processEvents();
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("workspaceStatusLabel"))->text(),
            QStringLiteral("Workspace: ~/.local/share/klaviyo-rbac-console/workspace.sqlite"));

        const QImage image = window.grab().toImage();
        QCOMPARE(image.size(), QSize(1440, 860));
        // Not a blank or single-colour frame: the matrix, text and panels are all drawn.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3) {
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        }
        QVERIFY2(colours.size() > 50, qPrintable(QStringLiteral("only %1 colours").arg(colours.size())));

        QString out = qEnvironmentVariable("RBAC_SCREENSHOT_DIR");
        if (out.isEmpty())
            out = dir.path();
        QVERIFY(QDir().mkpath(out));
        const QString file = QDir(out).filePath(QStringLiteral("matrix.png"));
        QVERIFY2(image.save(file), qPrintable(file));
        QCOMPARE(QImage(file).size(), image.size());
        qInfo("screenshot: %s", qPrintable(QDir::toNativeSeparators(file)));
    }
};

QTEST_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
