#include "window/FileCommands.h"

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

FileCommands::FileCommands(MainWindow* window, WorkspaceEditor* editor)
    : QObject(window)
    , m_window(window)
    , m_editor(editor)
{
}

Workspace* FileCommands::workspace() const
{
    return m_window->workspace();
}

QString FileCommands::workspaceFolder() const
{
    if (!workspace() || WorkspaceLocation::looksLikeUri(workspace()->path()))
        return QDir::homePath();
    return QFileInfo(workspace()->path()).absolutePath();
}

void FileCommands::newWorkspace()
{
    const QString path = FileDialog::getSaveFileName(m_window, tr("New workspace"), workspaceFolder(),
        tr("Workspaces (*.sqlite);;All files (*)"), QStringLiteral("sqlite"), false);
    if (path.isEmpty())
        return;
    if (QFileInfo::exists(path)) {
        MessageBox::warning(m_window, tr("New workspace"), tr("“%1” already exists.").arg(path),
            tr("A new workspace needs a new file. To work in that one, use File ▸ Open workspace."));
        return;
    }
    m_window->openWorkspace(path, Workspace::OpenMode::CreateIfMissing);
}

void FileCommands::openWorkspaceFile()
{
    const QString path = FileDialog::getOpenFileName(
        m_window, tr("Open workspace"), workspaceFolder(), tr("Workspaces (*.sqlite);;All files (*)"));
    if (!path.isEmpty())
        m_window->openWorkspace(path, Workspace::OpenMode::ExistingOnly);
}

void FileCommands::openTeamWorkspace()
{
    const QString current = workspace() && WorkspaceLocation::looksLikeUri(workspace()->path())
        ? workspace()->path()
        : QString();
    const QString uri = FileDialog::getWorkspaceUri(m_window, current);
    if (uri.isEmpty())
        return;
    // Checked before connecting: a typo or a password in the URI is named, nothing is opened.
    if (!WorkspaceLocation::looksLikeUri(uri)) {
        MessageBox::warning(m_window, tr("Open team workspace"), tr("“%1” is not a PostgreSQL URI.").arg(uri),
            tr("It starts with postgresql://, e.g. postgresql://alice@db.example.com/klaviyo_rbac. For a "
               "workspace file use File ▸ Open workspace."));
        return;
    }
    if (const Expected<WorkspaceLocation> location = WorkspaceLocation::parse(uri); !location) {
        MessageBox::warning(
            m_window, tr("Open team workspace"), tr("The URI cannot be used."), location.status().message());
        return;
    }
    m_window->openWorkspace(uri, Workspace::OpenMode::CreateIfMissing);
}

void FileCommands::importPolicy()
{
    if (!workspace())
        return;
    const QString path = FileDialog::getOpenFileName(
        m_window, tr("Import policy"), workspaceFolder(), tr("Policy files (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const QString name = QFileInfo(path).fileName();
    const Expected<QByteArray> bytes = PolicyJson::readFile(path);
    if (!bytes) {
        MessageBox::warning(m_window, tr("Import policy"), tr("“%1” cannot be read as a policy file.").arg(name),
            bytes.status().message());
        return;
    }
    const Expected<Policy> policy = PolicyJson::importPolicy(*bytes, ScopeCatalog::builtin());
    if (!policy) {
        MessageBox::warning(m_window, tr("Import policy"),
            tr("“%1” is not a valid policy file; nothing was changed.").arg(name), policy.status().message());
        return;
    }
    const QString changes = WorkspaceWatcher::describeChanges(workspace()->policy(), policy.value());
    if (changes.isEmpty()) {
        MessageBox::information(m_window, tr("Import policy"),
            tr("“%1” holds the same policy as this workspace; nothing to import.").arg(name));
        return;
    }
    if (!MessageBox::confirm(m_window, tr("Import policy"),
            tr("Replace this workspace's policy with “%1”?").arg(name),
            tr("Changes: %1.\n\nRoles keep their identity (and their API keys) by name; roles that "
               "are not in the file are removed.\n\nThe import is recorded in the audit log; "
               "Edit ▸ Undo brings the current policy back.")
                .arg(changes),
            tr("Import")))
        return;
    if (Status s = m_editor->importPolicy(policy.value(), name); !s)
        MessageBox::critical(m_window, tr("Import policy"), tr("The policy was not imported."), s.message());
}

void FileCommands::exportPolicy()
{
    if (!workspace())
        return;
    const QString suggested = workspaceFolder() + QLatin1Char('/')
        + QFileInfo(workspace()->path()).completeBaseName() + QStringLiteral("-policy.json");
    const QString path = FileDialog::getSaveFileName(m_window, tr("Export policy"), suggested,
        tr("Policy files (*.json);;All files (*)"), QStringLiteral("json"));
    if (path.isEmpty())
        return;
    const QByteArray bytes = PolicyJson::exportPolicy(workspace()->policy());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        MessageBox::critical(
            m_window, tr("Export policy"), tr("“%1” could not be written.").arg(path), file.errorString());
        return;
    }
    m_window->statusBar()->showMessage(tr("Exported the policy (roles: %1, permissions: %2) to %3")
                                 .arg(workspace()->policy().roles.size())
                                 .arg(workspace()->policy().permissions.size())
                                 .arg(QDir::toNativeSeparators(path)),
        8000);
}

void FileCommands::importAuditEntries()
{
    m_window->setCurrentPage(MainWindow::Page::Audit);
    if (auto* audit = qobject_cast<AuditPage*>(m_window->page(MainWindow::Page::Audit)))
        audit->importFile();
    else
        MessageBox::information(m_window, tr("Import audit entries"),
            tr("The audit trail page is not available."), tr("Use “klaviyo-rbac audit import FILE.jsonl”."));
}

} // namespace rbac
