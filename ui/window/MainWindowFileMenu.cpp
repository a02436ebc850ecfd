// The File menu's commands of the main window: new, open (file or team database), policy import
// and export, audit import. Kept apart from the window's construction and page handling.
#include "audit/AuditPage.h"
#include "widgets/FileDialog.h"
#include "window/MainWindow.h"
#include "widgets/MessageBox.h"
#include "policy/PolicyJson.h"
#include "policy/ScopeCatalog.h"
#include "matrix/WorkspaceEditor.h"
#include "workspace/WorkspaceLocation.h"
#include "workspace/WorkspaceWatcher.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStatusBar>

namespace rbac {

QString MainWindow::workspaceFolder() const
{
    if (!workspace() || WorkspaceLocation::looksLikeUri(workspace()->path()))
        return QDir::homePath();
    return QFileInfo(workspace()->path()).absolutePath();
}

void MainWindow::newWorkspace()
{
    const QString path = FileDialog::getSaveFileName(this, tr("New workspace"), workspaceFolder(),
        tr("Workspaces (*.sqlite);;All files (*)"), QStringLiteral("sqlite"), false);
    if (path.isEmpty())
        return;
    if (QFileInfo::exists(path)) {
        MessageBox::warning(this, tr("New workspace"), tr("“%1” already exists.").arg(path),
            tr("A new workspace needs a new file. To work in that one, use File ▸ Open workspace."));
        return;
    }
    openWorkspace(path, Workspace::OpenMode::CreateIfMissing);
}

void MainWindow::openWorkspaceFile()
{
    const QString path = FileDialog::getOpenFileName(
        this, tr("Open workspace"), workspaceFolder(), tr("Workspaces (*.sqlite);;All files (*)"));
    if (!path.isEmpty())
        openWorkspace(path, Workspace::OpenMode::ExistingOnly);
}

void MainWindow::openTeamWorkspace()
{
    const QString current = workspace() && WorkspaceLocation::looksLikeUri(workspace()->path())
        ? workspace()->path()
        : QString();
    const QString uri = FileDialog::getWorkspaceUri(this, current);
    if (uri.isEmpty())
        return;
    // Checked before connecting: a typo or a password in the URI is named, nothing is opened.
    if (!WorkspaceLocation::looksLikeUri(uri)) {
        MessageBox::warning(this, tr("Open team workspace"), tr("“%1” is not a PostgreSQL URI.").arg(uri),
            tr("It starts with postgresql://, e.g. postgresql://alice@db.example.com/klaviyo_rbac. For a "
               "workspace file use File ▸ Open workspace."));
        return;
    }
    if (const Expected<WorkspaceLocation> location = WorkspaceLocation::parse(uri); !location) {
        MessageBox::warning(
            this, tr("Open team workspace"), tr("The URI cannot be used."), location.status().message());
        return;
    }
    openWorkspace(uri, Workspace::OpenMode::CreateIfMissing);
}

void MainWindow::importPolicy()
{
    if (!workspace())
        return;
    const QString path = FileDialog::getOpenFileName(
        this, tr("Import policy"), workspaceFolder(), tr("Policy files (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString name = QFileInfo(path).fileName();
    const Expected<QByteArray> bytes = PolicyJson::readFile(path);
    if (!bytes) {
        MessageBox::warning(this, tr("Import policy"), tr("“%1” cannot be read as a policy file.").arg(name),
            bytes.status().message());
        return;
    }
    const Expected<Policy> policy = PolicyJson::importPolicy(*bytes, ScopeCatalog::builtin());
    if (!policy) {
        MessageBox::warning(this, tr("Import policy"),
            tr("“%1” is not a valid policy file; nothing was changed.").arg(name), policy.status().message());
        return;
    }
    const QString changes = WorkspaceWatcher::describeChanges(workspace()->policy(), policy.value());
    if (changes.isEmpty()) {
        MessageBox::information(this, tr("Import policy"),
            tr("“%1” holds the same policy as this workspace; nothing to import.").arg(name));
        return;
    }
    if (!MessageBox::confirm(this, tr("Import policy"),
            tr("Replace this workspace's policy with “%1”?").arg(name),
            tr("Changes: %1.\n\nRoles keep their identity (and their API keys) by name; roles that "
               "are not in the file are removed.\n\nThe import is recorded in the audit log; "
               "Edit ▸ Undo brings the current policy back.")
                .arg(changes),
            tr("Import")))
        return;
    if (Status s = m_editor->importPolicy(policy.value(), name); !s)
        MessageBox::critical(this, tr("Import policy"), tr("The policy was not imported."), s.message());
}

void MainWindow::exportPolicy()
{
    if (!workspace())
        return;
    const QString suggested = workspaceFolder() + QLatin1Char('/')
        + QFileInfo(workspace()->path()).completeBaseName() + QStringLiteral("-policy.json");
    const QString path = FileDialog::getSaveFileName(this, tr("Export policy"), suggested,
        tr("Policy files (*.json);;All files (*)"), QStringLiteral("json"));
    if (path.isEmpty())
        return;
    const QByteArray bytes = PolicyJson::exportPolicy(workspace()->policy());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        MessageBox::critical(
            this, tr("Export policy"), tr("“%1” could not be written.").arg(path), file.errorString());
        return;
    }
    statusBar()->showMessage(tr("Exported the policy (roles: %1, permissions: %2) to %3")
                                 .arg(workspace()->policy().roles.size())
                                 .arg(workspace()->policy().permissions.size())
                                 .arg(QDir::toNativeSeparators(path)),
        8000);
}

void MainWindow::importAuditEntries()
{
    setCurrentPage(Page::Audit);
    if (auto* audit = qobject_cast<AuditPage*>(page(Page::Audit)))
        audit->importFile();
    else
        MessageBox::information(this, tr("Import audit entries"),
            tr("The audit trail page is not available."), tr("Use “klaviyo-rbac audit import FILE.jsonl”."));
}

} // namespace rbac
