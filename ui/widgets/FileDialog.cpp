#include "widgets/FileDialog.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QLineEdit>
#include <QObject>

namespace rbac {

namespace {

bool s_testMode = false;
QString s_next;

} // namespace

bool FileDialog::takeNext(QString* fileName)
{
    if (!s_testMode)
        return false;
    *fileName = s_next;
    s_next.clear();
    return true;
}

QString FileDialog::getOpenFileName(
    QWidget* parent, const QString& caption, const QString& dir, const QString& filter)
{
    QString name;
    if (takeNext(&name))
        return name;
    return QFileDialog::getOpenFileName(parent, caption, dir, filter);
}

QString FileDialog::getSaveFileName(QWidget* parent,
    const QString& caption,
    const QString& dir,
    const QString& filter,
    const QString& defaultSuffix,
    bool confirmOverwrite)
{
    QString name;
    if (takeNext(&name))
        return name;
    QFileDialog dialog(parent, caption, dir, filter);
    dialog.setObjectName(QStringLiteral("saveFileDialog"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(defaultSuffix);
    dialog.setOption(QFileDialog::DontConfirmOverwrite, !confirmOverwrite);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty())
        return {};
    return dialog.selectedFiles().constFirst();
}

void FileDialog::setTestMode(bool on)
{
    s_testMode = on;
}

void FileDialog::setNextFileName(const QString& fileName)
{
    s_next = fileName;
}

QString FileDialog::getWorkspaceUri(QWidget* parent, const QString& last)
{
    QString uri;
    if (takeNext(&uri))
        return uri;
    bool ok = false;
    uri = QInputDialog::getText(parent, QObject::tr("Open team workspace"),
        QObject::tr("PostgreSQL connection URI, e.g. postgresql://alice@db.example.com:5432/klaviyo_rbac"
                    "?sslmode=verify-full\nThe password comes from ~/.pgpass, never from the URI."),
        QLineEdit::Normal, last, &ok);
    return ok ? uri.trimmed() : QString();
}

} // namespace rbac
