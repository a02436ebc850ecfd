#include "matrix/MatrixDelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPixmapCache>

namespace rbac {

namespace {

// The style's check box, drawn once per look and reused: a matrix paints hundreds of them.
QPixmap indicator(QStyle* style, const QStyleOptionViewItem& option, bool checked, const QWidget* widget)
{
    const int w = style->pixelMetric(QStyle::PM_IndicatorWidth, &option, widget);
    const int h = style->pixelMetric(QStyle::PM_IndicatorHeight, &option, widget);
    const qreal dpr = widget ? widget->devicePixelRatioF() : qApp->devicePixelRatio();
    const bool enabled = option.state & QStyle::State_Enabled;
    const bool selected = option.state & QStyle::State_Selected;
    const QString key = QStringLiteral("rbac-matrix-check-%1-%2-%3-%4-%5x%6@%7-%8")
                            .arg(style->name())
                            .arg(int(checked))
                            .arg(int(enabled))
                            .arg(int(selected))
                            .arg(w)
                            .arg(h)
                            .arg(dpr)
                            .arg(option.palette.cacheKey());
    QPixmap pixmap;
    if (QPixmapCache::find(key, &pixmap))
        return pixmap;
    pixmap = QPixmap(QSize(w, h) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    QStyleOptionViewItem box = option;
    box.rect = QRect(0, 0, w, h);
    box.state = (option.state & (QStyle::State_Enabled | QStyle::State_Selected | QStyle::State_Active))
        | (checked ? QStyle::State_On : QStyle::State_Off);
    style->drawPrimitive(QStyle::PE_IndicatorItemViewItemCheck, &box, &painter, widget);
    painter.end();
    QPixmapCache::insert(key, pixmap);
    return pixmap;
}

} // namespace

void MatrixDelegate::paint(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    const bool granted = index.data(Qt::CheckStateRole).toInt() == Qt::Checked;

    // Selection as the style draws it; otherwise a soft tint for granted cells.
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, widget);
    if (granted && !(option.state & QStyle::State_Selected)) {
        QColor tint = option.palette.color(QPalette::Highlight);
        tint.setAlpha(38);
        painter->fillRect(option.rect, tint);
    }
    const QPixmap box = indicator(style, option, granted, widget);
    const QSize size = box.deviceIndependentSize().toSize();
    QRect target(QPoint(0, 0), size);
    target.moveCenter(option.rect.center());
    painter->drawPixmap(target.topLeft(), box);

    if (option.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(option);
        focus.rect = option.rect.adjusted(1, 1, -1, -1);
        focus.state |= QStyle::State_KeyboardFocusChange | QStyle::State_Item;
        focus.backgroundColor = option.palette.color(QPalette::Base);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
}

QSize MatrixDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    return QSize(style->pixelMetric(QStyle::PM_IndicatorWidth, &option, widget) + 16,
        style->pixelMetric(QStyle::PM_IndicatorHeight, &option, widget) + 10);
}

bool MatrixDelegate::editorEvent(
    QEvent*, QAbstractItemModel*, const QStyleOptionViewItem&, const QModelIndex&)
{
    return false;
}

} // namespace rbac
