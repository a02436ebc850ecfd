#include "items/AuditTableModel.h"

#include "audit/AuditWorker.h"

#include <QDateTime>
#include <QPointer>
#include <QSqlQuery>

#include <algorithm>
#include <limits>

namespace rbac {

namespace {

QString localTime(const QString& isoUtc)
{
    const QDateTime utc = QDateTime::fromString(isoUtc, Qt::ISODateWithMs);
    return utc.isValid() ? utc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : isoUtc;
}

} // namespace

AuditTableModel::AuditTableModel(const QString& databasePath, QObject* parent)
    : QAbstractTableModel(parent)
    , m_path(databasePath)
    // The page reader keeps index and recent table pages of a million-entry log resident (8 MB);
    // counts scan once and gain nothing from a big cache.
    , m_pageWorker(std::make_unique<AuditWorker>(databasePath, 8192))
    , m_countWorker(std::make_unique<AuditWorker>(databasePath))
{
    connect(&m_poll, &QTimer::timeout, this, &AuditTableModel::notifyAppended);
    m_poll.start(1000);
    reload();
}

AuditTableModel::~AuditTableModel()
{
    // Stop the threads before this object goes: no job may post to a half-destroyed model.
    m_pageWorker.reset();
    m_countWorker.reset();
}

void AuditTableModel::setPollInterval(int ms)
{
    if (ms <= 0)
        m_poll.stop();
    else
        m_poll.start(ms);
}

int AuditTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int AuditTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ActorColumn:
        return tr("Actor");
    case RoleColumn:
        return tr("Role");
    case ActionColumn:
        return tr("Action");
    case ResourceColumn:
        return tr("Resource");
    case ResultColumn:
        return tr("Result");
    }
    return {};
}

QVariant AuditTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows || index.column() >= ColumnCount)
        return {};
    const AuditEntry* e = m_cache.find(index.row());
    if (!e) {
        wantRows(index.row(), index.row());
        if (role == LoadedRole)
            return false;
        if (role == Qt::DisplayRole && index.column() == TimeColumn)
            return tr("loading…");
        return {};
    }
    if (role == Qt::DisplayRole) // the view paints visible rows: keep the rows around them loaded
        wantRows(index.row(), index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return localTime(e->ts); // stored in UTC, shown in local time
        case ActorColumn:
            return e->actor;
        case RoleColumn:
            return e->role;
        case ActionColumn:
            return e->action;
        case ResourceColumn:
            return e->resource;
        case ResultColumn:
            return e->success ? tr("succeeded") : tr("failed");
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return tr("%1 UTC · entry %2").arg(e->ts).arg(e->id);
        return {};
    case Qt::AccessibleTextRole:
        return data(index, Qt::DisplayRole);
    case EntryIdRole:
        return e->id;
    case TimestampRole:
        return e->ts;
    case SuccessRole:
        return e->success;
    case LoadedRole:
        return true;
    }
    return {};
}

std::optional<AuditEntry> AuditTableModel::entryAt(int row) const
{
    const AuditEntry* e = m_cache.find(row);
    return e ? std::optional<AuditEntry>(*e) : std::nullopt;
}

void AuditTableModel::prefetch(int first, int last)
{
    wantRows(first, last);
}

bool AuditTableModel::canFetchMore(const QModelIndex& parent) const
{
    // Before the first page is in (m_rows == 0) there is nothing to continue from.
    if (parent.isValid() || m_countKnown || m_endReached || m_headId < 0 || m_rows == 0)
        return false;
    return !inFlight(m_rows, nullptr);
}

void AuditTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    requestRange(m_rows, m_rows + pageSize - 1);
}

void AuditTableModel::sort(int column, Qt::SortOrder order)
{
    if (column != TimeColumn)
        return;
    setOrder(order == Qt::DescendingOrder ? AuditOrder::NewestFirst : AuditOrder::OldestFirst);
}

