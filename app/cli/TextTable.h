#pragma once

#include <QStringList>
#include <QTextStream>
#include <QVector>

namespace rbac::cli {

// Left-aligned columns separated by two spaces; the last column is not padded.
class TextTable
{
public:
    explicit TextTable(QStringList header)
        : m_header(std::move(header))
    {
    }
    void addRow(QStringList row) { m_rows.append(std::move(row)); }
    void print(QTextStream& out) const;

private:
    QStringList m_header;
    QVector<QStringList> m_rows;
};

// RFC 4180 field quoting.
QString csvField(const QString& value);

} // namespace rbac::cli
