#include "PlaceholderPage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace rbac {

PlaceholderPage::PlaceholderPage(const QString& objectName,
    const QString& title,
    const QString& description,
    const QString& meanwhile,
    QWidget* parent)
    : QWidget(parent)
{
    setObjectName(objectName);
    setAccessibleName(title);
    auto* heading = new QLabel(title, this);
    heading->setObjectName(objectName + QStringLiteral("Title"));
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    heading->setFont(font);
    auto* body = new QLabel(description, this);
    body->setObjectName(objectName + QStringLiteral("Description"));
    body->setWordWrap(true);
    auto* status = new QLabel(tr("Not available in this version yet."), this);
    status->setObjectName(objectName + QStringLiteral("Status"));
    status->setStyleSheet(QStringLiteral("color: palette(mid); font-style: italic;"));
    auto* hint = new QLabel(meanwhile, this);
    hint->setObjectName(objectName + QStringLiteral("Meanwhile"));
    hint->setWordWrap(true);
    hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hint->setAccessibleName(meanwhile);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 48, 48, 48);
    layout->setSpacing(14);
    layout->addStretch(1);
    layout->addWidget(heading);
    layout->addWidget(body);
    layout->addWidget(status);
    layout->addWidget(hint);
    layout->addStretch(2);
    for (QLabel* label : {heading, body, status, hint})
        label->setMaximumWidth(640);
}

} // namespace rbac
