#pragma once

#include "credentials/KeyVerification.h"

#include <QDialog>

#include <memory>
#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace rbac {

class KeyService;
class KeyVerifier;

// Paste a role's Klaviyo private key: checks the pk_ form as you type, offers to verify it against
// Klaviyo before saving (progress and cancel), then stores it in the keychain. With a key already
// stored this is the guided rotation: new key in, verified, stored; the old one is listed as
// "delete in Klaviyo" on the page until confirmed.
class SetKeyDialog : public QDialog
{
    Q_OBJECT

public:
    SetKeyDialog(KeyService* service, const QString& roleName, QWidget* parent = nullptr);
    ~SetKeyDialog() override;

    bool isRotation() const { return m_rotating; }
    bool isBusy() const;

signals:
    // The key was stored; `message` says what happened (masked key only).
    void keyStored(const QString& message);

private:
    void buildUi();
    void updateState();
    void start();
    void onVerified();
    void cancelVerification();
    void save(const std::optional<KeyVerification>& verification);
    void showResult(const QString& text, bool problem);
    QByteArray pastedKey() const;

    KeyService* m_service;
    QString m_role;
    QString m_oldLast4;
    bool m_rotating = false;
    bool m_saving = false;
    std::unique_ptr<KeyVerifier> m_verifier;
    std::optional<KeyVerification> m_lastVerification;

    QLineEdit* m_key = nullptr;
    QCheckBox* m_show = nullptr;
    QLabel* m_problem = nullptr;
    QCheckBox* m_verifyFirst = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QPushButton* m_cancelVerify = nullptr;
    QLabel* m_result = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_saveAnyway = nullptr;
    QPushButton* m_close = nullptr;
    QPushButton* m_createLink = nullptr;
};

} // namespace rbac
