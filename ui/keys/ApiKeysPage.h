#pragma once

#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace rbac {

class ApiKeysModel;
class KeyService;
class KeyVerifier;
class NoticeBanner;
class SecretClipboard;
class SetKeyDialog;
class Workspace;

// The API keys page: one row per role with its key's status, masked key, age and last
// verification; set or rotate (guided), verify against Klaviyo (progress, cancel), copy (cleared
// after 30 s), remove, create in Klaviyo, confirm old keys deleted, and the rotation reminder age.
// Self-contained: the host only creates it with the workspace and the key service.
class ApiKeysPage : public QWidget
{
    Q_OBJECT

public:
    ApiKeysPage(Workspace* workspace, KeyService* service, QWidget* parent = nullptr);
    ~ApiKeysPage() override;

    // A keychain problem to show on the page (also those the orphan-key cleanup reports).
    void showKeychainProblem(const QString& message);

    ApiKeysModel* model() const { return m_model; }
    SecretClipboard* secretClipboard() const { return m_clipboard; }
    QString selectedRole() const;
    void selectRole(const QString& role);

    // Re-reads the metadata and asks the keychain again (after unlocking it, or after the CLI or
    // another console changed keys).
    void reload();

signals:
    // After every finished operation, with the text shown in the message line (tests, status bar).
    void operationFinished(bool ok, const QString& message);
    // Whenever the page has asked the keychain: whether it answered (for the status bar).
    void keychainChecked(bool available, const QString& message);

private:
    void buildUi();
    void updateActions();
    void updateGuide();
    void showDetails();
    void checkKeychain();
    void setKey();
    void verify();
    void cancelVerify();
    void copyKey();
    void removeKey();
    void createInKlaviyo();
    void confirmDeleted();
    void saveRotationDays(int days);
    void finish(bool ok, const QString& message);

    Workspace* m_workspace;
    KeyService* m_service;
    ApiKeysModel* m_model;
    SecretClipboard* m_clipboard;
    std::unique_ptr<KeyVerifier> m_verifier;
    QString m_verifyingRole;
    bool m_busy = false;

    NoticeBanner* m_banner = nullptr;
    NoticeBanner* m_guide = nullptr; // first run: no role has a key yet
    QTableView* m_table = nullptr;
    QPushButton* m_set = nullptr;
    QPushButton* m_verify = nullptr;
    QPushButton* m_copy = nullptr;
    QPushButton* m_remove = nullptr;
    QPushButton* m_create = nullptr;
    QPushButton* m_confirmDeleted = nullptr;
    QPushButton* m_refresh = nullptr;
    QSpinBox* m_rotationDays = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QPushButton* m_cancel = nullptr;
    QPlainTextEdit* m_details = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace rbac
