#include "keys/SetKeyDialog.h"

#include "credentials/ApiKeyFormat.h"
#include "keychain/KeyService.h"
#include "klaviyo/KeyVerifier.h"
#include "keychain/SecretBytes.h"
#include "workspace/Workspace.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace rbac {

namespace {

void name(QWidget* w, const char* objectName, const QString& accessible)
{
    w->setObjectName(QLatin1String(objectName));
    w->setAccessibleName(accessible);
}

} // namespace

SetKeyDialog::SetKeyDialog(KeyService* service, const QString& roleName, QWidget* parent)
    : QDialog(parent)
    , m_service(service)
    , m_role(roleName)
{
    setObjectName(QStringLiteral("setKeyDialog"));
    const Expected<KeyRecord> record = service->record(roleName);
    m_rotating = record && record->hasKey;
    if (m_rotating)
        m_oldLast4 = record->last4;
    setWindowTitle(m_rotating ? tr("Rotate the key of role %1").arg(roleName)
                              : tr("Set the key of role %1").arg(roleName));
    buildUi();
    updateState();
}

SetKeyDialog::~SetKeyDialog()
{
    if (m_verifier)
        m_verifier->cancel();
    m_key->clear();
}

void SetKeyDialog::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(this);
    intro->setObjectName(QStringLiteral("setKeyIntro"));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    if (m_rotating)
        intro->setText(
            tr("Rotating %1's key:\n1. Create a new key in Klaviyo with the role's scopes.\n2. Paste it "
               "below; it is verified and stored in the keychain.\n3. The old key %2 keeps working until "
               "you delete it in Klaviyo; it stays listed on the API keys page until you confirm that.")
                .arg(m_role, ApiKeyFormat::masked(m_oldLast4)));
    else
        intro->setText(
            tr("Paste the Klaviyo private key (pk_…) for role %1. It goes into the system keychain; "
               "the workspace keeps only its last four characters.")
                .arg(m_role));
    layout->addWidget(intro);

    m_createLink = new QPushButton(tr("Create a key with this role's scopes in Klaviyo"), this);
    name(m_createLink, "setKeyCreateLink", tr("Create in Klaviyo"));
    connect(m_createLink, &QPushButton::clicked, this,
        [this] { QDesktopServices::openUrl(QUrl(m_service->createKeyLink(m_role))); });
    layout->addWidget(m_createLink);

    auto* keyRow = new QHBoxLayout;
    m_key = new QLineEdit(this);
    name(m_key, "setKeyInput", tr("Private key"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("pk_…"));
    // No undo history, no drag out: the field should hold the key and nothing else.
    m_key->setDragEnabled(false);
    m_key->setContextMenuPolicy(Qt::NoContextMenu);
    m_key->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    connect(m_key, &QLineEdit::textChanged, this, &SetKeyDialog::updateState);
    keyRow->addWidget(m_key, 1);
    m_show = new QCheckBox(tr("Show"), this);
    name(m_show, "setKeyShow", tr("Show the key"));
    connect(m_show, &QCheckBox::toggled, this,
        [this](bool on) { m_key->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    keyRow->addWidget(m_show);
    layout->addLayout(keyRow);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("setKeyProblem"));
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    layout->addWidget(m_problem);

    m_verifyFirst = new QCheckBox(tr("Verify with Klaviyo before saving"), this);
    name(m_verifyFirst, "setKeyVerifyFirst", tr("Verify with Klaviyo before saving"));
    m_verifyFirst->setChecked(true);
    connect(m_verifyFirst, &QCheckBox::toggled, this, &SetKeyDialog::updateState);
    layout->addWidget(m_verifyFirst);

    auto* progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    name(m_progress, "setKeyProgress", tr("Verification progress"));
    m_progress->setVisible(false);
    progressRow->addWidget(m_progress, 1);
    m_cancelVerify = new QPushButton(tr("Cancel verification"), this);
    name(m_cancelVerify, "setKeyCancelVerify", tr("Cancel verification"));
    m_cancelVerify->setVisible(false);
    connect(m_cancelVerify, &QPushButton::clicked, this, &SetKeyDialog::cancelVerification);
    progressRow->addWidget(m_cancelVerify);
    layout->addLayout(progressRow);
    m_progressText = new QLabel(this);
    m_progressText->setObjectName(QStringLiteral("setKeyProgressText"));
    m_progressText->setTextFormat(Qt::PlainText);
    layout->addWidget(m_progressText);

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("setKeyResult"));
    m_result->setTextFormat(Qt::PlainText); // Klaviyo's answers are untrusted: never rich text
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);

    auto* buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    name(m_save, "setKeySave", tr("Save the key"));
    m_saveAnyway = buttons->addButton(tr("Save anyway"), QDialogButtonBox::ActionRole);
    name(m_saveAnyway, "setKeySaveAnyway", tr("Save anyway"));
    m_saveAnyway->setVisible(false);
    m_close = buttons->addButton(QDialogButtonBox::Cancel);
    name(m_close, "setKeyClose", tr("Cancel"));
    // The default AcceptRole handling would close the dialog before the keychain answers.
    disconnect(buttons, &QDialogButtonBox::accepted, this, nullptr);
    connect(m_save, &QPushButton::clicked, this, &SetKeyDialog::start);
    connect(m_saveAnyway, &QPushButton::clicked, this, [this] { save(std::nullopt); });
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_save->setDefault(true);
    resize(560, sizeHint().height());
}

