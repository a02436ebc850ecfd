#include "FileDialog.h"

#include <QFileDialog>

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

} // namespace rbac
