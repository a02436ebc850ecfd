#include "matrix/RotatedHeaderView.h"

#include <QItemSelectionModel>
#include <QPainter>

namespace rbac {

namespace {

constexpr int padding = 8;

} // namespace

RotatedHeaderView::RotatedHeaderView(QWidget* parent)
    : QHeaderView(Qt::Horizontal, parent)
{
    setSectionsClickable(true);
    setHighlightSections(true);
    setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

QSize RotatedHeaderView::sectionSizeFromContents(int logicalIndex) const
{
    if (!model())
        return {};
    const QString text = model()->headerData(logicalIndex, orientation(), Qt::DisplayRole).toString();
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fm(bold);
    const int length = std::min(fm.horizontalAdvance(text), m_maxLabel);
    return QSize(fm.height() + 2 * padding, length + 2 * padding);
}

void RotatedHeaderView::paintSection(QPainter* painter, const QRect& rect, int logicalIndex) const
{
    if (!rect.isValid() || !model())
        return;
    QStyleOptionHeader opt;
    initStyleOption(&opt);
    opt.rect = rect;
    opt.section = logicalIndex;
    opt.textAlignment = Qt::AlignLeft | Qt::AlignVCenter;
    const bool current = selectionModel() && selectionModel()->currentIndex().isValid()
        && selectionModel()->currentIndex().column() == logicalIndex;
    if (current)
        opt.state |= QStyle::State_On | QStyle::State_Sunken;
    if (isEnabled())
        opt.state |= QStyle::State_Enabled;
    painter->save();
    style()->drawControl(QStyle::CE_HeaderSection, &opt, painter, this);

    QFont font = painter->font();
    font.setBold(current);
    painter->setFont(font);
    const QFontMetrics fm(font);
    const QString text = model()->headerData(logicalIndex, orientation(), Qt::DisplayRole).toString();
    const QString elided = fm.elidedText(text, Qt::ElideRight, rect.height() - 2 * padding);
    // Rotated a quarter turn counter-clockwise: x runs up the section, y runs right across it.
    painter->translate(rect.left(), rect.bottom());
    painter->rotate(-90);
    painter->setPen(opt.palette.color(QPalette::ButtonText));
    painter->drawText(QRect(padding, 0, rect.height() - 2 * padding, rect.width()),
        Qt::AlignLeft | Qt::AlignVCenter, elided);
    painter->restore();
}

} // namespace rbac