QByteArray SetKeyDialog::pastedKey() const
{
    return ApiKeyFormat::trimmed(m_key->text().toLatin1());
}

bool SetKeyDialog::isBusy() const
{
    return m_saving || (m_verifier && m_verifier->isRunning());
}

void SetKeyDialog::updateState()
{
    QByteArray key = pastedKey();
    const QString problem = key.isEmpty() ? QString() : ApiKeyFormat::problem(key);
    const bool valid = !key.isEmpty() && problem.isEmpty();
    wipe(key);
    m_problem->setText(problem);
    m_save->setText(m_verifyFirst->isChecked() ? tr("Verify and save") : tr("Save"));
    m_save->setEnabled(valid && !isBusy());
    m_key->setEnabled(!isBusy());
    m_verifyFirst->setEnabled(!isBusy());
    m_progress->setVisible(m_verifier && m_verifier->isRunning());
    m_cancelVerify->setVisible(m_verifier && m_verifier->isRunning());
    if (!valid)
        m_saveAnyway->setVisible(false);
}

void SetKeyDialog::showResult(const QString& text, bool problem)
{
    m_result->setText(text);
    m_result->setProperty("problem", problem);
}

void SetKeyDialog::start()
{
    QByteArray key = pastedKey();
    WipeOnExit wipeKey(key);
    if (!ApiKeyFormat::isPrivateKey(key))
        return;
    m_saveAnyway->setVisible(false);
    if (!m_verifyFirst->isChecked())
        return save(std::nullopt);
    Expected<std::unique_ptr<KeyVerifier>> verifier = KeyVerifier::forWorkspace(*m_service->workspace());
    if (!verifier) {
        showResult(verifier.status().message(), true);
        return;
    }
    m_verifier = std::move(*verifier);
    connect(m_verifier.get(), &KeyVerifier::progress, this, [this](int done, int total, const QString& step) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_progressText->setText(step);
    });
    connect(m_verifier.get(), &KeyVerifier::finished, this, &SetKeyDialog::onVerified);
    showResult(tr("Checking the key with Klaviyo…"), false);
    m_verifier->start(key, m_service->requiredScopes(m_role));
    updateState();
}

void SetKeyDialog::cancelVerification()
{
    if (m_verifier)
        m_verifier->cancel();
}

void SetKeyDialog::onVerified()
{
    const KeyVerification v = m_verifier->result();
    m_lastVerification = v;
    m_progressText->clear();
    updateState();
    const KeyVerification::Assessment a = v.assess(m_service->requiredScopes(m_role));
    QStringList lines;
    if (v.hasAccount)
        lines << tr("Account: %1 (public key %2)%3")
                     .arg(v.account.organizationName, v.account.publicKey,
                         v.account.testAccount ? tr(", a test account") : QString());
    lines << KeyVerification::summary(v, a, m_role);
    switch (KeyVerification::outcomeOf(a.verdict)) {
    case KeyVerification::Outcome::Accepted:
        if (!a.writeScopes.isEmpty())
            lines << tr("Write scopes cannot be probed and were not checked: %1")
                         .arg(a.writeScopes.join(QStringLiteral(", ")));
        showResult(lines.join(QLatin1Char('\n')), false);
        save(v);
        return;
    case KeyVerification::Outcome::Refused:
        if (a.verdict == KeyVerification::Verdict::MissingScopes) {
            lines << tr("The role's calls that need them will fail.");
            m_saveAnyway->setText(tr("Save anyway"));
            m_saveAnyway->setVisible(true);
        } else {
            lines << tr("Check that you copied all of the key.");
        }
        break;
    case KeyVerification::Outcome::NotChecked:
        if (a.verdict == KeyVerification::Verdict::Failed) {
            m_saveAnyway->setText(tr("Save without verifying"));
            m_saveAnyway->setVisible(true);
        } else {
            lines << tr("Nothing was saved.");
        }
        break;
    }
    showResult(lines.join(QLatin1Char('\n')), true);
}

void SetKeyDialog::save(const std::optional<KeyVerification>& verification)
{
    QByteArray key = pastedKey();
    WipeOnExit wipeKey(key);
    // "Save anyway" after a missing-scopes verdict still records what Klaviyo said.
    std::optional<KeyVerification> toStore = verification;
    if (!toStore && m_lastVerification && m_lastVerification->ranToCompletion())
        toStore = m_lastVerification;
    m_saving = true;
    updateState();
    const QString last4 = ApiKeyFormat::last4(key);
    const QString masked = ApiKeyFormat::masked(last4);
    // The service outlives the dialog: never call back into a closed one.
    QPointer<SetKeyDialog> self(this);
    m_service->storeKey(m_role, key, toStore, [self, this, masked, last4](const Status& s) {
        if (!self)
            return;
        m_saving = false;
        updateState();
        if (!s) {
            showResult(s.message(), true);
            return;
        }
        m_key->clear();
        emit keyStored(m_rotating && last4 != m_oldLast4
                ? tr("Stored %1 for role %2. Delete the old key %3 in Klaviyo, then confirm it on "
                     "this page.")
                      .arg(masked, m_role, ApiKeyFormat::masked(m_oldLast4))
                : tr("Stored %1 for role %2 in the keychain.").arg(masked, m_role));
        accept();
    });
}

} // namespace rbac
