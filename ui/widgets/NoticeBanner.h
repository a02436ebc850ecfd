#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace rbac {

// A dismissible strip above a page: first-run guidance, changes loaded from elsewhere, errors.
// Child object names derive from the banner's: <name>Text, <name>Action, <name>Dismiss.
class NoticeBanner : public QFrame
{
    Q_OBJECT

public:
    enum class Kind
    {
        Info,
        Success,
        Warning,
        Error
    };

    NoticeBanner(const QString& objectName, QWidget* parent = nullptr);

    void showMessage(Kind kind, const QString& text);
    // An optional button next to the text; empty hides it.
    void setActionText(const QString& text);
    QString text() const;
    Kind kind() const { return m_kind; }

signals:
    void actionTriggered();
    void dismissed();

private:
    Kind m_kind = Kind::Info;
    QLabel* m_text;
    QPushButton* m_action;
    QToolButton* m_dismiss;
};

} // namespace rbac
