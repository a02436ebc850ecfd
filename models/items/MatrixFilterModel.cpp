#include "items/MatrixFilterModel.h"

#include "items/RoleMatrixModel.h"

namespace rbac {

namespace {

QStringList words(const QString& filter)
{
    return filter.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

} // namespace

MatrixFilterModel::MatrixFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
}

bool MatrixFilterModel::matches(const QString& text, const QStringList& words)
{
    for (const QString& word : words) {
        if (!text.contains(word, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

void MatrixFilterModel::setRoleFilter(const QString& filter)
{
    if (filter == m_roleFilter)
        return;
    m_roleFilter = filter;
    m_roleWords = words(filter.simplified());
    invalidateRowsFilter();
}

void MatrixFilterModel::setPermissionFilter(const QString& filter)
{
    if (filter == m_permissionFilter)
        return;
    m_permissionFilter = filter;
    m_permissionWords = words(filter.simplified());
    invalidateColumnsFilter();
}

bool MatrixFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_roleWords.isEmpty() || sourceParent.isValid())
        return true;
    return matches(
        sourceModel()->headerData(sourceRow, Qt::Vertical, RoleMatrixModel::SearchTextRole).toString(),
        m_roleWords);
}

bool MatrixFilterModel::filterAcceptsColumn(int sourceColumn, const QModelIndex& sourceParent) const
{
    if (m_permissionWords.isEmpty() || sourceParent.isValid())
        return true;
    return matches(
        sourceModel()->headerData(sourceColumn, Qt::Horizontal, RoleMatrixModel::SearchTextRole).toString(),
        m_permissionWords);
}

} // namespace rbac
