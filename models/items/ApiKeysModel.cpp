#include "items/ApiKeysModel.h"

#include "credentials/ApiKeyFormat.h"
#include "base/Clock.h"
#include "policy/PolicyEngine.h"
#include "workspace/Workspace.h"

#include <QLocale>

namespace rbac {

ApiKeysModel::ApiKeysModel(Workspace* workspace, QObject* parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    // Key changes always come with an audit entry; policy changes alter required scopes.
    connect(m_workspace, &Workspace::policyChanged, this, &ApiKeysModel::reload);
    connect(m_workspace, &Workspace::auditAppended, this, &ApiKeysModel::reload);
    reload();
}

void ApiKeysModel::reload()
{
    Expected<QVector<KeyRecord>> loaded = KeyIndex::load(m_workspace->database());
    beginResetModel();
    m_loadError.clear();
    m_records.clear();
    m_required.clear();
    if (loaded) {
        m_records = std::move(loaded.value());
    } else {
        m_loadError = loaded.status().message();
    }
    const Policy& policy = m_workspace->policy();
    for (const KeyRecord& r : std::as_const(m_records)) {
        const Role* role = policy.role(r.roleName);
        m_required.append(
            role ? PolicyEngine::requiredScopeNames(policy, *role, ScopeCatalog::builtin()) : QStringList());
    }
    m_rotationDays = KeyStatusRules::rotationDays(*m_workspace);
    endResetModel();
}

void ApiKeysModel::setKeychainReadable(const QString& roleUid, std::optional<bool> readable)
{
    if (readable)
        m_readable.insert(roleUid, *readable);
    else
        m_readable.remove(roleUid);
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).roleUid == roleUid)
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

int ApiKeysModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int ApiKeysModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int ApiKeysModel::rowOf(const QString& roleName) const
{
    for (int row = 0; row < m_records.size(); ++row) {
        if (m_records.at(row).roleName == roleName)
            return row;
    }
    return -1;
}

const KeyRecord* ApiKeysModel::record(int row) const
{
    return row >= 0 && row < m_records.size() ? &m_records.at(row) : nullptr;
}

KeyStatus ApiKeysModel::status(int row) const
{
    const KeyRecord* r = record(row);
    if (!r)
        return {};
    const auto readable = m_readable.constFind(r->roleUid);
    return KeyStatusRules::evaluate(*r, m_required.at(row),
        readable == m_readable.constEnd() ? std::nullopt : std::optional<bool>(*readable), Clock::nowUtc(),
        m_rotationDays);
}

QString ApiKeysModel::statusText(const KeyStatus& status) const
{
    switch (status.state) {
    case KeyState::None:
        return tr("No key");
    case KeyState::Stored:
        return tr("Stored, not verified");
    case KeyState::Verified:
        return tr("Verified");
    case KeyState::MissingScopes:
        return tr("Missing scopes");
    case KeyState::ExcessScopes:
        return tr("Excess scopes");
    case KeyState::BadKey:
        return tr("Rejected by Klaviyo");
    case KeyState::KeychainUnavailable:
        return tr("Keychain locked or unavailable");
    }
    return {};
}

QString ApiKeysModel::notesText(const KeyRecord& record, const KeyStatus& status) const
{
    QStringList notes;
    if (status.rotationDue)
        notes << tr("Rotate: older than %n day(s)", nullptr, m_rotationDays);
    if (status.assessment && !status.assessment->missing.isEmpty())
        notes << tr("Missing: %1").arg(status.assessment->missing.join(QStringLiteral(", ")));
    if (status.assessment && !status.assessment->excess.isEmpty())
        notes << tr("Excess: %1").arg(status.assessment->excess.join(QStringLiteral(", ")));
    for (const RetiredKey& r : record.retired)
        notes << tr("Delete %1 in Klaviyo").arg(ApiKeyFormat::masked(r.last4));
    return notes.join(QStringLiteral("; "));
}

QString ApiKeysModel::toolTip(const KeyRecord& record, const KeyStatus& status) const
{
    QStringList lines;
    if (status.state == KeyState::KeychainUnavailable)
        lines << tr("The workspace lists a key for this role but the keychain did not return it. Unlock the "
                    "keyring; nothing was deleted.");
    if (record.verification && record.verification->hasAccount) {
        const KlaviyoAccount& a = record.verification->account;
        lines << tr("Account: %1 (public key %2%3)")
                     .arg(a.organizationName, a.publicKey, a.testAccount ? tr(", test account") : QString());
    }
    if (status.assessment && !status.assessment->writeScopes.isEmpty())
        lines << tr("Write scopes cannot be probed and were not checked: %1")
                     .arg(status.assessment->writeScopes.join(QStringLiteral(", ")));
    if (status.assessment && !status.assessment->undetermined.isEmpty())
        lines << tr("Not settled by any probe: %1")
                     .arg(status.assessment->undetermined.join(QStringLiteral(", ")));
    if (record.verification && !record.verification->message.isEmpty())
        lines << record.verification->message;
    return lines.join(QLatin1Char('\n'));
}

QVariant ApiKeysModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KeyRecord& r = m_records.at(index.row());
    const KeyStatus s = status(index.row());
    switch (role) {
    case RoleNameRole:
        return r.roleName;
    case KeyStateRole:
        return int(s.state);
    case RotationDueRole:
        return s.rotationDue;
    case HasKeyRole:
        return r.hasKey;
    case Qt::ToolTipRole:
        return toolTip(r, s);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case RoleColumn:
        return r.roleName;
    case StatusColumn:
        return statusText(s);
    case KeyColumn:
        return r.hasKey ? ApiKeyFormat::masked(r.last4) : QString();
    case AgeColumn:
        if (!r.hasKey)
            return QString();
        return s.ageDays == 0 ? tr("today") : tr("%n day(s)", nullptr, int(s.ageDays));
    case VerifiedColumn:
        if (!r.hasKey)
            return QString();
        return r.verifiedAt.isValid() ? QLocale().toString(r.verifiedAt.toLocalTime(), QLocale::ShortFormat)
                                      : tr("Never");
    case NotesColumn:
        return notesText(r, s);
    }
    return {};
}

QVariant ApiKeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RoleColumn:
        return tr("Role");
    case StatusColumn:
        return tr("Key status");
    case KeyColumn:
        return tr("Key");
    case AgeColumn:
        return tr("Age");
    case VerifiedColumn:
        return tr("Last verified");
    case NotesColumn:
        return tr("Reminders");
    }
    return {};
}

} // namespace rbac
