// bench_matrix: the console on a workspace of 200 roles × 100 permissions.
//   - opening the Roles & permissions page: built over the workspace, laid out and painted once
//   - a toggle: from the mouse click on a cell to the grant committed with its audit entry
// Prints the figures (targets: open < 100 ms, toggle < 5 ms median); asserts nothing about time.
// Usage: bench_matrix [--quick] [--roles N] [--permissions N] [--toggles N] [--opens N]
// --quick (or RBAC_BENCH_QUICK=1, as ctest runs it) uses a small workspace and only proves it runs.
#include "TestConsole.h"
#include "window/MainWindow.h"
#include "items/MatrixFilterModel.h"
#include "matrix/MatrixPage.h"
#include "matrix/MatrixView.h"
#include "widgets/MessageBox.h"
#include "items/RoleMatrixModel.h"
#include "policy/ScopeCatalog.h"
#include "matrix/WorkspaceEditor.h"
#include "WorkspaceProbe.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>

using namespace rbac;

namespace {

struct Options
{
    int roles = 200;
    int permissions = 100;
    int toggles = 101;
    int opens = 11;
};

Policy makePolicy(const Options& o)
{
    const QVector<ApiOperation>& operations = ScopeCatalog::builtin().operations();
    Policy policy;
    for (int p = 0; p < o.permissions; ++p) {
        Permission permission;
        permission.name = QStringLiteral("perm%1").arg(p, 3, 10, QLatin1Char('0'));
        permission.description = QStringLiteral("Benchmark permission %1").arg(p);
        for (int k = 0; k < 1 + p % 3; ++k)
            permission.operations << operations.at((p * 7 + k * 31) % operations.size()).id;
        permission.operations.sort();
        permission.operations.removeDuplicates();
        policy.permissions.append(permission);
    }
    for (int r = 0; r < o.roles; ++r) {
        Role role;
        role.name = QStringLiteral("role%1").arg(r, 3, 10, QLatin1Char('0'));
        role.description = QStringLiteral("Benchmark role %1").arg(r);
        for (int p = 0; p < o.permissions; ++p) {
            if ((r * 7 + p * 13) % 5 < 2) // about 40 % of the cells granted
                role.permissions << policy.permissions.at(p).name;
        }
        role.permissions.sort();
        policy.roles.append(role);
    }
    return policy;
}

double median(QVector<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n == 0 ? 0 : (n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2);
}

int fail(const char* what)
{
    std::fprintf(stderr, "bench_matrix: %s\n", what);
    return 1;
}

} // namespace