void AuditTableModel::setFilter(const AuditFilter& filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

void AuditTableModel::setOrder(AuditOrder order)
{
    if (order == m_order)
        return;
    m_order = order;
    reload();
}

AuditFilter AuditTableModel::pinnedFilter() const
{
    AuditFilter f = m_filter;
    if (m_headId > 0)
        f.upToId = f.upToId > 0 ? qMin(f.upToId, m_headId) : m_headId;
    return f;
}

void AuditTableModel::reload()
{
    m_countWorker->interrupt(countJobKey); // a count for the old filter is not wanted any more
    beginResetModel();
    ++m_generation;
    m_liveGeneration->store(m_generation);
    m_targetFirst = m_targetLast = -1;
    m_cache.clear();
    m_flights.clear();
    m_rows = 0;
    m_headId = -1;
    m_countBaseId = -1;
    m_pendingCount.reset();
    m_countKnown = false;
    m_endReached = false;
    m_liveSinceCount = 0;
    m_shift = 0;
    m_pollInFlight = false;
    m_wantFirst = m_wantLast = -1;
    endResetModel();
    emit countChanged(-1);
    // The first page's reader starts the count itself, pinned to the head it saw, the moment its
    // page is read: the count never slows the first page, and waits for no round trip.
    requestRange(0, pageSize - 1);
}

void AuditTableModel::startCount()
{
    AuditFilter filter = m_filter;
    if (m_countBaseId >= 0)
        filter.upToId = m_countBaseId;
    m_countWorker->post(countJob(this, m_generation, filter), countJobKey);
}

AuditWorker::Job AuditTableModel::countJob(
    const QPointer<AuditTableModel>& self, quint64 generation, const AuditFilter& filter)
{
    return [self, filter, generation](QSqlDatabase& db) {
        qint64 head = -1;
        Expected<qint64> n = AuditLog(db).count(filter, &head);
        if (!n) {
            const QString error = n.status().message();
            QMetaObject::invokeMethod(
                self.data(),
                [self, generation, error] {
                    // An interrupted count of a superseded filter is no error worth showing.
                    if (generation == self->m_generation && !self->m_countKnown)
                        self->fail(error);
                },
                Qt::QueuedConnection);
            return;
        }
        const CountResult r {generation, *n, head, filter.upToId};
        QMetaObject::invokeMethod(
            self.data(), [self, r] { self->onCount(r); }, Qt::QueuedConnection);
    };
}

void AuditTableModel::onCount(const CountResult& r)
{
    if (r.generation != m_generation || m_countKnown)
        return;
    if (m_countBaseId < 0) {
        m_pendingCount = r; // the first page is not in yet: it decides whether this count fits
        return;
    }
    if (r.pinnedTo != m_countBaseId && !(r.pinnedTo == 0 && r.head == m_countBaseId)) {
        startCount(); // entries were appended between page and count: count the page's snapshot
        return;
    }
    m_countKnown = true;
    setRows(int(qMin<qint64>(r.count + m_liveSinceCount, std::numeric_limits<int>::max())));
    emit countChanged(m_rows);
}

void AuditTableModel::setRows(int rows)
{
    if (rows > m_rows) {
        beginInsertRows(QModelIndex(), m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    } else if (rows < m_rows) {
        beginRemoveRows(QModelIndex(), rows, m_rows - 1);
        m_rows = rows;
        m_cache.truncate(rows);
        endRemoveRows();
    }
}

void AuditTableModel::fail(const QString& message)
{
    emit errorOccurred(message);
}

} // namespace rbac

// How the model reads rows: which access path reaches a range cheapest, and placing what comes
// back (late results of a superseded filter are dropped; rows inserted at the top meanwhile are
// accounted for).
namespace rbac {

namespace {

// Rows loaded beyond what is visible, so scrolling a screen at a time finds them ready.
constexpr int prefetchRows = 128;
// An OFFSET beyond this is a "far" request: at most one at a time (see dispatch()).
constexpr qint64 farOffset = 2 * AuditTableModel::pageSize;

} // namespace

struct AuditTableModel::PageResult
{
    quint64 generation = 0;
    int first = 0;
    int requested = 0;
    int shiftAt = 0;
    bool reversedPath = false;
    qint64 headId = -1; // set when the request pinned the head
    QVector<AuditEntry> rows;
    QString error;
};

void AuditTableModel::wantRows(int first, int last) const
{
    // Rows far from those asked for so far belong to a new place (a jump): it replaces them.
    const bool far
        = m_wantFirst >= 0 && (last < m_wantFirst - 2 * pageSize || first > m_wantLast + 2 * pageSize);
    if (m_wantFirst < 0 || far) {
        m_wantFirst = first;
        m_wantLast = last;
    } else {
        m_wantFirst = qMin(m_wantFirst, first);
        m_wantLast = qMax(m_wantLast, last);
    }
    m_wantRecent = last;
    queueDispatch();
}

void AuditTableModel::queueDispatch() const
{
    if (m_dispatchQueued)
        return;
    m_dispatchQueued = true;
    // data() is const and called while painting: load after the paint, once for all rows asked.
    auto* self = const_cast<AuditTableModel*>(this);
    QMetaObject::invokeMethod(
        self, [self] { self->dispatch(); }, Qt::QueuedConnection);
}

bool AuditTableModel::inFlight(int row, int* lastOfRange) const
{
    for (const Flight& f : m_flights) {
        const int delta = m_shift - f.shiftAt;
        if (row >= f.first + delta && row <= f.last + delta) {
            if (lastOfRange)
                *lastOfRange = f.last + delta;
            return true;
        }
    }
    return false;
}

void AuditTableModel::dispatch()
{
    m_dispatchQueued = false;
    if (m_wantFirst < 0) {
        // Nothing new asked for: go on filling the place last asked for (see onPage).
        m_wantFirst = m_targetFirst;
        m_wantLast = m_targetLast;
    }
    if (m_wantFirst < 0 || m_headId < 0 || m_rows == 0) {
        m_wantFirst = m_wantLast = -1;
        return;
    }
    int wantFirst = m_wantFirst;
    int wantLast = m_wantLast;
    // A view asks for a screenful. Whoever asks for far more (a model checker touching every
    // row) gets only what the cache can hold, around the row asked for last — else each load
    // would evict the one before it, forever.
    const int span = qMax(pageSize, m_cacheLimit / 2 - 2 * prefetchRows);
    if (wantLast - wantFirst + 1 > span) {
        wantFirst = qMax(wantFirst, m_wantRecent - span / 2);
        wantLast = qMin(wantLast, wantFirst + span - 1);
    }
    m_targetFirst = wantFirst;
    m_targetLast = wantLast;
    const int first = qBound(0, wantFirst - prefetchRows, m_rows - 1);
    const int last = qBound(0, wantLast + prefetchRows, m_rows - 1);
    const int anchor = qBound(first, m_wantRecent, last);
    m_focus = (wantFirst + wantLast) / 2;
    m_wantFirst = m_wantLast = -1;

    // The end of a read starting at `start`: at most `last`, stopping before rows already loaded
    // or already being read.
    const auto readEnd = [this](int from, int upTo) {
        const int nextCached = m_cache.cachedAfter(from);
        int end = nextCached >= 0 ? qMin(upTo, nextCached - 1) : upTo;
        for (const Flight& f : std::as_const(m_flights)) {
            const int fFirst = f.first + m_shift - f.shiftAt;
            if (fFirst > from)
                end = qMin(end, fFirst - 1);
        }
        return end;
    };
    bool farInFlight
        = std::any_of(m_flights.cbegin(), m_flights.cend(), [](const Flight& f) { return f.far; });
    bool missing = false;

    // First the rows on screen, exactly: a screenful reads in a fraction of a page's time.
    if (wantLast - wantFirst < pageSize) {
        const int visibleLast = qMin(wantLast, m_rows - 1);
        int row = qMax(0, wantFirst);
        while (row <= visibleLast && (row = m_cache.firstMissing(row, visibleLast)) >= 0) {
            missing = true;
            int flightEnd = 0;
            if (inFlight(row, &flightEnd)) {
                row = flightEnd + 1;
                continue;
            }
            const int end = readEnd(row, visibleLast);
            const Plan plan = planRange(row, end);
            if (!plan.far || !farInFlight) {
                sendRange(row, end, plan);
                farInFlight = farInFlight || plan.far;
            }
            row = end + 1;
        }
    }

    // Then the look-ahead around them, in whole pages. Pages next to loaded rows go out at once
    // (keyset: cheap at any depth). Pages only a long OFFSET reaches go one at a time, nearest the
    // row looked at first; once it is in, its neighbours are keyset steps away.
    int farFirst = -1;
    int farLast = -1;
    int row = first;
    while (row <= last) {
        row = m_cache.firstMissing(row, last);
        if (row < 0)
            break;
        missing = true;
        int flightEnd = 0;
        if (inFlight(row, &flightEnd)) {
            row = flightEnd + 1;
            continue;
        }
        // Align to whole pages so scrolling loads one page per 256 rows, not ragged slivers;
        // the last page is counted from the bottom, so the oldest rows come in one read.
        const int pageStart = qMax(row / pageSize * pageSize, m_cache.cachedBefore(row) + 1);
        int pageEnd = qMin(pageStart + pageSize - 1, m_rows - 1);
        if (m_countKnown && row >= m_rows - pageSize)
            pageEnd = m_rows - 1;
        const int start = qMax(pageStart, row);
        const int end = readEnd(start, pageEnd);
        const Plan plan = planRange(start, end);
        if (!plan.far) {
            sendRange(start, end, plan);
        } else if (!farInFlight) {
            const auto distance = [anchor](int a, int b) {
                return anchor < a ? a - anchor : anchor > b ? anchor - b : 0;
            };
            if (farFirst < 0 || distance(start, end) < distance(farFirst, farLast)) {
                farFirst = start;
                farLast = end;
            }
        }
        row = end + 1;
    }
    if (farFirst >= 0)
        sendRange(farFirst, farLast, planRange(farFirst, farLast));
    if (!missing)
        m_targetFirst = m_targetLast = -1; // all there
}

void AuditTableModel::requestRange(int first, int last)
{
    if (last >= first)
        sendRange(first, last, planRange(first, last));
}

AuditTableModel::Plan AuditTableModel::planRange(int first, int last) const
{
    Plan plan;
    AuditPageQuery& query = plan.query;
    query.filter = pinnedFilter();
    query.limit = last - first + 1;
    query.order = m_order;
    bool& reversedPath = plan.reversedPath;

    // The cheapest way to reach `first`: keyset next to a loaded neighbour, else the smallest
    // OFFSET from the top, from the bottom (once counted) or from the nearest loaded row.
    if (first > 0 && m_cache.contains(first - 1)) {
        const AuditEntry* e = m_cache.find(first - 1);
        query.after = AuditKey {e->ts, e->id};
    } else if (first > 0 && m_cache.contains(last + 1)) {
        const AuditEntry* e = m_cache.find(last + 1);
        query.after = AuditKey {e->ts, e->id};
        query.order = reversed(m_order);
        reversedPath = true;
    } else if (first > 0) {
        qint64 best = first; // from the top
        const int before = m_cache.cachedBefore(first);
        const int after = m_cache.cachedAfter(last);
        const qint64 fromBefore = before >= 0 ? first - before - 1 : -1;
        const qint64 fromAfter = after >= 0 ? after - last - 1 : -1;
        const qint64 fromBottom = m_countKnown ? m_rows - 1 - last : -1;
        enum
        {
            Top,
            Before,
            After,
            Bottom
        } path
            = Top;
        if (fromBefore >= 0 && fromBefore < best) {
            best = fromBefore;
            path = Before;
        }
        if (fromAfter >= 0 && fromAfter < best) {
            best = fromAfter;
            path = After;
        }
        if (fromBottom >= 0 && fromBottom < best) {
            best = fromBottom;
            path = Bottom;
        }
        query.offset = best;
        if (path == Before) {
            const AuditEntry* e = m_cache.find(before);
            query.after = AuditKey {e->ts, e->id};
        } else if (path == After || path == Bottom) {
            if (path == After) {
                const AuditEntry* e = m_cache.find(after);
                query.after = AuditKey {e->ts, e->id};
            }
            query.order = reversed(m_order);
            reversedPath = true;
        }
    }
    // Skipping this many rows costs about a millisecond per 10,000 at a million entries.
    plan.far = query.offset > farOffset;
    return plan;
}

void AuditTableModel::sendRange(int first, int last, const Plan& plan)
{
    const int count = last - first + 1;
    const AuditPageQuery& query = plan.query;
    const bool reversedPath = plan.reversedPath;

    m_flights.append({first, last, m_shift, plan.far});
    const bool pinHead = m_headId < 0;
    const quint64 generation = m_generation;
    const int shiftAt = m_shift;
    const auto live = m_liveGeneration;
    QPointer<AuditTableModel> self(this);
    // The first page hands the count to the count reader directly (see reload()). The model
    // destroys the page reader before the count reader, so the pointer outlives this job.
    AuditWorker* countWorker = pinHead ? m_countWorker.get() : nullptr;
    const AuditFilter countFilter = m_filter;
    m_pageWorker->post([self, query, first, count, shiftAt, reversedPath, pinHead, generation, live,
                           countWorker, countFilter](QSqlDatabase& db) {
        if (live->load() != generation)
            return; // queued before a new filter or order: nobody wants these rows now
        PageResult r;
        r.generation = generation;
        r.first = first;
        r.requested = count;
        r.shiftAt = shiftAt;
        r.reversedPath = reversedPath;
        AuditLog log(db);
        AuditPageQuery q = query;
        QSqlQuery(db).exec(QStringLiteral("BEGIN")); // head and page from one snapshot
        if (pinHead) {
            Expected<qint64> head = log.headId();
            r.headId = head ? *head : 0;
            q.filter.upToId = r.headId;
        }
        Expected<QVector<AuditEntry>> rows = log.page(q);
        QSqlQuery(db).exec(QStringLiteral("COMMIT"));
        if (countWorker && rows && rows->size() == count) {
            // More than a page: count it, pinned to this snapshot's head. (A short page is
            // its own count.) The job reads the filter's upToId to know what it counted.
            AuditFilter pinned = countFilter;
            pinned.upToId = r.headId;
            const AuditWorker::Job job = countJob(self, generation, pinned);
            countWorker->post(
                [job, live, generation](QSqlDatabase& cdb) {
                    if (live->load() == generation)
                        job(cdb);
                },
                countJobKey);
        }
        if (rows) {
            r.rows = std::move(rows.value());
            if (reversedPath)
                std::reverse(r.rows.begin(), r.rows.end());
        } else {
            r.error = rows.status().message();
        }
        // The model deletes its workers (joining this thread) before it dies, so `self` is alive.
        QMetaObject::invokeMethod(
            self.data(), [self, r] { self->onPage(r); }, Qt::QueuedConnection);
    });
}

void AuditTableModel::onPage(const PageResult& r)
{
    if (r.generation != m_generation)
        return; // a result for a filter or order no longer shown
    const int delta = m_shift - r.shiftAt;
    const int first = r.first + delta;
    for (int i = 0; i < m_flights.size(); ++i) {
        if (m_flights.at(i).first == r.first && m_flights.at(i).shiftAt == r.shiftAt) {
            m_flights.removeAt(i);
            break;
        }
    }
    if (!r.error.isEmpty()) {
        fail(r.error);
        return;
    }
    if (r.headId >= 0) {
        m_headId = r.headId;
        if (r.rows.size() < r.requested) {
            // The whole result fits on the first page: that is the count.
            m_countKnown = true;
        }
        if (!r.rows.isEmpty()) {
            beginInsertRows(QModelIndex(), 0, int(r.rows.size()) - 1);
            m_cache.store(0, r.rows);
            m_rows = int(r.rows.size());
            endInsertRows();
        }
        m_countBaseId = r.headId;
        if (m_countKnown) {
            emit countChanged(m_rows);
        } else if (m_pendingCount) {
            const CountResult pending = *m_pendingCount;
            m_pendingCount.reset();
            onCount(pending);
        }
        if (!r.rows.isEmpty())
            emit rowsLoaded(0, m_rows - 1);
        return;
    }
    if (r.reversedPath && r.rows.size() != r.requested) {
        // Positions came from a count the log no longer matches (rows removed behind our back).
        reload();
        return;
    }
    if (!m_countKnown && first == m_rows) {
        // Growing page by page while the count is still running.
        if (!r.rows.isEmpty()) {
            beginInsertRows(QModelIndex(), m_rows, m_rows + int(r.rows.size()) - 1);
            m_cache.store(first, r.rows);
            m_rows += int(r.rows.size());
            endInsertRows();
            m_focus = first;
        }
        if (r.rows.size() < r.requested) {
            // The end came before the count: that is the count (onCount ignores the late one).
            m_endReached = true;
            m_countKnown = true;
            m_countWorker->interrupt(countJobKey);
            emit countChanged(m_rows);
        }
    } else {
        if (r.rows.size() < r.requested && first + r.rows.size() < m_rows) {
            reload(); // fewer rows than counted: entries were removed behind our back
            return;
        }
        QVector<AuditEntry> rows = r.rows;
        if (first + rows.size() > m_rows)
            rows.resize(qMax(0, m_rows - first));
        if (rows.isEmpty())
            return;
        m_cache.store(first, rows);
        emit dataChanged(index(first, 0), index(first + int(rows.size()) - 1, ColumnCount - 1));
    }
    // Trimmed in steps of a few pages, not on every page: each trim copies what it keeps.
    if (m_cache.size() > m_cacheLimit + qMax(pageSize, m_cacheLimit / 8))
        m_cache.trim(m_focus, m_cacheLimit);
    if (!r.rows.isEmpty())
        emit rowsLoaded(first, first + int(r.rows.size()) - 1);
    if (m_targetFirst >= 0)
        queueDispatch(); // neighbours of what just arrived are keyset steps away now
}

} // namespace rbac

// Following a growing log: new entries are found by polling the chain head (or at once when
// told), fetched by id, and inserted at the newest end without disturbing loaded rows.
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
