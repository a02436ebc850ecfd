// Following a growing log: new entries are found by polling the chain head (or at once when
// told), fetched by id, and inserted at the newest end without disturbing loaded rows.
#include "items/AuditTableModel.h"

#include "audit/AuditWorker.h"

#include <QPointer>
#include <QSqlQuery>

#include <algorithm>

namespace rbac {

namespace {

// More new entries than this at once (an import) and the view reloads instead of inserting.
constexpr int maxLiveInsert = 2048;

bool newer(const AuditEntry& a, const AuditKey& b)
{
    return a.ts > b.ts || (a.ts == b.ts && a.id > b.id);
}

} // namespace

struct AuditTableModel::PollResult
{
    quint64 generation = 0;
    qint64 headId = 0;
    QVector<AuditEntry> rows; // newest first
    std::optional<AuditKey> previousNewest;
    QString error;
};

void AuditTableModel::notifyAppended()
{
    if (m_headId < 0 || m_pollInFlight)
        return;
    m_pollInFlight = true;
    const AuditFilter filter = pinnedFilter();
    const qint64 known = m_headId;
    const quint64 generation = m_generation;
    QPointer<AuditTableModel> self(this);
    m_pageWorker->post(
        [self, filter, known, generation](QSqlDatabase& db) {
            PollResult r;
            r.generation = generation;
            AuditLog log(db);
            QSqlQuery(db).exec(QStringLiteral("BEGIN"));
            Expected<qint64> head = log.headId();
            r.headId = head ? *head : known;
            if (!head)
                r.error = head.status().message();
            if (head && *head > known) {
                AuditPageQuery fresh;
                fresh.filter = filter;
                fresh.filter.afterId = known;
                fresh.filter.upToId = *head;
                fresh.limit = maxLiveInsert + 1;
                if (Expected<QVector<AuditEntry>> rows = log.page(fresh))
                    r.rows = std::move(rows.value());
                else
                    r.error = rows.status().message();
                AuditPageQuery newest;
                newest.filter = filter;
                newest.limit = 1;
                Expected<QVector<AuditEntry>> top = log.page(newest);
                if (top && !top->isEmpty())
                    r.previousNewest = AuditKey {top->first().ts, top->first().id};
            }
            QSqlQuery(db).exec(QStringLiteral("COMMIT"));
            QMetaObject::invokeMethod(
                self.data(), [self, r] { self->onPoll(r); }, Qt::QueuedConnection);
        },
        pollJobKey);
}

void AuditTableModel::onPoll(const PollResult& r)
{
    if (r.generation != m_generation)
        return;
    m_pollInFlight = false;
    if (!r.error.isEmpty()) {
        fail(r.error);
        return;
    }
    if (r.headId < m_headId) {
        reload(); // the log shrank: it was tampered with or replaced; show what is there now
        return;
    }
    if (r.headId == m_headId)
        return;
    if (r.rows.isEmpty()) {
        m_headId = r.headId; // new entries, none of them matching the filter
        return;
    }
    const bool atNewestEnd = std::all_of(r.rows.cbegin(), r.rows.cend(),
        [&r](const AuditEntry& e) { return !r.previousNewest || newer(e, *r.previousNewest); });
    if (r.rows.size() > maxLiveInsert || !atNewestEnd
        || (m_order == AuditOrder::OldestFirst && !m_countKnown)) {
        reload(); // an import of older entries, or too many to insert one by one
        return;
    }
    const int n = int(r.rows.size());
    if (m_order == AuditOrder::NewestFirst) {
        beginInsertRows(QModelIndex(), 0, n - 1);
        m_cache.insertGap(0, n);
        m_cache.store(0, r.rows);
        m_shift += n;
        m_rows += n;
        endInsertRows();
        emit rowsLoaded(0, n - 1);
    } else {
        QVector<AuditEntry> rows = r.rows;
        std::reverse(rows.begin(), rows.end());
        const int first = m_rows;
        beginInsertRows(QModelIndex(), first, first + n - 1);
        m_cache.store(first, rows);
        m_rows += n;
        endInsertRows();
        emit rowsLoaded(first, first + n - 1);
    }
    if (!m_countKnown)
        m_liveSinceCount += n;
    m_headId = r.headId;
    if (m_countKnown)
        emit countChanged(m_rows);
}

void AuditTableModel::locate(qint64 id)
{
    const AuditFilter filter = pinnedFilter();
    const AuditOrder order = m_order;
    const quint64 generation = m_generation;
    const int shiftAt = m_shift;
    QPointer<AuditTableModel> self(this);
    m_pageWorker->post([self, filter, order, id, generation, shiftAt](QSqlDatabase& db) {
        Expected<qint64> row = AuditLog(db).position(filter, order, id);
        const qint64 found = row ? *row : -1;
        QMetaObject::invokeMethod(
            self.data(),
            [self, id, found, generation, shiftAt] {
                // Rows inserted at the top since the question moved the answer down.
                const qint64 at = found + (self->m_shift - shiftAt);
                const bool valid = generation == self->m_generation && found >= 0 && at < self->m_rows;
                emit self->located(id, valid ? int(at) : -1);
            },
            Qt::QueuedConnection);
    });
}

} // namespace rbac
