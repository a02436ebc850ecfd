#include "matrix/ChecklistView.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QMouseEvent>

namespace rbac {

ChecklistView::ChecklistView(QWidget* parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setTabKeyNavigation(false);
    setWordWrap(false);
    setAlternatingRowColors(true);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(24);
    horizontalHeader()->setStretchLastSection(true);
}

bool ChecklistView::toggleRow(int row)
{
    if (!model() || row < 0 || row >= model()->rowCount())
        return false;
    const QModelIndex box = model()->index(row, 0);
    if (!(model()->flags(box) & Qt::ItemIsUserCheckable))
        return false;
    const bool checked = box.data(Qt::CheckStateRole).toInt() == Qt::Checked;
    return model()->setData(box, checked ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
}

void ChecklistView::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Space || event->key() == Qt::Key_Select) && currentIndex().isValid()
        && event->modifiers() == Qt::NoModifier) {
        toggleRow(currentIndex().row());
        event->accept();
        return;
    }
    QTableView::keyPressEvent(event);
}

void ChecklistView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const QModelIndex index = indexAt(event->position().toPoint());
    bool onBox = false;
    if (index.isValid() && index.column() == 0) {
        // The box itself toggles on the click already; a double-click there must not undo that.
        QStyleOptionViewItem opt;
        initViewItemOption(&opt);
        opt.rect = visualRect(index);
        opt.features |= QStyleOptionViewItem::HasCheckIndicator;
        onBox = style()
                    ->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &opt, this)
                    .contains(event->position().toPoint());
    }
    if (event->button() == Qt::LeftButton && index.isValid() && !onBox) {
        toggleRow(index.row());
        event->accept();
        return;
    }
    QTableView::mouseDoubleClickEvent(event);
}

} // namespace rbac
