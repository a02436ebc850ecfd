#pragma once

#include "audit/AuditEntry.h"

#include <QVector>

#include <map>

namespace rbac {

// The rows of a large result the browser has loaded, by row number: a few contiguous segments
// around where the user looks (the design of sqlitebrowser's RowCache, plus eviction so memory
// stays bounded at any table size, and shifting for entries that arrive at the top).
class AuditRowCache
{
public:
    const AuditEntry* find(int row) const;
    bool contains(int row) const { return find(row) != nullptr; }
    int size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    void clear();

    // Stores rows [start, start + rows.size()), replacing whatever was cached there.
    void store(int start, QVector<AuditEntry> rows);
    // `count` rows were inserted before row `at`: rows at and after it move down.
    void insertGap(int at, int count);
    // Rows at and after `from` were removed from the result.
    void truncate(int from);

    // The first row in [first, last] that is not cached, or -1.
    int firstMissing(int first, int last) const;
    // The nearest cached row before `row` / after `row` (exclusive), or -1.
    int cachedBefore(int row) const;
    int cachedAfter(int row) const;

    // Keeps only rows within limit/2 of `focus` (at most limit + 1 rows). Copies what it keeps:
    // callers trim in steps, not after every store.
    void trim(int focus, int limit);

private:
    // start → contiguous rows. Segments never overlap or touch: store() merges neighbours.
    std::map<int, QVector<AuditEntry>> m_segments;
    int m_size = 0;
};

} // namespace rbac
