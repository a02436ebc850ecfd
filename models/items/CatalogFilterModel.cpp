#include "items/CatalogFilterModel.h"

#include "items/CatalogPickerModel.h"
#include "items/MatrixFilterModel.h"

namespace rbac {

CatalogFilterModel::CatalogFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
}

void CatalogFilterModel::sortCheckedFirst()
{
    m_pinned.clear();
    const QAbstractItemModel* model = sourceModel();
    for (int r = 0; model && r < model->rowCount(); ++r) {
        const QModelIndex index = model->index(r, 0);
        if (index.data(CatalogPickerModel::CheckedRole).toBool())
            m_pinned.insert(index.data(CatalogPickerModel::KeyRole).toString());
    }
    invalidate();
    sort(0);
}

bool CatalogFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const bool a = m_pinned.contains(left.siblingAtColumn(0).data(CatalogPickerModel::KeyRole).toString());
    const bool b = m_pinned.contains(right.siblingAtColumn(0).data(CatalogPickerModel::KeyRole).toString());
    if (a != b)
        return a;
    return left.siblingAtColumn(0).data().toString() < right.siblingAtColumn(0).data().toString();
}

void CatalogFilterModel::setSearchText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateRowsFilter();
}

void CatalogFilterModel::setCheckedOnly(bool checkedOnly)
{
    if (checkedOnly == m_checkedOnly)
        return;
    m_checkedOnly = checkedOnly;
    invalidateRowsFilter();
}

bool CatalogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* model = sourceModel();
    if (m_checkedOnly
        && !model->index(sourceRow, 0, sourceParent).data(CatalogPickerModel::CheckedRole).toBool())
        return false;
    if (m_words.isEmpty())
        return true;
    QString text;
    for (int c = 0; c < model->columnCount(sourceParent); ++c)
        text += model->index(sourceRow, c, sourceParent).data().toString() + QLatin1Char(' ');
    return MatrixFilterModel::matches(text, m_words);
}

} // namespace rbac
