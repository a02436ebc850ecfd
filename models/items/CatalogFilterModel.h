#pragma once

#include <QSet>
#include <QSortFilterProxyModel>

namespace rbac {

// Searches a CatalogPickerModel: every word must appear in one of the row's columns (any case);
// optionally only the checked rows. sortCheckedFirst() orders what is checked at that moment first
// (then by name); ticking rows later does not move them away from under the pointer.
class CatalogFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit CatalogFilterModel(QObject* parent = nullptr);

    QString searchText() const { return m_text; }
    bool checkedOnly() const { return m_checkedOnly; }

    void sortCheckedFirst();

public slots:
    void setSearchText(const QString& text);
    void setCheckedOnly(bool checkedOnly);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString m_text;
    QStringList m_words;
    bool m_checkedOnly = false;
    QSet<QString> m_pinned; // checked when sortCheckedFirst() was called
};

} // namespace rbac
