#pragma once

#include <QSortFilterProxyModel>

namespace rbac {

// Filters a RoleMatrixModel: rows by role (name, description), columns by permission (name,
// description, Klaviyo operations and scopes). Every word of a filter must appear, in any case,
// so "profiles write" finds canWriteProfiles and "profiles:write" finds what needs that scope.
class MatrixFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit MatrixFilterModel(QObject* parent = nullptr);

    QString roleFilter() const { return m_roleFilter; }
    QString permissionFilter() const { return m_permissionFilter; }
    bool isFiltering() const { return !m_roleWords.isEmpty() || !m_permissionWords.isEmpty(); }

    // True when every whitespace-separated word of `filter` occurs in `text`, ignoring case.
    static bool matches(const QString& text, const QStringList& words);

public slots:
    void setRoleFilter(const QString& filter);
    void setPermissionFilter(const QString& filter);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool filterAcceptsColumn(int sourceColumn, const QModelIndex& sourceParent) const override;

private:
    QString m_roleFilter;
    QString m_permissionFilter;
    QStringList m_roleWords;
    QStringList m_permissionWords;
};

} // namespace rbac
