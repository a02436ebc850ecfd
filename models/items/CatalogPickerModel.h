#pragma once

#include <QAbstractTableModel>
#include <QSet>

namespace rbac {

class ScopeCatalog;

// The Klaviyo operations, or the Klaviyo scopes, of the scope catalog as a checklist: column 0
// is checkable, the other columns describe the item. Used to compose a custom permission.
class CatalogPickerModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Kind
    {
        Operations,
        Scopes
    };
    enum ItemDataRole
    {
        KeyRole = Qt::UserRole + 1, // the operationId or the scope
        CheckedRole,                // bool
    };

    explicit CatalogPickerModel(Kind kind, QObject* parent = nullptr);
    CatalogPickerModel(Kind kind, const ScopeCatalog& catalog, QObject* parent = nullptr);

    Kind kind() const { return m_kind; }
    QStringList checked() const; // sorted
    void setChecked(const QStringList& keys);
    void setItemChecked(const QString& key, bool checked);
    int rowOf(const QString& key) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

signals:
    void checkedChanged();

private:
    struct Row
    {
        QString key;
        QStringList columns; // display texts after column 0
        QString toolTip;
    };

    Kind m_kind;
    QVector<Row> m_rows;
    QSet<QString> m_checked;
    QStringList m_headers;
};

} // namespace rbac
