#include "keys/ApiKeysPage.h"

#include "credentials/ApiKeyFormat.h"
#include "items/ApiKeysModel.h"
#include "keychain/KeyService.h"
#include "klaviyo/KeyVerifier.h"
#include "widgets/MessageBox.h"
#include "widgets/NoticeBanner.h"
#include "keychain/SecretBytes.h"
#include "keys/SecretClipboard.h"
#include "keys/SetKeyDialog.h"
#include "workspace/Workspace.h"

#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

namespace rbac {

namespace {

template<typename W> W* named(W* w, const char* objectName, const QString& accessible)
{
    w->setObjectName(QLatin1String(objectName));
    w->setAccessibleName(accessible);
    return w;
}

} // namespace

ApiKeysPage::ApiKeysPage(Workspace* workspace, KeyService* service, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_service(service)
    , m_model(new ApiKeysModel(workspace, this))
    , m_clipboard(new SecretClipboard(this))
{
    setObjectName(QStringLiteral("apiKeysPage"));
    buildUi();
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this,
        [this] { setProperty("keepRole", selectedRole()); });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        selectRole(property("keepRole").toString());
        updateGuide();
        updateActions();
        showDetails();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        updateGuide();
        updateActions();
        showDetails();
    });
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
    updateGuide();
    checkKeychain();
}

ApiKeysPage::~ApiKeysPage()
{
    if (m_verifier)
        m_verifier->cancel();
}

void ApiKeysPage::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    m_banner = new NoticeBanner(QStringLiteral("apiKeysBanner"), this);
    m_banner->setActionText(tr("Try again"));
    m_banner->hide();
    connect(m_banner, &NoticeBanner::actionTriggered, this, &ApiKeysPage::reload);
    layout->addWidget(m_banner);
    m_guide = new NoticeBanner(QStringLiteral("apiKeysGuide"), this);
    m_guide->showMessage(NoticeBanner::Kind::Info,
        tr("No API keys yet. Each role gets its own Klaviyo private key carrying exactly its scopes: "
           "select a role, choose “Create in Klaviyo” to make the key there with those scopes "
           "pre-selected, then “Set key…” to paste it here. Keys go to your system keychain, never "
           "into the workspace."));
    m_guide->setActionText(tr("Set key…"));
    connect(m_guide, &NoticeBanner::actionTriggered, this, &ApiKeysPage::setKey);
    layout->addWidget(m_guide);

    m_table = named(new QTableView(this), "apiKeysTable", tr("API keys per role"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateActions();
        showDetails();
    });
    layout->addWidget(m_table, 1);

    auto* actions = new QHBoxLayout;
    m_set = named(new QPushButton(tr("Set key…"), this), "apiKeysSet", tr("Set or rotate the key"));
    m_verify = named(new QPushButton(tr("Verify"), this), "apiKeysVerify", tr("Verify the key with Klaviyo"));
    m_copy = named(new QPushButton(tr("Copy"), this), "apiKeysCopy", tr("Copy the key to the clipboard"));
    m_remove = named(new QPushButton(tr("Remove…"), this), "apiKeysRemove", tr("Remove the key"));
    m_create = named(new QPushButton(tr("Create in Klaviyo"), this), "apiKeysCreate",
        tr("Create a key with this role's scopes in Klaviyo"));
    m_confirmDeleted = named(new QPushButton(tr("Deleted in Klaviyo…"), this), "apiKeysConfirmDeleted",
        tr("Confirm an old key is deleted in Klaviyo"));
    m_refresh = named(new QPushButton(tr("Refresh"), this), "apiKeysRefresh", tr("Refresh key status"));
    for (QPushButton* b : {m_set, m_verify, m_copy, m_remove, m_create, m_confirmDeleted, m_refresh})
        actions->addWidget(b);
    actions->addStretch();
    connect(m_set, &QPushButton::clicked, this, &ApiKeysPage::setKey);
    connect(m_verify, &QPushButton::clicked, this, &ApiKeysPage::verify);
    connect(m_copy, &QPushButton::clicked, this, &ApiKeysPage::copyKey);
    connect(m_remove, &QPushButton::clicked, this, &ApiKeysPage::removeKey);
    connect(m_create, &QPushButton::clicked, this, &ApiKeysPage::createInKlaviyo);
    connect(m_confirmDeleted, &QPushButton::clicked, this, &ApiKeysPage::confirmDeleted);
    connect(m_refresh, &QPushButton::clicked, this, &ApiKeysPage::reload);
    layout->addLayout(actions);

    auto* progressRow = new QHBoxLayout;
    m_progress = named(new QProgressBar(this), "apiKeysProgress", tr("Verification progress"));
    m_progressText = new QLabel(this);
    m_progressText->setObjectName(QStringLiteral("apiKeysProgressText"));
    m_progressText->setTextFormat(Qt::PlainText);
    m_cancel = named(new QPushButton(tr("Cancel"), this), "apiKeysCancel", tr("Cancel the verification"));
    connect(m_cancel, &QPushButton::clicked, this, &ApiKeysPage::cancelVerify);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_progressText, 1);
    progressRow->addWidget(m_cancel);
    for (QWidget* w : {static_cast<QWidget*>(m_progress), static_cast<QWidget*>(m_progressText),
             static_cast<QWidget*>(m_cancel)})
        w->hide();
    layout->addLayout(progressRow);

    auto* rotationRow = new QHBoxLayout;
    auto* rotationLabel = new QLabel(tr("Remind me to rotate keys older than"), this);
    m_rotationDays = named(new QSpinBox(this), "apiKeysRotationDays", tr("Rotation reminder age in days"));
    m_rotationDays->setRange(1, 3650);
    m_rotationDays->setSuffix(tr(" days"));
    m_rotationDays->setValue(m_model->rotationDays());
    rotationLabel->setBuddy(m_rotationDays);
    connect(m_rotationDays, &QSpinBox::editingFinished, this,
        [this] { saveRotationDays(m_rotationDays->value()); });
    rotationRow->addWidget(rotationLabel);
    rotationRow->addWidget(m_rotationDays);
    rotationRow->addStretch();
    layout->addLayout(rotationRow);

    m_details = named(new QPlainTextEdit(this), "apiKeysDetails", tr("Details of the selected role's key"));
    m_details->setReadOnly(true);
    m_details->setMaximumHeight(140);
    layout->addWidget(m_details);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("apiKeysMessage"));
    m_message->setAccessibleName(tr("Result of the last action"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
}

QString ApiKeysPage::selectedRole() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->data(current, ApiKeysModel::RoleNameRole).toString() : QString();
}

