#include "items/CatalogPickerModel.h"

#include "policy/ScopeCatalog.h"

#include <QHash>

namespace rbac {

CatalogPickerModel::CatalogPickerModel(Kind kind, QObject* parent)
    : CatalogPickerModel(kind, ScopeCatalog::builtin(), parent)
{
}

CatalogPickerModel::CatalogPickerModel(Kind kind, const ScopeCatalog& catalog, QObject* parent)
    : QAbstractTableModel(parent)
    , m_kind(kind)
{
    if (kind == Kind::Operations) {
        m_headers = {tr("Operation"), tr("Endpoint"), tr("Scopes")};
        m_rows.reserve(catalog.operations().size());
        for (const ApiOperation& op : catalog.operations()) {
            QString endpoint = op.method + QLatin1Char(' ') + op.path;
            if (op.channel == QLatin1String("beta"))
                endpoint += QLatin1Char(' ') + tr("(beta)");
            const QString scopes
                = op.publicKey ? tr("public key, no scope") : op.scopes.join(QStringLiteral(", "));
            m_rows.append({op.id, {endpoint, scopes}, op.summary});
        }
    } else {
        m_headers = {tr("Scope"), tr("Operations")};
        QHash<QString, int> uses;
        for (const ApiOperation& op : catalog.operations()) {
            for (const QString& scope : op.scopes)
                ++uses[scope];
        }
        m_rows.reserve(catalog.scopes().size());
        for (const QString& scope : catalog.scopes()) {
            const int n = uses.value(scope);
            m_rows.append(
                {scope, {QString::number(n)}, tr("Klaviyo operations that need %1: %2.").arg(scope).arg(n)});
        }
    }
}

QStringList CatalogPickerModel::checked() const
{
    QStringList out(m_checked.cbegin(), m_checked.cend());
    out.sort();
    return out;
}

void CatalogPickerModel::setChecked(const QStringList& keys)
{
    const QSet<QString> next(keys.cbegin(), keys.cend());
    if (next == m_checked)
        return;
    m_checked = next;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, 0), {Qt::CheckStateRole, CheckedRole});
    emit checkedChanged();
}

void CatalogPickerModel::setItemChecked(const QString& key, bool checked)
{
    const int row = rowOf(key);
    if (row >= 0)
        setData(index(row, 0), checked ? Qt::Checked : Qt::Unchecked, Qt::CheckStateRole);
}

int CatalogPickerModel::rowOf(const QString& key) const
{
    for (int r = 0; r < m_rows.size(); ++r) {
        if (m_rows.at(r).key == key)
            return r;
    }
    return -1;
}

int CatalogPickerModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CatalogPickerModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

QVariant CatalogPickerModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    const bool isChecked = m_checked.contains(row.key);
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == 0 ? row.key : row.columns.value(index.column() - 1);
    case Qt::CheckStateRole:
        if (index.column() == 0)
            return isChecked ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::ToolTipRole:
        return row.toolTip;
    case KeyRole:
        return row.key;
    case CheckedRole:
        return isChecked;
    default:
        return {};
    }
}

QVariant CatalogPickerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return m_headers.value(section);
    return QAbstractTableModel::headerData(section, orientation, role);
}

Qt::ItemFlags CatalogPickerModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == 0)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

bool CatalogPickerModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != 0 || !index.isValid()
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString& key = m_rows.at(index.row()).key;
    const bool check = value.toInt() == Qt::Checked;
    if (check == m_checked.contains(key))
        return true;
    if (check)
        m_checked.insert(key);
    else
        m_checked.remove(key);
    emit dataChanged(index, index, {Qt::CheckStateRole, CheckedRole});
    emit checkedChanged();
    return true;
}

} // namespace rbac
