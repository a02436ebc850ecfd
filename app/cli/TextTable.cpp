#include "TextTable.h"

namespace rbac::cli {

void TextTable::print(QTextStream& out) const
{
    QVector<int> widths(m_header.size(), 0);
    const auto measure = [&widths](const QStringList& row) {
        for (int i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], int(row.at(i).size()));
    };
    measure(m_header);
    for (const QStringList& row : m_rows)
        measure(row);
    const auto line = [&](const QStringList& row) {
        QString text;
        for (int i = 0; i < row.size(); ++i) {
            const bool last = i == row.size() - 1;
            text += last ? row.at(i) : row.at(i).leftJustified(widths.value(i)) + QStringLiteral("  ");
        }
        out << text.trimmed() << '\n';
    };
    line(m_header);
    for (const QStringList& row : m_rows)
        line(row);
    out.flush();
}

QString csvField(const QString& value)
{
    if (!value.contains(QLatin1Char(',')) && !value.contains(QLatin1Char('"'))
        && !value.contains(QLatin1Char('\n')))
        return value;
    QString quoted = value;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace rbac::cli
