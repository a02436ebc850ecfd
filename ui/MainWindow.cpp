#include "MainWindow.h"

#include "Workspace.h"

#include <QLabel>
#include <QStatusBar>

namespace rbac {

MainWindow::MainWindow(Workspace* workspace, QWidget* parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Klaviyo RBAC Console"));
    auto* label = new QLabel(tr("%n role(s) in this workspace.", nullptr, int(workspace->policy().roles.size())), this);
    label->setObjectName(QStringLiteral("placeholderLabel"));
    setCentralWidget(label);
    statusBar()->showMessage(workspace->path());
}

} // namespace rbac
