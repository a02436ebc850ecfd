#pragma once

#include "credentials/KeyIndex.h"
#include "credentials/KeyStatus.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace rbac {

class Workspace;

// One row per role: key status, masked key, age, last verification and reminders. Reads only
// non-secret metadata (KeyIndex); whether the keychain returns a key is told from outside
// (setKeychainReadable), since only the keychain service knows.
class ApiKeysModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RoleColumn,
        StatusColumn,
        KeyColumn,
        AgeColumn,
        VerifiedColumn,
        NotesColumn,
        ColumnCount
    };
    enum ItemRole
    {
        RoleNameRole = Qt::UserRole + 1, // QString
        KeyStateRole,                    // int(KeyState)
        RotationDueRole,                 // bool
        HasKeyRole,                      // bool
    };

    explicit ApiKeysModel(Workspace* workspace, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Re-reads the metadata; the workspace's signals call it after every change.
    void reload();
    void setKeychainReadable(const QString& roleUid, std::optional<bool> readable);

    int rowOf(const QString& roleName) const;
    const KeyRecord* record(int row) const;
    KeyStatus status(int row) const;
    int rotationDays() const { return m_rotationDays; }
    QString loadError() const { return m_loadError; }

private:
    QString statusText(const KeyStatus& status) const;
    QString notesText(const KeyRecord& record, const KeyStatus& status) const;
    QString toolTip(const KeyRecord& record, const KeyStatus& status) const;

    Workspace* m_workspace;
    QVector<KeyRecord> m_records;
    QVector<QStringList> m_required; // per row
    QHash<QString, bool> m_readable; // by role uid
    int m_rotationDays = KeyStatusRules::defaultRotationDays;
    QString m_loadError;
};

} // namespace rbac
