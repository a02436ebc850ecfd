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

    // The API keys, OAuth and Audit pages' stand-ins, for a window nobody gave the real ones
    // (see ConsolePages).
    static QList<PlaceholderPage*> untilInstalled(QWidget* parent);
};

} // namespace rbac
