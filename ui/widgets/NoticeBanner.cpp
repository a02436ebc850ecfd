#include "widgets/NoticeBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextDocumentFragment>
#include <QToolButton>

namespace rbac {

NoticeBanner::NoticeBanner(const QString& objectName, QWidget* parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_dismiss(new QToolButton(this))
{
    setObjectName(objectName);
    setFrameShape(QFrame::StyledPanel);
    m_text->setObjectName(objectName + QStringLiteral("Text"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setAccessibleName(tr("Message"));
    m_action->setObjectName(objectName + QStringLiteral("Action"));
    m_action->setAccessibleName(tr("Message action"));
    m_action->hide();
    m_dismiss->setObjectName(objectName + QStringLiteral("Dismiss"));
    m_dismiss->setText(QStringLiteral("✕"));
    m_dismiss->setAutoRaise(true);
    m_dismiss->setToolTip(tr("Dismiss this message"));
    m_dismiss->setAccessibleName(tr("Dismiss message"));
    m_dismiss->setFocusPolicy(Qt::TabFocus);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 8, 6, 8);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_dismiss, 0, Qt::AlignTop);

    connect(m_action, &QPushButton::clicked, this, &NoticeBanner::actionTriggered);
    connect(m_dismiss, &QToolButton::clicked, this, [this] {
        hide();
        emit dismissed();
    });
    hide();
}

void NoticeBanner::showMessage(Kind kind, const QString& text)
{
    m_kind = kind;
    QString background, border;
    switch (kind) {
    case Kind::Info:
        background = QStringLiteral("#eaf2fd");
        border = QStringLiteral("#a9c7f0");
        break;
    case Kind::Success:
        background = QStringLiteral("#e9f6ec");
        border = QStringLiteral("#9fd1ab");
        break;
    case Kind::Warning:
        background = QStringLiteral("#fff6df");
        border = QStringLiteral("#e8c66b");
        break;
    case Kind::Error:
        background = QStringLiteral("#fdecea");
        border = QStringLiteral("#eba39b");
        break;
    }
    setStyleSheet(QStringLiteral("QFrame#%1 { background: %2; border: 1px solid %3; border-radius: 4px; }"
                                 "QFrame#%1 QLabel { color: #1d1d1f; background: transparent; }")
                      .arg(objectName(), background, border));
    m_text->setText(text);
    setAccessibleName(tr("Message"));
    m_text->setAccessibleName(QTextDocumentFragment::fromHtml(text).toPlainText());
    show();
}

void NoticeBanner::setActionText(const QString& text)
{
    m_action->setText(text);
    m_action->setAccessibleName(
        text.isEmpty() ? tr("Message action") : QString(text).remove(QLatin1Char('&')));
    m_action->setVisible(!text.isEmpty());
}

QString NoticeBanner::text() const
{
    return m_text->text();
}

} // namespace rbac
