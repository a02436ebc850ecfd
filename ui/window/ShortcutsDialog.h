#pragma once

#include <QDialog>

class QMenuBar;
class QTreeWidget;

namespace rbac {

// Help ▸ Keyboard shortcuts: every menu command that has a shortcut, read from the menu bar itself
// (so the list cannot drift from what the keys do), plus the keys of the matrix and tables.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QMenuBar* menuBar, QWidget* parent = nullptr);

    QTreeWidget* list() const { return m_list; }

private:
    QTreeWidget* m_list;
};

} // namespace rbac