void ApiKeysPage::selectRole(const QString& role)
{
    const int row = m_model->rowOf(role);
    if (row >= 0)
        m_table->selectRow(row);
}

void ApiKeysPage::reload()
{
    m_banner->hide();
    if (const Status s = m_workspace->refresh(); !s)
        m_banner->showMessage(NoticeBanner::Kind::Error, tr("The workspace could not be read: %1").arg(s.message()));
    m_model->reload();
    m_rotationDays->setValue(m_model->rotationDays());
    checkKeychain();
}

void ApiKeysPage::updateGuide()
{
    bool anyKey = false;
    for (int row = 0; row < m_model->rowCount() && !anyKey; ++row)
        anyKey = m_model->index(row, 0).data(ApiKeysModel::KeyStateRole).toInt() != int(KeyState::None);
    m_guide->setVisible(!anyKey && m_model->rowCount() > 0);
}

void ApiKeysPage::updateActions()
{
    const int row = m_model->rowOf(selectedRole());
    const KeyRecord* record = m_model->record(row);
    const bool hasKey = record && record->hasKey;
    m_set->setText(hasKey ? tr("Rotate key…") : tr("Set key…"));
    m_set->setEnabled(record && !m_busy);
    m_verify->setEnabled(hasKey && !m_busy);
    m_copy->setEnabled(hasKey && !m_busy);
    m_remove->setEnabled(hasKey && !m_busy);
    m_create->setEnabled(record != nullptr);
    const bool retired = record && !record->retired.isEmpty();
    m_confirmDeleted->setEnabled(retired && !m_busy);
    m_confirmDeleted->setText(retired
            ? tr("%1 deleted in Klaviyo…").arg(ApiKeyFormat::masked(record->retired.constFirst().last4))
            : tr("Deleted in Klaviyo…"));
}

