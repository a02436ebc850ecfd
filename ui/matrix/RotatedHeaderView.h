#pragma once

#include <QHeaderView>

namespace rbac {

// A horizontal header whose labels run bottom to top, so a matrix of many permissions stays
// narrow. The text of the current column is bold. Tooltips and accessibility are QHeaderView's.
class RotatedHeaderView : public QHeaderView
{
    Q_OBJECT

public:
    explicit RotatedHeaderView(QWidget* parent = nullptr);

    // Longer labels are elided.
    void setMaximumLabelLength(int pixels) { m_maxLabel = pixels; }

protected:
    void paintSection(QPainter* painter, const QRect& rect, int logicalIndex) const override;
    QSize sectionSizeFromContents(int logicalIndex) const override;

private:
    int m_maxLabel = 220;
};

} // namespace rbac
