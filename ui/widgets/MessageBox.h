#pragma once

#include <QMessageBox>
#include <QVector>

namespace rbac {

// Every message box of the console goes through here, so tests never block (the KeePassXC
// MessageBox idea). In test mode nothing is shown: the answer is the one given to
// setNextAnswer(), else the box's default button, and every box is recorded in history().
class MessageBox
{
public:
    struct Shown
    {
        QMessageBox::Icon icon = QMessageBox::NoIcon;
        QString title;
        QString text;
        QString informativeText;
        QMessageBox::StandardButton answer = QMessageBox::NoButton;
    };

    // A destructive or weighty step: `acceptText` names it ("Remove role"); Cancel is the default.
    static bool confirm(QWidget* parent,
        const QString& title,
        const QString& text,
        const QString& informativeText,
        const QString& acceptText);
    static void information(
        QWidget* parent, const QString& title, const QString& text, const QString& informativeText = {});
    static void warning(
        QWidget* parent, const QString& title, const QString& text, const QString& informativeText = {});
    static void critical(
        QWidget* parent, const QString& title, const QString& text, const QString& informativeText = {});

    static void setTestMode(bool on);
    static bool testMode();
    // The answer of the next box (test mode only); confirm() accepts on QMessageBox::Ok.
    static void setNextAnswer(QMessageBox::StandardButton answer);
    static const QVector<Shown>& history();
    static void clearHistory();

private:
    static QMessageBox::StandardButton show(QMessageBox::Icon icon,
        QWidget* parent,
        const QString& title,
        const QString& text,
        const QString& informativeText,
        QMessageBox::StandardButtons buttons,
        QMessageBox::StandardButton defaultButton,
        const QString& acceptText);
};

} // namespace rbac
