#pragma once

#include <QPersistentModelIndex>
#include <QTableView>

namespace rbac {

// The role × permission grid. A click anywhere in a cell, or Space / Select on the current cell,
// toggles it through the model (which commits it); arrow keys, Home/End and Page Up/Down move.
// Tab leaves the grid, so keyboard users can reach the rest of the page. Context menus on cells
// and on both headers are reported as signals for the page to fill.
class MatrixView : public QTableView
{
    Q_OBJECT

public:
    explicit MatrixView(QWidget* parent = nullptr);

    // Flips a checkable cell; false when the model refused.
    bool toggle(const QModelIndex& index);

signals:
    void roleHeaderMenuRequested(int row, const QPoint& globalPos);
    void permissionHeaderMenuRequested(int column, const QPoint& globalPos);
    void cellMenuRequested(const QModelIndex& index, const QPoint& globalPos);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void selectionChanged(const QItemSelection& selected, const QItemSelection& deselected) override;
    void currentChanged(const QModelIndex& current, const QModelIndex& previous) override;

private:
    QPersistentModelIndex m_pressed;
};

} // namespace rbac
