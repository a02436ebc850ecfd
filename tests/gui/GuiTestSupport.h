#pragma once

#include "widgets/FileDialog.h"
#include "widgets/MessageBox.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTest>
#include <QWidget>

#include <memory>

namespace rbac::test {

inline void clickCell(QAbstractItemView* view, const QModelIndex& index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->visualRect(index).center());
}

// Call from init(): any warning fails the test, except the offscreen plugin's harmless notice.
inline void failOnUnexpectedWarnings()
{
    QTest::failOnWarning(
        QRegularExpression(QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
}

// Message boxes and file dialogs answer from the test, never block.
inline void enableTestSeams()
{
    MessageBox::setTestMode(true);
    FileDialog::setTestMode(true);
}

// Interactive widgets (those that take focus) without an object name or an accessible name.
// Skips the private parts of composite Qt widgets (a combo box's line edit, tab bar arrows …).
inline QStringList unnamedWidgets(QWidget* root)
{
    QStringList out;
    const QList<QWidget*> widgets = root->findChildren<QWidget*>();
    for (QWidget* w : widgets) {
        if (w->focusPolicy() == Qt::NoFocus || w->objectName().startsWith(QLatin1String("qt_")))
            continue;
        QWidget* parent = w->parentWidget();
        if (qobject_cast<QComboBox*>(parent) || qobject_cast<QAbstractSpinBox*>(parent)
            || qobject_cast<QTabBar*>(parent) || (parent && parent->inherits("QComboBoxPrivateContainer")))
            continue;
        if (w->objectName().isEmpty() || w->accessibleName().isEmpty())
            out << QStringLiteral("%1 '%2' in %3")
                       .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(),
                           parent ? parent->objectName() : QString());
    }
    return out;
}

// A GUI test's start: seams on, throw-away standard paths, no workspace from the environment.
inline void prepareGuiTestCase()
{
    enableTestSeams();
    QStandardPaths::setTestModeEnabled(true);
    qputenv("KLAVIYO_RBAC_WORKSPACE", QByteArray());
}

// Before each test function: no settings or message boxes left over from the one before.
inline void resetGuiState()
{
    failOnUnexpectedWarnings();
    QSettings().clear();
    MessageBox::clearHistory();
}

} // namespace rbac::test