void ApiKeysPage::showDetails()
{
    const int row = m_model->rowOf(selectedRole());
    const KeyRecord* record = m_model->record(row);
    if (!record) {
        m_details->clear();
        return;
    }
    const KeyStatus status = m_model->status(row);
    QStringList lines;
    if (!record->hasKey)
        lines << tr(
            "No key stored. Create one in Klaviyo with exactly this role's scopes, then set it here.");
    if (status.state == KeyState::KeychainUnavailable)
        lines << tr(
            "The keychain is locked or unavailable: the key is listed but could not be read. Nothing was "
            "deleted.");
    if (record->verification && record->verification->hasAccount) {
        const KlaviyoAccount& a = record->verification->account;
        lines << tr("Account: %1, public key %2%3")
                     .arg(a.organizationName, a.publicKey, a.testAccount ? tr(" (test account)") : QString());
    }
    if (status.assessment) {
        const KeyVerification::Assessment& a = *status.assessment;
        if (!a.missing.isEmpty())
            lines << tr("Missing (the role will fail): %1").arg(a.missing.join(QStringLiteral(", ")));
        if (!a.excess.isEmpty())
            lines << tr("Excess (least privilege broken): %1").arg(a.excess.join(QStringLiteral(", ")));
        if (!a.writeScopes.isEmpty())
            lines << tr("Write scopes cannot be probed safely and were not checked: %1")
                         .arg(a.writeScopes.join(QStringLiteral(", ")));
        if (!a.undetermined.isEmpty())
            lines << tr("No probe could settle: %1").arg(a.undetermined.join(QStringLiteral(", ")));
    } else if (record->verification && !record->verification->message.isEmpty()) {
        lines << record->verification->message;
    }
    if (status.rotationDue)
        lines << tr("This key is %n day(s) old: rotate it.", nullptr, int(status.ageDays));
    for (const RetiredKey& r : record->retired)
        lines << tr("Replaced key %1 still works until you delete it in Klaviyo.")
                     .arg(ApiKeyFormat::masked(r.last4));
    m_details->setPlainText(lines.join(QLatin1Char('\n')));
}

void ApiKeysPage::checkKeychain()
{
    QPointer<ApiKeysPage> self(this);
    // With no keys stored yet there is nothing to read back; still say so at once when there is
    // no keychain at all, rather than after the user has pasted a key.
    m_service->checkPresent([self, this](const Status& present) {
        if (self)
            emit keychainChecked(present.isOk(), present.message());
        if (self && !present)
            showKeychainProblem(
                tr("The system keychain cannot be reached (%1). Keys can only be stored there "
                   "(a Secret Service such as GNOME Keyring or KWallet); nothing is "
                   "written anywhere else.")
                    .arg(present.message()));
    });
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const KeyRecord* record = m_model->record(row);
        if (!record || !record->hasKey)
            continue;
        const QString uid = record->roleUid;
        const QString name = record->roleName;
        // A team workspace: another admin may have stored a newer key than this keychain holds.
        m_service->checkMatchesRecord(name, [self, this, name](std::optional<bool> same) {
            if (self && same == std::optional<bool>(false))
                m_banner->showMessage(NoticeBanner::Kind::Warning,
                    tr("The key for role “%1” in this computer's keychain is not the one recorded for "
                       "the team (another admin stored a different key). Use “Set key…” with the current "
                       "key.")
                        .arg(name));
        });
        m_service->checkReadable(record->roleName, [self, this, uid](std::optional<bool> readable) {
            if (!self)
                return;
            m_model->setKeychainReadable(uid, readable);
            if (readable == std::optional<bool>(false))
                emit keychainChecked(false, tr("locked or unavailable"));
            if (readable == std::optional<bool>(false))
                showKeychainProblem(
                    tr("The keychain is locked or unavailable: stored keys cannot be read. Unlock "
                       "your keyring, then try again. Nothing was deleted."));
        });
    }
}

void ApiKeysPage::showKeychainProblem(const QString& message)
{
    m_banner->showMessage(NoticeBanner::Kind::Error, message);
    m_banner->show();
}

void ApiKeysPage::finish(bool ok, const QString& message)
{
    m_message->setText(message);
    m_message->setProperty("ok", ok);
    updateActions();
    emit operationFinished(ok, message);
}

void ApiKeysPage::setKey()
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return;
    auto* dialog = new SetKeyDialog(m_service, role, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SetKeyDialog::keyStored, this, [this, role](const QString& message) {
        if (const KeyRecord* r = m_model->record(m_model->rowOf(role)))
            m_model->setKeychainReadable(r->roleUid, true);
        m_banner->hide();
        finish(true, message);
    });
    dialog->open();
}

void ApiKeysPage::verify()
{
    const QString role = selectedRole();
    if (role.isEmpty() || m_busy)
        return;
    Expected<std::unique_ptr<KeyVerifier>> verifier = KeyVerifier::forWorkspace(*m_workspace);
    if (!verifier)
        return finish(false, verifier.status().message());
    m_verifier = std::move(*verifier);
    connect(m_verifier.get(), &KeyVerifier::progress, this, [this](int done, int total, const QString& step) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_progressText->setText(step);
    });
    m_busy = true;
    m_verifyingRole = role;
    for (QWidget* w : {static_cast<QWidget*>(m_progress), static_cast<QWidget*>(m_progressText),
             static_cast<QWidget*>(m_cancel)})
        w->show();
    updateActions();
    QPointer<ApiKeysPage> self(this);
    m_service->verifyStored(role, m_verifier.get(), [self, this, role](const Status& s) {
        if (!self)
            return;
        m_busy = false;
        for (QWidget* w : {static_cast<QWidget*>(m_progress), static_cast<QWidget*>(m_progressText),
                 static_cast<QWidget*>(m_cancel)})
            w->hide();
        if (!s) {
            if (s.kind() == ErrorKind::Environment)
                showKeychainProblem(s.message());
            return finish(false, s.message());
        }
        const KeyVerification& v = m_verifier->result();
        const KeyVerification::Assessment a = v.assess(m_service->requiredScopes(role));
        finish(KeyVerification::outcomeOf(a.verdict) == KeyVerification::Outcome::Accepted,
            KeyVerification::summary(v, a, role));
    });
}