int main(int argc, char* argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // window settings go to a throw-away place
    MessageBox::setTestMode(true);

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption quickOption(
        QStringLiteral("quick"), QStringLiteral("Small run that only proves it works."));
    const QCommandLineOption rolesOption(
        QStringLiteral("roles"), QStringLiteral("Roles."), QStringLiteral("N"));
    const QCommandLineOption permissionsOption(
        QStringLiteral("permissions"), QStringLiteral("Permissions."), QStringLiteral("N"));
    const QCommandLineOption togglesOption(
        QStringLiteral("toggles"), QStringLiteral("Toggles timed."), QStringLiteral("N"));
    const QCommandLineOption opensOption(
        QStringLiteral("opens"), QStringLiteral("Page opens timed."), QStringLiteral("N"));
    parser.addOptions({quickOption, rolesOption, permissionsOption, togglesOption, opensOption});
    parser.process(app);
    Options o;
    if (parser.isSet(quickOption) || qEnvironmentVariableIntValue("RBAC_BENCH_QUICK") == 1)
        o = {20, 10, 5, 2};
    if (parser.isSet(rolesOption))
        o.roles = parser.value(rolesOption).toInt();
    if (parser.isSet(permissionsOption))
        o.permissions = parser.value(permissionsOption).toInt();
    if (parser.isSet(togglesOption))
        o.toggles = parser.value(togglesOption).toInt();
    if (parser.isSet(opensOption))
        o.opens = parser.value(opensOption).toInt();

    QTemporaryDir dir(
        QDir::currentPath() + QStringLiteral("/bench-XXXXXX")); // on disk, like a real workspace
    if (!dir.isValid())
        return fail("cannot create a temporary folder");
    const QString path = dir.filePath(QStringLiteral("bench.sqlite"));
    {
        auto created = Workspace::open(path);
        if (!created || !created.value()->replacePolicy(makePolicy(o), QStringLiteral("bench")))
            return fail("cannot build the benchmark workspace");
    }
    std::printf("workspace: %d roles x %d permissions (%s)\n", o.roles, o.permissions, qPrintable(path));

    // 1. Opening the page over an open workspace: model, filter, view, side panels, layout, one paint.
    auto opened = Workspace::open(path);
    if (!opened)
        return fail("cannot open the benchmark workspace");
    std::unique_ptr<Workspace> ws = std::move(opened.value());
    WorkspaceEditor editor;
    editor.setWorkspace(ws.get());
    QVector<double> pageMs;
    for (int i = 0; i < o.opens; ++i) {
        QElapsedTimer timer;
        timer.start();
        auto page = std::make_unique<MatrixPage>(&editor);
        page->setWorkspace(ws.get());
        page->resize(1280, 800);
        page->show();
        QApplication::sendPostedEvents(); // polish and layout
        page->repaint();                  // the first paint, synchronously
        pageMs << timer.nsecsElapsed() / 1e6;
        if (page->model()->rowCount() != o.roles || page->model()->columnCount() != o.permissions)
            return fail("the page does not show the whole matrix");
    }
    editor.setWorkspace(nullptr);

    // 2. The whole window, including opening the workspace file and loading its policy.
    QVector<double> windowMs;
    for (int i = 0; i < std::max(1, o.opens / 2); ++i) {
        QElapsedTimer timer;
        timer.start();
        auto again = Workspace::open(path);
        if (!again)
            return fail("cannot reopen the workspace");
        test::WithServices console(std::move(again.value()));
        MainWindow window(console);
        window.resize(1280, 800);
        window.show();
        QApplication::sendPostedEvents();
        window.repaint();
        windowMs << timer.nsecsElapsed() / 1e6;
    }

    // 3. The core alone: Workspace::setGranted (transaction, audit entry, durable commit), no UI.
    QVector<double> coreMs;
    {
        auto core = Workspace::open(path);
        if (!core)
            return fail("cannot reopen the workspace");
        const Policy policy = core.value()->policy();
        for (int i = 0; i < o.toggles; ++i) {
            const QString& role = policy.roles.at(i % policy.roles.size()).name;
            const QString& permission
                = policy.permissions.at((i / policy.roles.size()) % policy.permissions.size()).name;
            const bool granted = core.value()->policy().isGranted(role, permission);
            QElapsedTimer timer;
            timer.start();
            if (!core.value()->setGranted(role, permission, !granted))
                return fail("a core commit failed");
            coreMs << timer.nsecsElapsed() / 1e6;
        }
    }

    // 4. Toggles by mouse in the real window, each checked against the database afterwards.
    auto forWindow = Workspace::open(path);
    if (!forWindow)
        return fail("cannot reopen the workspace");
    ws.reset();
    test::WithServices console(std::move(forWindow.value()));
    MainWindow window(console);
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return fail("the window was not shown");
    MatrixView* view = window.matrixPage()->view();
    Workspace* live = window.workspace();
    QVector<double> toggleMs;
    QVector<double> toggleWithPaintMs;
    const int visibleRows = std::min(8, view->model()->rowCount());
    const int visibleColumns = std::min(8, view->model()->columnCount());
    for (int i = 0; i < o.toggles; ++i) {
        const QModelIndex cell = view->model()->index(i % visibleRows, (i / visibleRows) % visibleColumns);
        const bool before = cell.data(Qt::CheckStateRole).toInt() == Qt::Checked;
        const qint64 entries = test::auditCount(*live);
        const QPoint at = view->visualRect(cell).center();
        QElapsedTimer timer;
        timer.start();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, at);
        const double committed = timer.nsecsElapsed() / 1e6;
        view->viewport()->repaint();
        const double painted = timer.nsecsElapsed() / 1e6;
        const bool after = cell.data(Qt::CheckStateRole).toInt() == Qt::Checked;
        if (after == before || test::auditCount(*live) != entries + 1)
            return fail("a click did not commit exactly one audited change");
        toggleMs << committed;
        toggleWithPaintMs << painted;
    }

    std::printf(
        "open page (model+view+panels, layout, first paint): median %.2f ms, first %.2f ms, max %.2f ms "
        "over %d\n",
        median(pageMs), pageMs.value(0), *std::max_element(pageMs.cbegin(), pageMs.cend()), o.opens);
    std::printf("open window (incl. opening the workspace file):      median %.2f ms over %d\n",
        median(windowMs), int(windowMs.size()));
    std::printf("toggle, click -> committed and audited:              median %.2f ms, max %.2f ms over %d\n",
        median(toggleMs), *std::max_element(toggleMs.cbegin(), toggleMs.cend()), o.toggles);
    std::printf("toggle, click -> committed, audited and repainted:   median %.2f ms over %d\n",
        median(toggleWithPaintMs), o.toggles);
    std::printf("core only, Workspace::setGranted (same commit, no UI): median %.2f ms over %d\n",
        median(coreMs), int(coreMs.size()));
    std::printf("targets: open < 100 ms, toggle < 5 ms median\n");
    return 0;
}
