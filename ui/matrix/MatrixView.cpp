#include "matrix/MatrixView.h"

#include "matrix/MatrixDelegate.h"
#include "matrix/RotatedHeaderView.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMouseEvent>

namespace rbac {

MatrixView::MatrixView(QWidget* parent)
    : QTableView(parent)
{
    setItemDelegate(new MatrixDelegate(this));
    auto* header = new RotatedHeaderView(this);
    header->setObjectName(QStringLiteral("matrixPermissionHeader"));
    setHorizontalHeader(header);
    header->setSectionResizeMode(QHeaderView::Fixed);
    header->setDefaultSectionSize(34);
    header->setMinimumSectionSize(28);
    verticalHeader()->setObjectName(QStringLiteral("matrixRoleHeader"));
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(28);
    verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    verticalHeader()->setMinimumWidth(120);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectItems);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setTabKeyNavigation(false);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    setAlternatingRowColors(true);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);

    for (QHeaderView* h : {horizontalHeader(), verticalHeader()})
        h->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(horizontalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const int column = horizontalHeader()->logicalIndexAt(pos);
        if (column >= 0)
            emit permissionHeaderMenuRequested(column, horizontalHeader()->mapToGlobal(pos));
    });
    connect(verticalHeader(), &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const int row = verticalHeader()->logicalIndexAt(pos);
        if (row >= 0)
            emit roleHeaderMenuRequested(row, verticalHeader()->mapToGlobal(pos));
    });
}

bool MatrixView::toggle(const QModelIndex& index)
{
    if (!index.isValid() || !model())
        return false;
    const Qt::ItemFlags flags = model()->flags(index);
    if (!(flags & Qt::ItemIsUserCheckable) || !(flags & Qt::ItemIsEnabled))
        return false;
    const bool checked = index.data(Qt::CheckStateRole).toInt() == Qt::Checked;
    return model()->setData(index, checked ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
}

void MatrixView::mousePressEvent(QMouseEvent* event)
{
    m_pressed = event->button() == Qt::LeftButton ? indexAt(event->position().toPoint()) : QModelIndex();
    QTableView::mousePressEvent(event);
}

void MatrixView::mouseReleaseEvent(QMouseEvent* event)
{
    const QModelIndex index = indexAt(event->position().toPoint());
    const bool click = event->button() == Qt::LeftButton && index.isValid() && index == m_pressed;
    m_pressed = QModelIndex();
    QTableView::mouseReleaseEvent(event);
    if (click)
        toggle(index);
}

void MatrixView::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Space || event->key() == Qt::Key_Select)
        && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
        if (currentIndex().isValid()) {
            toggle(currentIndex());
            event->accept();
            return;
        }
    }
    QTableView::keyPressEvent(event);
}

void MatrixView::contextMenuEvent(QContextMenuEvent* event)
{
    QModelIndex index = indexAt(event->pos());
    QPoint global = event->globalPos();
    if (event->reason() == QContextMenuEvent::Keyboard) {
        index = currentIndex();
        global = viewport()->mapToGlobal(visualRect(index).center());
    }
    if (index.isValid()) {
        emit cellMenuRequested(index, global);
        event->accept();
    }
}

void MatrixView::selectionChanged(const QItemSelection& selected, const QItemSelection& deselected)
{
    QTableView::selectionChanged(selected, deselected);
    // Assistive technology selects a cell without making it current, and Space toggles the
    // current cell: follow the selection so Space acts on the cell the user chose.
    const QModelIndexList cells = selected.indexes();
    if (cells.size() == 1 && cells.constFirst() != currentIndex())
        selectionModel()->setCurrentIndex(cells.constFirst(), QItemSelectionModel::NoUpdate);
}

void MatrixView::currentChanged(const QModelIndex& current, const QModelIndex& previous)
{
    QTableView::currentChanged(current, previous);
    // The permission header shows the current column in bold.
    if (previous.column() != current.column())
        horizontalHeader()->viewport()->update();
}

} // namespace rbac
