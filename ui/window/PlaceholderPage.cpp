#include "window/PlaceholderPage.h"

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

QList<PlaceholderPage*> PlaceholderPage::untilInstalled(QWidget* parent)
{
    QList<PlaceholderPage*> pages;
    pages << new PlaceholderPage(QStringLiteral("apiKeysPage"), tr("API keys"),
        tr("Each role gets its own Klaviyo private API key, created in Klaviyo with exactly the role's "
           "scopes and "
           "kept in your system keychain, never in the workspace file. This page will list those keys, "
           "verify them "
           "against Klaviyo and remind you when one is due for rotation."),
        tr("Meanwhile: select a role on Roles & permissions. Its Effective scopes tab has the link that "
           "creates "
           "the role's key in Klaviyo with the right scopes."),
        parent);
    pages << new PlaceholderPage(QStringLiteral("oauthPage"), tr("OAuth connection"),
        tr("Connect the console to your Klaviyo account with OAuth, so it can confirm which account a key "
           "belongs "
           "to and check what a key may do. This page will show the connection and let you connect, "
           "reconnect or "
           "disconnect."),
        tr("Meanwhile nothing else needs a connection: the matrix, effective scopes, role comparison and "
           "simulator "
           "all work offline."),
        parent);
    pages << new PlaceholderPage(QStringLiteral("auditPage"), tr("Audit trail"),
        tr("Every change, from this console or from klaviyo-rbac, is recorded in the workspace's "
           "hash-chained, "
           "tamper-evident audit log. This page will let you browse, search, verify and export it."),
        tr("Meanwhile: “klaviyo-rbac audit list” shows the newest entries and “klaviyo-rbac audit verify” "
           "checks "
           "the chain."),
        parent);
    return pages;
}

} // namespace rbac