void ApiKeysPage::cancelVerify()
{
    if (m_verifier)
        m_verifier->cancel();
}

void ApiKeysPage::copyKey()
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return;
    QPointer<ApiKeysPage> self(this);
    m_service->readKey(role, [self, this, role](const Status& s, QByteArray key) {
        WipeOnExit wipeKey(key);
        if (!self)
            return;
        if (!s) {
            if (s.kind() == ErrorKind::Environment)
                showKeychainProblem(s.message());
            return finish(false, s.message());
        }
        m_clipboard->copy(key);
        const QString masked = ApiKeyFormat::masked(ApiKeyFormat::last4(key));
        if (Status audited = m_service->recordCopy(role); !audited)
            return finish(false, audited.message());
        finish(true,
            tr("Copied %1. The clipboard is cleared in %n second(s) unless you copy something else.", nullptr,
                m_clipboard->clearAfterMs() / 1000)
                .arg(masked));
    });
}

void ApiKeysPage::removeKey()
{
    const QString role = selectedRole();
    const KeyRecord* record = m_model->record(m_model->rowOf(role));
    if (!record || !record->hasKey)
        return;
    const QString masked = ApiKeyFormat::masked(record->last4);
    const QString uid = record->roleUid;
    if (!MessageBox::confirm(this, tr("Remove key"),
            tr("Remove the key %1 of role %2 from the keychain?").arg(masked, role),
            tr("It keeps working in Klaviyo until you delete it there; the page lists it as "
               "\"delete in Klaviyo\" until you confirm that."),
            tr("Remove key")))
        return;
    m_busy = true;
    updateActions();
    QPointer<ApiKeysPage> self(this);
    m_service->removeKey(role, [self, this, role, masked, uid](const Status& s) {
        if (!self)
            return;
        m_busy = false;
        if (!s) {
            if (s.kind() == ErrorKind::Environment)
                showKeychainProblem(s.message());
            return finish(false, s.message());
        }
        m_model->setKeychainReadable(uid, std::nullopt);
        finish(true,
            tr("Removed %1 of role %2. Delete it in Klaviyo too, then confirm it here.").arg(masked, role));
    });
}

void ApiKeysPage::createInKlaviyo()
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return;
    const QString link = m_service->createKeyLink(role);
    if (QDesktopServices::openUrl(QUrl(link)))
        return finish(true,
            tr("Opened Klaviyo's key form with role %1's scopes. Paste the new key with \"Set key\".")
                .arg(role));
    finish(false, tr("No browser could be opened. Open this link yourself: %1").arg(link));
}

void ApiKeysPage::confirmDeleted()
{
    const QString role = selectedRole();
    const KeyRecord* record = m_model->record(m_model->rowOf(role));
    if (!record || record->retired.isEmpty())
        return;
    const RetiredKey oldest = record->retired.constFirst();
    const QString masked = ApiKeyFormat::masked(oldest.last4);
    if (!MessageBox::confirm(this, tr("Deleted in Klaviyo"),
            tr("Have you deleted the key %1 of role %2 in Klaviyo?").arg(masked, role),
            tr("The console cannot check this: Klaviyo has no API to delete or list private keys "
               "outside its beta."),
            tr("It is deleted")))
        return;
    if (Status s = m_service->confirmDeletedInKlaviyo(role, oldest.id); !s)
        return finish(false, s.message());
    finish(true, tr("Noted: %1 of role %2 is deleted in Klaviyo.").arg(masked, role));
}

void ApiKeysPage::saveRotationDays(int days)
{
    if (days == m_model->rotationDays())
        return;
    if (Status s = m_workspace->setSetting(KeyStatusRules::rotationSettingKey(), QString::number(days)); !s)
        return finish(false, s.message());
    m_model->reload();
    finish(true, tr("Keys older than %n day(s) are now flagged for rotation.", nullptr, days));
}

} // namespace rbac
