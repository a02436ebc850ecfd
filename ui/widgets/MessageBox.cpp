#include "widgets/MessageBox.h"

#include <QAbstractButton>

namespace rbac {

namespace {

bool s_testMode = false;
QMessageBox::StandardButton s_nextAnswer = QMessageBox::NoButton;
QVector<MessageBox::Shown> s_history;

} // namespace

bool MessageBox::confirm(QWidget* parent,
    const QString& title,
    const QString& text,
    const QString& informativeText,
    const QString& acceptText)
{
    return show(QMessageBox::Warning, parent, title, text, informativeText,
               QMessageBox::Ok | QMessageBox::Cancel, QMessageBox::Cancel, acceptText)
        == QMessageBox::Ok;
}

void MessageBox::information(
    QWidget* parent, const QString& title, const QString& text, const QString& informativeText)
{
    show(
        QMessageBox::Information, parent, title, text, informativeText, QMessageBox::Ok, QMessageBox::Ok, {});
}

void MessageBox::warning(
    QWidget* parent, const QString& title, const QString& text, const QString& informativeText)
{
    show(QMessageBox::Warning, parent, title, text, informativeText, QMessageBox::Ok, QMessageBox::Ok, {});
}

void MessageBox::critical(
    QWidget* parent, const QString& title, const QString& text, const QString& informativeText)
{
    show(QMessageBox::Critical, parent, title, text, informativeText, QMessageBox::Ok, QMessageBox::Ok, {});
}

QMessageBox::StandardButton MessageBox::show(QMessageBox::Icon icon,
    QWidget* parent,
    const QString& title,
    const QString& text,
    const QString& informativeText,
    QMessageBox::StandardButtons buttons,
    QMessageBox::StandardButton defaultButton,
    const QString& acceptText)
{
    if (s_testMode) {
        QMessageBox::StandardButton answer
            = s_nextAnswer != QMessageBox::NoButton ? s_nextAnswer : defaultButton;
        s_nextAnswer = QMessageBox::NoButton;
        s_history.append({icon, title, text, informativeText, answer});
        return answer;
    }
    QMessageBox box(icon, title, text, buttons, parent);
    box.setObjectName(QStringLiteral("messageBox"));
    box.setInformativeText(informativeText);
    box.setDefaultButton(defaultButton);
    box.setEscapeButton(buttons.testFlag(QMessageBox::Cancel) ? QMessageBox::Cancel : defaultButton);
    if (!acceptText.isEmpty()) {
        if (QAbstractButton* ok = box.button(QMessageBox::Ok)) {
            ok->setText(acceptText);
            ok->setAccessibleName(acceptText);
        }
    }
    box.setAccessibleName(title);
    return QMessageBox::StandardButton(box.exec());
}

void MessageBox::setTestMode(bool on)
{
    s_testMode = on;
}

bool MessageBox::testMode()
{
    return s_testMode;
}

void MessageBox::setNextAnswer(QMessageBox::StandardButton answer)
{
    s_nextAnswer = answer;
}

const QVector<MessageBox::Shown>& MessageBox::history()
{
    return s_history;
}

void MessageBox::clearHistory()
{
    s_history.clear();
}

} // namespace rbac
