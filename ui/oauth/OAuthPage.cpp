#include "oauth/OAuthPage.h"

#include "widgets/MessageBox.h"
#include "workspace/Workspace.h"
#include "oauth/OAuthService.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace rbac {

namespace {

template<typename T> T* named(T* widget, const QString& objectName, const QString& accessibleName)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(accessibleName);
    return widget;
}

// Qt logs the whole URL when it cannot open it, state and code_challenge included. While
// openUrl() runs, messages get the sign-in link without its query instead.
QtMessageHandler g_previousHandler = nullptr;
QString g_hiddenUrl;
QString g_shownUrl;

void redactingHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    QString text = message;
    text.replace(g_hiddenUrl, g_shownUrl);
    if (g_previousHandler)
        g_previousHandler(type, context, text);
}

bool openWithoutLoggingTheLink(const QUrl& url)
{
    g_hiddenUrl = url.toString(QUrl::FullyEncoded);
    g_shownUrl = url.toString(QUrl::RemoveQuery) + QStringLiteral("?…");
    g_previousHandler = qInstallMessageHandler(redactingHandler);
    const bool opened = QDesktopServices::openUrl(url);
    qInstallMessageHandler(g_previousHandler);
    g_hiddenUrl.clear();
    return opened;
}

QString timeText(const QDateTime& time)
{
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

OAuthPage::OAuthPage(Workspace* workspace, OAuthService* service, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_service(service)
{
    buildUi();
    connect(m_service, &OAuthService::authorizationUrlReady, this, &OAuthPage::openBrowser);
    connect(m_service, &OAuthService::progress, this,
        [this](const QString& text) { m_progressText->setText(text); });
    connect(m_service, &OAuthService::requestIgnored, this, [this](const QString& reason) {
        m_progressText->setText(tr("Ignored %1; still waiting for the sign-in.").arg(reason));
    });
    connect(m_service, &OAuthService::connectFinished, this, &OAuthPage::onConnectFinished);
    connect(m_service, &OAuthService::connectionChanged, this, &OAuthPage::reload);
    reload();
}

void OAuthPage::buildUi()
{
    auto* app = new QGroupBox(tr("Klaviyo OAuth app"), this);
    auto* form = new QFormLayout(app);
    m_clientId = named(new QLineEdit(app), QStringLiteral("oauthClientId"), tr("Client ID"));
    m_clientSecret = named(new QLineEdit(app), QStringLiteral("oauthClientSecret"), tr("Client secret"));
    m_clientSecret->setEchoMode(QLineEdit::Password);
    m_clientSecret->setPlaceholderText(tr("Kept in the keychain only; type to replace"));
    m_secretState = named(new QLabel(app), QStringLiteral("oauthSecretState"), tr("Client secret state"));
    m_redirectUri = named(new QLineEdit(app), QStringLiteral("oauthRedirectUri"), tr("Redirect URI"));
    m_redirectUri->setToolTip(tr("Exactly as registered on the app in Klaviyo: http://localhost or "
                                 "http://127.0.0.1, a fixed port and a path. Default: %1")
                                  .arg(OAuthConfig::defaultRedirectUri()));
    m_scopes = named(new QLineEdit(app), QStringLiteral("oauthScopes"), tr("Scopes to request"));
    m_scopes->setToolTip(tr("Space-separated. accounts:read is always requested."));
    m_roleScopes = named(new QPushButton(tr("Use the roles' scopes"), app),
        QStringLiteral("oauthUseRoleScopes"), tr("Use the roles' scopes"));
    m_save = named(
        new QPushButton(tr("Save settings"), app), QStringLiteral("oauthSaveSettings"), tr("Save settings"));
    auto* scopeRow = new QHBoxLayout;
    scopeRow->addWidget(m_scopes, 1);
    scopeRow->addWidget(m_roleScopes);
    form->addRow(tr("Client &ID:"), m_clientId);
    form->addRow(tr("Client &secret:"), m_clientSecret);
    form->addRow(QString(), m_secretState);
    form->addRow(tr("&Redirect URI:"), m_redirectUri);
    auto* scopesLabel = new QLabel(tr("S&copes:"), app);
    scopesLabel->setBuddy(m_scopes); // a layout cannot be a buddy: Alt+C goes to the text field
    form->addRow(scopesLabel, scopeRow);
    form->addRow(QString(), m_save);

    auto* status = new QGroupBox(tr("Connection"), this);
    auto* statusForm = new QFormLayout(status);
    m_state = named(new QLabel(status), QStringLiteral("oauthState"), tr("Connection state"));
    m_account = named(new QLabel(status), QStringLiteral("oauthAccount"), tr("Connected account"));
    m_granted = named(new QLabel(status), QStringLiteral("oauthGrantedScopes"), tr("Granted scopes"));
    m_granted->setWordWrap(true);
    m_expiry = named(new QLabel(status), QStringLiteral("oauthExpiry"), tr("Access token expiry"));
    m_warning = named(new QLabel(status), QStringLiteral("oauthWarning"), tr("Connection warning"));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #b54708"));
    for (QLabel* label : {m_state, m_account, m_granted, m_expiry, m_warning, m_secretState})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusForm->addRow(tr("State:"), m_state);
    statusForm->addRow(tr("Account:"), m_account);
    statusForm->addRow(tr("Granted scopes:"), m_granted);
    statusForm->addRow(tr("Expires:"), m_expiry);
    statusForm->addRow(QString(), m_warning);

    m_connect = named(new QPushButton(tr("&Connect…"), this), QStringLiteral("oauthConnect"), tr("Connect"));
    m_cancel
        = named(new QPushButton(tr("Cancel"), this), QStringLiteral("oauthCancel"), tr("Cancel sign-in"));
    m_refresh
        = named(new QPushButton(tr("&Refresh"), this), QStringLiteral("oauthRefresh"), tr("Refresh tokens"));
    m_disconnect = named(
        new QPushButton(tr("&Disconnect…"), this), QStringLiteral("oauthDisconnect"), tr("Disconnect"));
    m_progress = named(new QProgressBar(this), QStringLiteral("oauthProgress"), tr("Sign-in progress"));
    m_progress->setRange(0, 0); // busy: how long the person takes in the browser is unknown
    m_progressText
        = named(new QLabel(this), QStringLiteral("oauthProgressText"), tr("Sign-in progress text"));
    m_authUrl = named(new QLineEdit(this), QStringLiteral("oauthAuthorizationUrl"), tr("Sign-in link"));
    m_authUrl->setReadOnly(true);
    m_authUrl->setPlaceholderText(tr("The sign-in link appears here after Connect"));
    m_copyUrl = named(
        new QPushButton(tr("Copy &link"), this), QStringLiteral("oauthCopyUrl"), tr("Copy sign-in link"));
    m_message = named(new QLabel(this), QStringLiteral("oauthMessage"), tr("Result"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_connect);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_disconnect);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_progressText, 2);
    auto* linkRow = new QHBoxLayout;
    linkRow->addWidget(m_authUrl, 1);
    linkRow->addWidget(m_copyUrl);

    m_guide = new QLabel(this);
    m_guide->setObjectName(QStringLiteral("oauthGuide"));
    m_guide->setWordWrap(true);
    m_guide->setFrameShape(QFrame::StyledPanel);
    m_guide->setMargin(8);
    m_guide->setText(tr("<b>Not set up yet.</b> In Klaviyo, create an OAuth app whose redirect URI is "
                        "exactly the one below (default %1), paste its client id here and its client "
                        "secret when asked, save, then Connect: your browser opens Klaviyo's consent page.")
                         .arg(OAuthConfig::defaultRedirectUri().toHtmlEscaped()));
    m_guide->setAccessibleName(tr("Getting started with the OAuth connection"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_guide);
    layout->addWidget(app);
    layout->addWidget(status);
    layout->addLayout(buttons);
    layout->addLayout(progressRow);
    layout->addLayout(linkRow);
    layout->addWidget(m_message);
    layout->addStretch(1);

    connect(m_save, &QPushButton::clicked, this, &OAuthPage::saveSettings);
    connect(m_roleScopes, &QPushButton::clicked, this, &OAuthPage::useRoleScopes);
    connect(m_connect, &QPushButton::clicked, this, &OAuthPage::startConnect);
    connect(m_cancel, &QPushButton::clicked, m_service, &OAuthService::cancelConnect);
    connect(m_refresh, &QPushButton::clicked, this, &OAuthPage::refreshTokens);
    connect(m_disconnect, &QPushButton::clicked, this, &OAuthPage::disconnectAccount);
    connect(m_copyUrl, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_authUrl->text());
        m_progressText->setText(tr("Link copied. Open it in a browser to sign in."));
    });
    setBusy(false);
}

