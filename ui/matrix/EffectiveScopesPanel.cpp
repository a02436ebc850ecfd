#include "matrix/EffectiveScopesPanel.h"

#include "items/EffectiveScopesModel.h"
#include "widgets/MessageBox.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace rbac {

EffectiveScopesPanel::EffectiveScopesPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new EffectiveScopesModel(this))
    , m_stack(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_title(new QLabel(this))
    , m_view(new QTableView(this))
    , m_link(new QLineEdit(this))
    , m_copy(new QPushButton(tr("&Copy link"), this))
    , m_open(new QPushButton(tr("Open in &Klaviyo"), this))
{
    setObjectName(QStringLiteral("effectiveScopesPanel"));
    m_empty->setObjectName(QStringLiteral("effectiveScopesEmpty"));
    m_empty->setText(tr("Select a role in the matrix to see the Klaviyo scopes its API key needs."));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_title->setObjectName(QStringLiteral("effectiveScopesTitle"));
    m_title->setWordWrap(true);

    m_view->setObjectName(QStringLiteral("effectiveScopesView"));
    m_view->setAccessibleName(tr("Klaviyo scopes the role needs"));
    m_model->setDeferredUpdates(true);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setTabKeyNavigation(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->resizeSection(0, 170); // measuring contents on every change costs too much
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);

    auto* linkLabel
        = new QLabel(tr("Create this role's key in Klaviyo with these scopes pre-selected:"), this);
    linkLabel->setObjectName(QStringLiteral("createKeyLinkLabel"));
    linkLabel->setWordWrap(true);
    m_link->setObjectName(QStringLiteral("createKeyLinkEdit"));
    m_link->setReadOnly(true);
    m_link->setAccessibleName(tr("Link that creates the role's Klaviyo API key"));
    linkLabel->setBuddy(m_link);
    m_copy->setObjectName(QStringLiteral("copyLinkButton"));
    m_copy->setAccessibleName(tr("Copy link"));
    m_copy->setToolTip(tr("Copy the link to the clipboard"));
    m_open->setObjectName(QStringLiteral("openLinkButton"));
    m_open->setAccessibleName(tr("Open in Klaviyo"));
    m_open->setToolTip(tr("Open the link in your web browser (sign in to Klaviyo first)"));
    auto* note
        = new QLabel(tr("Klaviyo fixes a key's scopes when it is created: after a change here, create a new "
                        "key and retire the old one."),
            this);
    note->setObjectName(QStringLiteral("createKeyNote"));
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color: palette(mid);"));

    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_view, 1);
    layout->addWidget(linkLabel);
    layout->addWidget(m_link);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_open);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    layout->addWidget(note);

    m_stack->addWidget(m_empty);
    m_stack->addWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    outer->addWidget(m_stack);

    connect(m_copy, &QPushButton::clicked, this, &EffectiveScopesPanel::copyLink);
    connect(m_open, &QPushButton::clicked, this, &EffectiveScopesPanel::openLink);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EffectiveScopesPanel::refresh);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &EffectiveScopesPanel::refresh);
    refresh();
}

void EffectiveScopesPanel::setWorkspace(Workspace* workspace)
{
    m_model->setWorkspace(workspace);
}

void EffectiveScopesPanel::setRole(const QString& role)
{
    m_model->setRole(role);
    refresh();
}

QString EffectiveScopesPanel::link() const
{
    return m_model->createKeyLink();
}

void EffectiveScopesPanel::refresh()
{
    if (!m_model->hasRole()) {
        m_stack->setCurrentIndex(0);
        return;
    }
    m_stack->setCurrentIndex(1);
    const int count = m_model->rowCount();
    m_title->setText(
        tr("Klaviyo scopes <b>%1</b> needs: %2").arg(m_model->role().toHtmlEscaped()).arg(count));
    m_link->setText(link());
    m_link->setCursorPosition(0);
    m_link->setToolTip(link());
    m_copy->setText(tr("&Copy link"));
}

void EffectiveScopesPanel::copyLink()
{
    QGuiApplication::clipboard()->setText(link());
    m_copy->setText(tr("Copied"));
}

void EffectiveScopesPanel::openLink()
{
    if (!QDesktopServices::openUrl(QUrl(link()))) {
        MessageBox::warning(this, tr("Cannot open a web browser"),
            tr("No web browser could be opened for the link."),
            tr("Use Copy link and open it in your browser while signed in to Klaviyo."));
    }
}

} // namespace rbac
