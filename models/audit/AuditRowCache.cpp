#include "audit/AuditRowCache.h"

namespace rbac {

const AuditEntry* AuditRowCache::find(int row) const
{
    auto it = m_segments.upper_bound(row);
    if (it == m_segments.begin())
        return nullptr;
    --it;
    const int offset = row - it->first;
    return offset < it->second.size() ? &it->second.at(offset) : nullptr;
}

void AuditRowCache::clear()
{
    m_segments.clear();
    m_size = 0;
}

void AuditRowCache::store(int start, QVector<AuditEntry> rows)
{
    if (rows.isEmpty())
        return;
    const int end = start + int(rows.size()); // exclusive
    // The segment before (when it overlaps or touches) is extended in place: scrolling appends a
    // page to a segment of thousands of rows, and copying it each time would cost more than the read.
    QVector<AuditEntry> merged;
    int newStart = start;
    auto it = m_segments.upper_bound(start);
    if (it != m_segments.begin()) {
        auto prev = std::prev(it);
        if (prev->first + prev->second.size() >= start) {
            newStart = prev->first;
            merged = std::move(prev->second);
            m_size -= int(merged.size());
            QVector<AuditEntry> tail; // rows of it beyond the new ones, if it reached past them
            if (newStart + merged.size() > end)
                tail = merged.mid(end - newStart);
            merged.resize(start - newStart);
            // No reserve(): an exact reserve on every page would defeat QList's geometric growth.
            merged.append(std::move(rows));
            merged.append(std::move(tail));
            it = m_segments.erase(prev);
        }
    }
    if (merged.isEmpty())
        merged = std::move(rows);
    // Segments after that the new rows overlap or touch are folded in too.
    const int mergedEnd = newStart + int(merged.size());
    while (it != m_segments.end() && it->first <= mergedEnd) {
        const int segStart = it->first;
        QVector<AuditEntry>& seg = it->second;
        const int segEnd = segStart + int(seg.size());
        m_size -= int(seg.size());
        if (segEnd > mergedEnd)
            merged.append(seg.mid(mergedEnd - segStart));
        it = m_segments.erase(it);
    }
    m_size += int(merged.size());
    m_segments.emplace(newStart, std::move(merged));
}

void AuditRowCache::insertGap(int at, int count)
{
    if (count <= 0)
        return;
    std::map<int, QVector<AuditEntry>> moved;
    for (auto& [start, rows] : m_segments) {
        const int end = start + int(rows.size());
        if (end <= at) {
            moved.emplace(start, std::move(rows));
        } else if (start >= at) {
            moved.emplace(start + count, std::move(rows));
        } else {
            // The gap opens inside this segment: split it.
            moved.emplace(start, rows.mid(0, at - start));
            moved.emplace(at + count, rows.mid(at - start));
        }
    }
    m_segments = std::move(moved);
}

void AuditRowCache::truncate(int from)
{
    for (auto it = m_segments.begin(); it != m_segments.end();) {
        const int start = it->first;
        const int size = int(it->second.size());
        if (start >= from) {
            m_size -= size;
            it = m_segments.erase(it);
            continue;
        }
        if (start + size > from) {
            m_size -= start + size - from;
            it->second.resize(from - start);
        }
        ++it;
    }
}

int AuditRowCache::firstMissing(int first, int last) const
{
    int row = first;
    while (row <= last) {
        auto it = m_segments.upper_bound(row);
        if (it == m_segments.begin())
            return row;
        --it;
        const int end = it->first + int(it->second.size());
        if (row >= end)
            return row;
        row = end;
    }
    return -1;
}

int AuditRowCache::cachedBefore(int row) const
{
    auto it = m_segments.lower_bound(row);
    if (it == m_segments.begin())
        return -1;
    --it;
    const int end = it->first + int(it->second.size());
    return qMin(end - 1, row - 1);
}

int AuditRowCache::cachedAfter(int row) const
{
    if (contains(row + 1))
        return row + 1;
    auto it = m_segments.upper_bound(row);
    return it == m_segments.end() ? -1 : it->first;
}

void AuditRowCache::trim(int focus, int limit)
{
    if (m_size <= limit)
        return;
    const int lo = focus - limit / 2;
    const int hi = focus + limit / 2;
    // Cut in place: entries are relocatable, so dropping the front of a segment is a memmove.
    for (auto it = m_segments.begin(); it != m_segments.end();) {
        const int start = it->first;
        const int end = start + int(it->second.size()) - 1;
        if (end < lo || start > hi) {
            m_size -= int(it->second.size());
            it = m_segments.erase(it);
            continue;
        }
        if (end > hi) {
            m_size -= end - hi;
            it->second.resize(hi - start + 1);
        }
        if (start < lo) {
            auto node = m_segments.extract(it++);
            node.mapped().remove(0, lo - start);
            m_size -= lo - start;
            node.key() = lo;
            m_segments.insert(std::move(node));
            continue;
        }
        ++it;
    }
}

} // namespace rbac