void OAuthPage::reload()
{
    Expected<OAuthConfig> config = m_service->config();
    m_clientId->setText(m_workspace->setting(OAuthConfig::clientIdKey()));
    m_redirectUri->setText(
        m_workspace->setting(OAuthConfig::redirectUriKey(), OAuthConfig::defaultRedirectUri()));
    m_scopes->setText(
        config ? config->scopes.join(QLatin1Char(' ')) : m_workspace->setting(OAuthConfig::scopesKey()));
    m_scopes->setPlaceholderText(tr("The roles' scopes"));
    m_guide->setVisible(m_clientId->text().isEmpty());

    Expected<std::optional<OAuthConnection>> c = m_service->connection();
    if (!c || !c->has_value()) {
        m_state->setText(c ? tr("Not connected") : tr("Unknown: %1").arg(c.status().message()));
        m_account->clear();
        m_granted->clear();
        m_expiry->clear();
        m_warning->clear();
    } else {
        const OAuthConnection& k = **c;
        m_state->setText(
            k.state == OAuthConnection::State::Connected ? tr("Connected") : tr("Disconnected — reconnect"));
        m_account->setText(
            k.organizationName.isEmpty() ? k.accountId : tr("%1 (%2)").arg(k.organizationName, k.accountId));
        m_granted->setText(k.grantedScopes.join(QLatin1Char(' ')));
        m_expiry->setText(timeText(k.expiresAt));
        QStringList warnings;
        if (!k.problem.isEmpty())
            warnings << k.problem;
        if (!k.missingScopes().isEmpty())
            warnings << tr("Klaviyo granted fewer scopes than requested; missing: %1")
                            .arg(k.missingScopes().join(QLatin1Char(' ')));
        m_warning->setText(warnings.join(QLatin1Char('\n')));
    }
    reloadSecretState();
    setBusy(m_busy);
}

