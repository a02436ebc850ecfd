#pragma once

#include <QTableView>

namespace rbac {

// A table whose first column is a check box: Space or a double-click on any cell of a row
// toggles it, a click on the box too. Used by the catalog pickers.
class ChecklistView : public QTableView
{
    Q_OBJECT

public:
    explicit ChecklistView(QWidget* parent = nullptr);

    bool toggleRow(int row);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
};

} // namespace rbac
