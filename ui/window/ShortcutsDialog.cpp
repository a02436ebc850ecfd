#include "window/ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rbac {

namespace {

QString plain(QString text)
{
    // "&Undo “grant …”" → "Undo “grant …”": mnemonics mean nothing in a list.
    text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
    return text.replace(QStringLiteral("&&"), QStringLiteral("&")).remove(QStringLiteral("…"));
}

void addMenu(QTreeWidget* list, const QMenu* menu)
{
    QTreeWidgetItem* group = nullptr;
    for (const QAction* action : menu->actions()) {
        if (action->menu()) {
            addMenu(list, action->menu());
            continue;
        }
        const QList<QKeySequence> keys = action->shortcuts();
        if (keys.isEmpty() || action->isSeparator())
            continue;
        if (!group) {
            group = new QTreeWidgetItem(list, {plain(menu->title())});
            group->setFirstColumnSpanned(true);
        }
        QStringList shown;
        for (const QKeySequence& key : keys)
            shown << key.toString(QKeySequence::NativeText);
        new QTreeWidgetItem(group, {plain(action->text()), shown.join(QStringLiteral(", "))});
    }
}

} // namespace

ShortcutsDialog::ShortcutsDialog(const QMenuBar* menuBar, QWidget* parent)
    : QDialog(parent)
    , m_list(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard shortcuts"));
    m_list->setObjectName(QStringLiteral("shortcutsList"));
    m_list->setAccessibleName(tr("Keyboard shortcuts"));
    m_list->setHeaderLabels({tr("Command"), tr("Keys")});
    m_list->setRootIsDecorated(false);
    m_list->setItemsExpandable(false);
    for (const QAction* action : menuBar->actions()) {
        if (action->menu())
            addMenu(m_list, action->menu());
    }
    auto* tables = new QTreeWidgetItem(m_list, {tr("Matrix and tables")});
    tables->setFirstColumnSpanned(true);
    const QList<QPair<QString, QString>> fixed {
        {tr("Move between cells"), tr("Arrow keys, Home, End, Page Up, Page Down")},
        {tr("Grant or revoke the current cell"), tr("Space")},
        {tr("Move between controls"), tr("Tab, Shift+Tab")},
        {tr("Open a menu"), tr("Alt + the underlined letter")},
    };
    for (const auto& [what, keys] : fixed)
        new QTreeWidgetItem(tables, {what, keys});
    m_list->expandAll();
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("shortcutsButtons"));
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("shortcutsCloseButton"));
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(buttons);
    resize(560, 520);
}

} // namespace rbac