void OAuthPage::reloadSecretState()
{
    m_service->checkClientSecret(this, [this](SecretResult::Code code, const QString& message) {
        m_secretState->setText(code == SecretResult::Ok ? tr("A client secret is stored in the keychain.")
                : code == SecretResult::NotFound ? tr("No client secret stored (or the keychain is locked).")
                                                 : tr("Keychain unavailable: %1").arg(message));
    });
}

void OAuthPage::saveSettings()
{
    const QString scopes
        = m_scopes->text().trimmed() == OAuthConfig::roleScopes(*m_workspace).join(QLatin1Char(' '))
        ? QString() // unchanged defaults keep following the roles
        : m_scopes->text();
    if (Status s = m_service->saveSettings(m_clientId->text(), m_redirectUri->text(), scopes); !s) {
        showResult(OAuthResult::failure(OAuthResult::InvalidInput, s.message()), {});
        return;
    }
    QByteArray secret = m_clientSecret->text().toUtf8();
    m_clientSecret->clear();
    if (secret.isEmpty()) {
        showResult(OAuthResult::success(), tr("Settings saved."));
        reload();
        return;
    }
    setBusy(true, tr("Storing the client secret…"));
    m_service->storeClientSecret(secret, this, [this](const OAuthResult& r) {
        setBusy(false);
        showResult(r, tr("Settings saved; the client secret is in the keychain."));
        reload();
    });
    secret.fill('\0');
}

void OAuthPage::useRoleScopes()
{
    m_scopes->setText(OAuthConfig::roleScopes(*m_workspace).join(QLatin1Char(' ')));
}

void OAuthPage::startConnect()
{
    m_authUrl->clear();
    m_message->clear();
    setBusy(true, tr("Starting…"));
    m_service->connectAccount();
    // A sign-in that could not even start has finished already (onConnectFinished).
    if (m_service->isConnecting())
        setBusy(true);
}

void OAuthPage::openBrowser(const QUrl& url)
{
    m_authUrl->setText(url.toString(QUrl::FullyEncoded));
    m_authUrl->setCursorPosition(0);
    m_authUrl->setEnabled(true);
    m_copyUrl->setEnabled(true); // the fallback when no browser opens: always offered
    if (!openWithoutLoggingTheLink(url))
        m_message->setText(
            tr("No browser could be opened. Copy the link below into a browser on this computer."));
}

void OAuthPage::onConnectFinished(const OAuthResult& result)
{
    setBusy(false);
    m_authUrl->clear(); // its state is spent
    reload();
    QString text = tr("Connected.");
    if (Expected<std::optional<OAuthConnection>> c = m_service->connection(); c && c->has_value())
        text = tr("Connected to %1.").arg((**c).organizationName);
    showResult(result, text);
}

void OAuthPage::refreshTokens()
{
    setBusy(true, tr("Refreshing…"));
    m_service->refresh(this, [this](const OAuthResult& r) {
        setBusy(false);
        reload();
        showResult(r, tr("Tokens refreshed."));
    });
}

void OAuthPage::disconnectAccount()
{
    if (!MessageBox::confirm(this, tr("Disconnect from Klaviyo"),
            tr("Revoke the console's access to the Klaviyo account and delete its tokens?"),
            tr("Connecting again needs a new sign-in in the browser."), tr("Disconnect")))
        return;
    setBusy(true, tr("Revoking…"));
    m_service->disconnectAccount(false, this, [this](const OAuthResult& r) {
        setBusy(false);
        reload();
        showResult(r, tr("Disconnected."));
    });
}

void OAuthPage::showResult(const OAuthResult& result, const QString& success)
{
    QString text = result.ok() ? success : tr("Failed: %1").arg(result.message);
    if (result.ok() && !result.warning.isEmpty())
        text += QLatin1Char(' ') + tr("Warning: %1").arg(result.warning);
    m_message->setText(text);
    emit operationFinished(result.ok(), text);
}

void OAuthPage::setBusy(bool busy, const QString& text)
{
    m_busy = busy;
    const bool connecting = m_service->isConnecting();
    for (QWidget* w :
        std::initializer_list<QWidget*> {m_save, m_roleScopes, m_connect, m_refresh, m_disconnect})
        w->setEnabled(!busy);
    m_cancel->setVisible(connecting);
    m_cancel->setEnabled(connecting);
    m_progress->setVisible(busy);
    if (!busy)
        m_progressText->clear();
    else if (!text.isNull())
        m_progressText->setText(text);
    m_copyUrl->setEnabled(!m_authUrl->text().isEmpty());
    m_authUrl->setEnabled(!m_authUrl->text().isEmpty());
}

} // namespace rbac
