#include "window/PageIcons.h"

#include <QApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

namespace rbac {

namespace {

// Each glyph is drawn on a 24 × 24 grid, scaled to the requested rectangle.
void drawRoles(QPainter& p)
{
    // A grid of checkable cells: the role × permission matrix.
    for (int row = 0; row < 3; ++row) {
        for (int col = 0; col < 3; ++col) {
            const QRectF cell(3 + col * 6.5, 3 + row * 6.5, 5, 5);
            if ((row + col) % 2 == 0)
                p.fillRect(cell, p.pen().color());
            else
                p.drawRect(cell);
        }
    }
}

void drawKey(QPainter& p)
{
    p.drawEllipse(QPointF(7.5, 12), 4.5, 4.5);
    p.drawLine(QPointF(12, 12), QPointF(21, 12));
    p.drawLine(QPointF(18, 12), QPointF(18, 16));
    p.drawLine(QPointF(21, 12), QPointF(21, 15));
}

void drawOAuth(QPainter& p)
{
    // Two chain links: a connection.
    p.drawRoundedRect(QRectF(2.5, 8.5, 11, 7), 3.5, 3.5);
    p.drawRoundedRect(QRectF(10.5, 8.5, 11, 7), 3.5, 3.5);
}

void drawAudit(QPainter& p)
{
    // A list with a check mark: the trail.
    p.drawRect(QRectF(4, 2.5, 16, 19));
    for (int i = 0; i < 3; ++i)
        p.drawLine(QPointF(7, 7.5 + i * 4), QPointF(17, 7.5 + i * 4));
    QPainterPath check;
    check.moveTo(12, 19);
    check.lineTo(14.5, 21.5);
    check.lineTo(21.5, 14.5);
    p.drawPath(check);
}

class PainterIconEngine : public QIconEngine
{
public:
    explicit PainterIconEngine(PageIcon icon)
        : m_icon(icon)
    {
    }

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State) override
    {
        const QPalette palette = QApplication::palette();
        QColor color = palette.color(mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Normal,
            mode == QIcon::Selected ? QPalette::HighlightedText : QPalette::WindowText);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->translate(rect.topLeft());
        painter->scale(rect.width() / 24.0, rect.height() / 24.0);
        QPen pen(color, 1.6);
        pen.setCapStyle(Qt::RoundCap);
        pen.setJoinStyle(Qt::RoundJoin);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        switch (m_icon) {
        case PageIcon::Roles:
            drawRoles(*painter);
            break;
        case PageIcon::ApiKeys:
            drawKey(*painter);
            break;
        case PageIcon::OAuth:
            drawOAuth(*painter);
            break;
        case PageIcon::Audit:
            drawAudit(*painter);
            break;
        }
        painter->restore();
    }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pixmap(size * scale);
        pixmap.fill(Qt::transparent);
        {
            QPainter painter(&pixmap);
            paint(&painter, QRect(QPoint(0, 0), pixmap.size()), mode, state);
        }
        pixmap.setDevicePixelRatio(scale);
        return pixmap;
    }

    QIconEngine* clone() const override { return new PainterIconEngine(m_icon); }

private:
    PageIcon m_icon;
};

} // namespace

QIcon pageIcon(PageIcon icon)
{
    return QIcon(new PainterIconEngine(icon));
}

} // namespace rbac
