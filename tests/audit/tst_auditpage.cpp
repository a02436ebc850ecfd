// The audit page, offscreen: the filter widgets narrow the table correctly, export honours the
// filter, "Verify integrity" names a row altered through the sqlite3 shell, imports appear live.
#include "audit/AuditChart.h"
#include "audit/AuditFilterBar.h"
#include "AuditFixture.h"
#include "audit/AuditPage.h"
#include "audit/AuditTask.h"
#include "items/AuditTableModel.h"
#include "widgets/FileDialog.h"
#include "workspace/Workspace.h"

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace rbac;

class TestAuditPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QVector<AuditEntry> m_all;
    std::unique_ptr<Workspace> m_ws;
    std::unique_ptr<AuditPage> m_page;

    template<typename T> T* child(const char* name)
    {
        T* w = m_page->findChild<T*>(QLatin1String(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }

    // Waits for the count, then checks it and every visible row against the oracle.
    void checkTable(const AuditFilter& filter)
    {
        AuditTableModel* model = m_page->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->filter() == filter, 5000); // typing is debounced
        const QVector<AuditEntry> want = test::expected(m_all, filter, AuditOrder::NewestFirst);
        // Appends and reloads settle in the background: wait for the count to agree.
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), qint64(want.size()), 20000);
        QTRY_VERIFY(child<QLabel>("auditCount")->text().contains(QLocale().toString(want.size())));
        const int rows = qMin(int(want.size()), 40);
        model->prefetch(0, rows - 1);
        for (int r = 0; r < rows; ++r) {
            QTRY_VERIFY(model->isRowLoaded(r));
            QCOMPARE(model->entryAt(r)->id, want.at(r).id);
            QVERIFY(test::matches(filter, *model->entryAt(r)));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        FileDialog::setTestMode(true);
        m_path = m_dir.filePath(QStringLiteral("ws.sqlite"));
        test::AuditFixtureOptions options;
        options.entries = 20000;
        QVERIFY(test::generateAuditLog(m_path, options));
        m_all = test::readAllEntries(m_path);
        auto ws = Workspace::open(m_path);
        QVERIFY(ws);
        m_ws = std::move(ws.value());
        m_page = std::make_unique<AuditPage>(m_ws.get());
        m_page->resize(1200, 800);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    }

    void cleanupTestCase()
    {
        m_page.reset();
        m_ws.reset();
    }

    void opensNewestFirstWithEverything()
    {
        checkTable(AuditFilter());
        auto* table = child<QTableView>("auditTable");
        QVERIFY(table);
        QCOMPARE(table->model(), m_page->model());
        // The view's first visible row is the newest entry.
        QTRY_COMPARE(table->model()->index(0, 0).data(AuditTableModel::EntryIdRole).toLongLong(),
            test::expected(m_all, AuditFilter(), AuditOrder::NewestFirst).first().id);
        // Every interactive widget can be found by name (tests, assistive technology).
        for (QWidget* w : m_page->findChildren<QWidget*>()) {
            const bool interactive = w->inherits("QAbstractButton") || w->inherits("QComboBox")
                || w->inherits("QAbstractSpinBox") || w->inherits("QAbstractItemView")
                || w->inherits("QPlainTextEdit") || w->inherits("QGraphicsView")
                || (w->inherits("QLineEdit") && !w->parentWidget()->inherits("QComboBox")
                    && !w->parentWidget()->inherits("QAbstractSpinBox"));
            // A line edit's clear button, a table's corner button: parts of a named widget.
            const bool partOfAnother = w->parentWidget()->inherits("QLineEdit")
                || w->parentWidget()->inherits("QAbstractItemView");
            // Popups (combo lists, calendars, the actions menu) are windows of their own, named by Qt.
            if (interactive && !partOfAnother && w->window() == m_page.get() && !w->inherits("QHeaderView")) {
                QVERIFY2(!w->objectName().isEmpty(), w->metaObject()->className());
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
            }
        }
    }

    void filterWidgetsNarrowTheTable()
    {
        AuditFilter f;
        // Actor: typed into the combo.
        auto* actor = child<QComboBox>("auditActor");
        QVERIFY(actor);
        actor->setFocus();
        actor->lineEdit()->selectAll();
        QTest::keyClicks(actor->lineEdit(), QStringLiteral("alice"));
        QTest::keyClick(actor->lineEdit(), Qt::Key_Enter);
        f.actor = QStringLiteral("alice");
        checkTable(f);

        // Several actions, checked in the list.
        auto* actions = child<QListWidget>("auditActionList");
        QVERIFY(actions);
        QTRY_VERIFY(actions->count() > 3); // the distinct actions arrived from the background
        for (const char* a : {"grant", "revoke"}) {
            const QList<QListWidgetItem*> items = actions->findItems(QLatin1String(a), Qt::MatchExactly);
            QCOMPARE(items.size(), 1);
            items.first()->setCheckState(Qt::Checked);
        }
        f.actions = {QStringLiteral("grant"), QStringLiteral("revoke")};
        checkTable(f);

        // Failures only.
        auto* result = child<QComboBox>("auditResult");
        result->setCurrentIndex(2);
        f.result = AuditFilter::Result::Failed;
        checkTable(f);

        // A custom time range (local time in the widgets, UTC in the filter).
        const QDateTime since(QDate(2025, 3, 1), QTime(0, 0), Qt::UTC);
        const QDateTime until(QDate(2025, 9, 1), QTime(0, 0), Qt::UTC);
        m_page->filterBar()->setCustomRange(since, until);
        f.since = since;
        f.until = until;
        checkTable(f);

        // Free text over the details, and resource text, typed.
        child<QComboBox>("auditResult")->setCurrentIndex(0);
        f.result = AuditFilter::Result::Any;
        QTest::keyClicks(child<QLineEdit>("auditText"), QStringLiteral("sec-1"));
        f.text = QStringLiteral("sec-1");
        checkTable(f);
        QTest::keyClicks(child<QLineEdit>("auditResource"), QStringLiteral("ROLE:"));
        f.resource = QStringLiteral("ROLE:");
        checkTable(f);

        // The chart follows the filter.
        auto* chart = m_page->findChild<AuditChart*>();
        QVERIFY(chart);
        QTRY_VERIFY(chart->bucketCount() > 0);

        // Export honours the filter.
        const QString out = m_dir.filePath(QStringLiteral("filtered.jsonl"));
        QSignalSpy exported(m_page.get(), &AuditPage::exportFinished);
        m_page->exportToFile(out);
        QVERIFY(exported.wait(20000));
        QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(1).toString()));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QVector<AuditEntry> want = test::expected(m_all, f, AuditOrder::NewestFirst);
        QVERIFY(!want.isEmpty());
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), want.size());
        for (int i = 0; i < lines.size(); ++i)
            QCOMPARE(QJsonDocument::fromJson(lines.at(i)).object().value("id").toInteger(), want.at(i).id);

        // The same through the Export button and the (test-mode) file chooser, as CSV.
        const QString csv = m_dir.filePath(QStringLiteral("filtered.csv"));
        FileDialog::setNextFileName(csv);
        exported.clear();
        QTest::mouseClick(child<QPushButton>("auditExport"), Qt::LeftButton);
        QVERIFY(exported.wait(20000));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        QCOMPARE(csvFile.readAll().count('\n'), want.size() + 1); // + header

        QTest::mouseClick(child<QPushButton>("auditClearFilters"), Qt::LeftButton);
        checkTable(AuditFilter());
    }

    void detailsShowBeforeAndAfter()
    {
        auto* table = child<QTableView>("auditTable");
        AuditTableModel* model = m_page->model();
        QTRY_VERIFY(model->totalCount() > 0);
        int row = -1;
        for (int r = 0; r < 40 && row < 0; ++r) {
            QTRY_VERIFY(model->isRowLoaded(r));
            if (model->entryAt(r)->action == QLatin1String("grant"))
                row = r;
        }
        QVERIFY(row >= 0);
        table->setCurrentIndex(model->index(row, 0));
        const QString text = child<QPlainTextEdit>("auditDetails")->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("granted: false → true")), qPrintable(text));
        QVERIFY2(text.contains(model->entryAt(row)->hash), qPrintable(text));
    }

    void sortingFlipsTheOrder()
    {
        auto* order = child<QComboBox>("auditOrder");
        order->setCurrentIndex(1);
        AuditTableModel* model = m_page->model();
        QCOMPARE(model->order(), AuditOrder::OldestFirst);
        QTRY_VERIFY(model->isRowLoaded(0));
        QCOMPARE(
            model->entryAt(0)->id, test::expected(m_all, AuditFilter(), AuditOrder::OldestFirst).first().id);
        order->setCurrentIndex(0);
        QCOMPARE(model->order(), AuditOrder::NewestFirst);
    }

    void importAppearsLive()
    {
        const QString file = m_dir.filePath(QStringLiteral("svc.jsonl"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"timestamp":"2025-12-31T23:59:59.999Z","userId":"svc-new","role":"service","action":"api.request","resource":"api:events","success":false})"
            "\n");
        f.close();
        QSignalSpy imported(m_page.get(), &AuditPage::importFinished);
        m_page->importFile(file);
        // Read and checked off the GUI thread; meanwhile no second import can start.
        QVERIFY(!m_page->importAction()->isEnabled());
        QTRY_COMPARE(imported.count(), 1);
        QVERIFY(m_page->importAction()->isEnabled());
        QVERIFY2(imported.first().at(0).toBool(), qPrintable(imported.first().at(1).toString()));
        m_all = test::readAllEntries(m_path);
        checkTable(AuditFilter());
        QVERIFY(std::any_of(
            m_all.cbegin(), m_all.cend(), [](const AuditEntry& e) { return e.actor == "svc-new"; }));

        const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
        QFile b(bad);
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("{}\n");
        b.close();
        imported.clear();
        m_page->importFile(bad);
        QTRY_COMPARE(imported.count(), 1);
        QCOMPARE(imported.first().at(0).toBool(), false);
        QVERIFY(m_page->statusText().contains(QLatin1String("line 1")));
        QCOMPARE(test::readAllEntries(m_path).size(), m_all.size());
    }

    void verifyNamesARowAlteredThroughSqlite3()
    {
        QSignalSpy verified(m_page.get(), &AuditPage::verifyFinished);
        QTest::mouseClick(child<QPushButton>("auditVerify"), Qt::LeftButton);
        QVERIFY(verified.wait(30000));
        QVERIFY2(verified.first().at(0).toBool(), qPrintable(verified.first().at(1).toString()));

        const QString sqlite3 = QStandardPaths::findExecutable(QStringLiteral("sqlite3"));
        QVERIFY2(!sqlite3.isEmpty(), "the sqlite3 shell is needed");
        QCOMPARE(
            QProcess::execute(sqlite3, {m_path, "UPDATE audit_log SET actor = 'mallory' WHERE id = 12345"}),
            0);
        verified.clear();
        QTest::mouseClick(child<QPushButton>("auditVerify"), Qt::LeftButton);
        QVERIFY(verified.wait(30000));
        QCOMPARE(verified.first().at(0).toBool(), false);
        const QString message = verified.first().at(1).toString();
        QVERIFY2(message.contains(QLatin1String("entry 12345")), qPrintable(message));
        QVERIFY(m_page->statusText().contains(QLatin1String("entry 12345")));
        // The broken entry is selected in the table.
        auto* table = child<QTableView>("auditTable");
        QTRY_COMPARE(table->currentIndex().data(AuditTableModel::EntryIdRole).toLongLong(), 12345);
    }

    QString writeServiceLines(const QString& name, int lines)
    {
        const QString file = m_dir.filePath(name);
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        QByteArray chunk;
        for (int i = 0; i < lines; ++i) {
            chunk += QStringLiteral(R"({"timestamp":"2025-06-01T00:%1:%2.000Z","userId":"svc-%3","role":"service",)"
                                    R"("action":"canReadProfiles","resource":"api:%4","success":true})")
                         .arg(i / 60 % 60, 2, 10, QLatin1Char('0'))
                         .arg(i % 60, 2, 10, QLatin1Char('0'))
                         .arg(i % 97)
                         .arg(QFileInfo(name).baseName()) // each file its own bytes
                         .toUtf8()
                + '\n';
            if (chunk.size() > (1 << 20)) {
                f.write(chunk);
                chunk.clear();
            }
        }
        f.write(chunk);
        return file;
    }

    // The whole import (read, check, write) runs on the task's thread: while 200,000 lines go in,
    // a timer on the GUI thread keeps ticking. Its largest gap is the figure; 50 ms is the bound.
    void aLargeImportKeepsTheWindowLive()
    {
        const QString file = writeServiceLines(QStringLiteral("large.jsonl"), 200000);
        QVERIFY(!file.isEmpty());
        const qint64 before = test::readAllEntries(m_path).size();
        QSignalSpy imported(m_page.get(), &AuditPage::importFinished);
        QElapsedTimer clock;
        qint64 last = 0;
        qint64 largestGap = 0;
        QTimer tick;
        tick.setInterval(5);
        connect(&tick, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            largestGap = std::max(largestGap, now - last);
            last = now;
        });
        clock.start();
        tick.start();
        m_page->importFile(file);
        QVERIFY(imported.wait(180000));
        tick.stop();
        QVERIFY2(imported.first().at(0).toBool(), qPrintable(imported.first().at(1).toString()));
        qInfo("200,000 lines imported in %lld ms; the GUI thread's largest gap: %lld ms", clock.elapsed(),
            largestGap);
        QVERIFY2(largestGap < 50, qPrintable(QStringLiteral("largest gap %1 ms").arg(largestGap)));
        QCOMPARE(test::readAllEntries(m_path).size(), before + 200001);
    }

    // Cancel while the entries are being written: the transaction rolls back, nothing is imported.
    void cancelWhileWritingImportsNothing()
    {
        const QString file = writeServiceLines(QStringLiteral("cancelled.jsonl"), 200000);
        const qint64 before = test::readAllEntries(m_path).size();
        QSignalSpy imported(m_page.get(), &AuditPage::importFinished);
        m_page->importFile(file);
        auto* task = m_page->findChild<AuditTask*>();
        QVERIFY(task);
        QStringList phases;
        connect(task, &AuditTask::phaseChanged, this, [&phases, task](const QString& text) {
            phases << text;
            if (text.startsWith(QLatin1String("Writing")))
                task->cancel();
        });
        QVERIFY(imported.wait(180000));
        QCOMPARE(imported.first().at(0).toBool(), false);
        QVERIFY2(imported.first().at(1).toString().contains(QLatin1String("was cancelled; nothing was written")),
            qPrintable(imported.first().at(1).toString()));
        QVERIFY2(phases.size() == 3, qPrintable(phases.join(QLatin1Char('|'))));
        QCOMPARE(test::readAllEntries(m_path).size(), before);
    }

    // A page that goes away mid-import cancels its task and waits for it: nothing half-written.
    void closingThePageStopsItsImport()
    {
        const QString file = writeServiceLines(QStringLiteral("abandoned.jsonl"), 200000);
        const qint64 before = test::readAllEntries(m_path).size();
        auto page = std::make_unique<AuditPage>(m_ws.get());
        page->importFile(file);
        QVERIFY(page->findChild<AuditTask*>());
        page.reset(); // joins the task's thread
        QCOMPARE(test::readAllEntries(m_path).size(), before);
        QVERIFY(m_ws->auditLog().count().isOk());
    }

};

QTEST_MAIN(TestAuditPage)
#include "tst_auditpage.moc"
