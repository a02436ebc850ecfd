#pragma once

#include <QWidget>

namespace rbac {

// An honest empty state for a page another feature fills in: what will be here, and what to use
// until then.
class PlaceholderPage : public QWidget
{
    Q_OBJECT

public:
    PlaceholderPage(const QString& objectName,
        const QString& title,
        const QString& description,
        const QString& meanwhile,
        QWidget* parent = nullptr);
};

} // namespace rbac
