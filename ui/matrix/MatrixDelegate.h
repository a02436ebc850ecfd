#pragma once

#include <QStyledItemDelegate>

namespace rbac {

// Paints a matrix cell: a centred check box on a tinted background when granted. It never edits:
// MatrixView turns clicks and Space into toggles, so a click anywhere in the cell counts.
class MatrixDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

protected:
    bool editorEvent(QEvent* event,
        QAbstractItemModel* model,
        const QStyleOptionViewItem& option,
        const QModelIndex& index) override;
};

} // namespace rbac
