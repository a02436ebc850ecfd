#pragma once

#include <QUrl>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace rbac {

class OAuthService;
class Workspace;
struct OAuthResult;

// The Klaviyo OAuth connection page: the OAuth app's settings, Connect (opens the system browser,
// shows progress with Cancel, and the sign-in URL with Copy for when no browser opens), the
// connection's status (account, granted scopes, expiry, warnings), Refresh and Disconnect.
// Self-contained: the host only creates it with the workspace and the service.
class OAuthPage : public QWidget
{
    Q_OBJECT

public:
    OAuthPage(Workspace* workspace, OAuthService* service, QWidget* parent = nullptr);

    // Re-reads settings and connection facts (the CLI or another console may have changed them).
    void reload();

signals:
    // After every finished operation, with the text shown in the message line (tests, status bar).
    void operationFinished(bool ok, const QString& message);

private:
    void buildUi();
    void saveSettings();
    void useRoleScopes();
    void startConnect();
    void openBrowser(const QUrl& url);
    void onConnectFinished(const OAuthResult& result);
    void refreshTokens();
    void disconnectAccount();
    void showResult(const OAuthResult& result, const QString& success);
    void setBusy(bool busy, const QString& text = {});
    void reloadSecretState();

    Workspace* m_workspace;
    OAuthService* m_service;
    bool m_busy = false;

    QLineEdit* m_clientId = nullptr;
    QLineEdit* m_clientSecret = nullptr;
    QLabel* m_secretState = nullptr;
    QLineEdit* m_redirectUri = nullptr;
    QLineEdit* m_scopes = nullptr;
    QPushButton* m_roleScopes = nullptr;
    QPushButton* m_save = nullptr;

    QLabel* m_state = nullptr;
    QLabel* m_account = nullptr;
    QLabel* m_granted = nullptr;
    QLabel* m_expiry = nullptr;
    QLabel* m_warning = nullptr;

    QPushButton* m_connect = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QLineEdit* m_authUrl = nullptr;
    QPushButton* m_copyUrl = nullptr;
    QPushButton* m_refresh = nullptr;
    QPushButton* m_disconnect = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_guide = nullptr; // first run: no OAuth app set up yet
};

} // namespace rbac
