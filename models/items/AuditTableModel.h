#pragma once

#include "audit/AuditFilter.h"
#include "audit/AuditLog.h"
#include "audit/AuditRowCache.h"
#include "audit/AuditWorker.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace rbac {

// The audit trail as a table, fast at any size. Rows are read on a background thread with its
// own read-only connection (WAL: never blocking a writer), a page of 256 at a time, by keyset on
// (ts, id) next to rows already loaded — the same cost at row 10 and row 999,999 — and by OFFSET
// only to land far from anything loaded. Only the rows around where the user looks stay in
// memory. The filtered count is computed on a second thread; until it arrives the table grows
// page by page (fetchMore). A generation number drops results of a superseded filter or order.
//
// The model pins the log at the head it saw (`id <= head`) so every page and the count describe
// the same set while appends continue; new entries are picked up by polling the head (or at once
// via notifyAppended) and inserted at the newest end.
class AuditTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        TimeColumn,
        ActorColumn,
        RoleColumn,
        ActionColumn,
        ResourceColumn,
        ResultColumn,
        ColumnCount
    };
    enum DataRole
    {
        EntryIdRole = Qt::UserRole + 1, // qint64
        TimestampRole,                  // the stored ISO-8601 UTC text
        SuccessRole,                    // bool
        LoadedRole,                     // false while the row is still being read
    };
    static constexpr int pageSize = 256;

    explicit AuditTableModel(const QString& databasePath, QObject* parent = nullptr);
    ~AuditTableModel() override;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // Only the time column sorts (newest or oldest first); other columns are ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    AuditFilter filter() const { return m_filter; }
    void setFilter(const AuditFilter& filter);
    AuditOrder order() const { return m_order; }
    void setOrder(AuditOrder order);

    // The number of entries the filter matches; -1 while it is being counted.
    qint64 totalCount() const { return m_countKnown ? m_rows : -1; }
    bool isRowLoaded(int row) const { return m_cache.contains(row); }
    std::optional<AuditEntry> entryAt(int row) const;
    // Asks for rows [first, last] now (the view asks through data()); rowsLoaded() follows.
    void prefetch(int first, int last);
    // At most this many rows stay cached (default 8192).
    void setCacheLimit(int rows) { m_cacheLimit = qMax(rows, 2 * pageSize); }
    // How often to look for entries appended by other programs; 0 turns polling off. Default 1000.
    void setPollInterval(int ms);
    // The database path the model reads, for exporters that must see the same file.
    QString databasePath() const { return m_path; }

public slots:
    // Drops everything loaded and reads again from the top.
    void reload();
    // Picks up appended entries now (connect Workspace::auditAppended here).
    void notifyAppended();
    // Finds entry `id` under the current filter and order; answers with located().
    void locate(qint64 id);

signals:
    // -1: counting.
    void countChanged(qint64 count);
    // Rows [first, last] became available.
    void rowsLoaded(int first, int last);
    // Where entry `id` is (row -1: the filter hides it, or it does not exist).
    void located(qint64 id, int row);
    void errorOccurred(const QString& message);

private:
    // Worker job keys: a newer job of the same kind replaces a queued one.
    static constexpr int countJobKey = 1;
    static constexpr int pollJobKey = 2;

    struct PageResult;
    struct PollResult;

    AuditFilter pinnedFilter() const;
    void wantRows(int first, int last) const;
    struct Plan
    {
        AuditPageQuery query;
        bool reversedPath = false; // read in the opposite order, then reversed
        bool far = false;          // needs a long OFFSET
    };
    void queueDispatch() const;
    void dispatch();
    void requestRange(int first, int last);
    Plan planRange(int first, int last) const;
    void sendRange(int first, int last, const Plan& plan);
    bool inFlight(int row, int* lastOfRange) const;
    void onPage(const PageResult& result);
    struct CountResult
    {
        quint64 generation = 0;
        qint64 count = 0;
        qint64 head = -1;    // the chain head of the count's snapshot
        qint64 pinnedTo = 0; // the upToId it counted under (0: none)
    };
    void onCount(const CountResult& result);
    void onPoll(const PollResult& result);
    void startCount();
    // Touches no member: the first page's job builds one on the reader thread.
    static AuditWorker::Job countJob(
        const QPointer<AuditTableModel>& self, quint64 generation, const AuditFilter& filter);
    void setRows(int rows);
    void fail(const QString& message);

    QString m_path;
    std::unique_ptr<AuditWorker> m_pageWorker;  // pages, head polls, locate
    std::unique_ptr<AuditWorker> m_countWorker; // counts, which may scan

    AuditFilter m_filter;
    AuditOrder m_order = AuditOrder::NewestFirst;
    quint64 m_generation = 0;
    qint64 m_headId = -1;                      // the newest id this view includes; -1 until the first page
    qint64 m_countBaseId = -1;                 // the head the first page pinned: what the count must describe
    std::optional<CountResult> m_pendingCount; // a count that beat the first page
    int m_rows = 0;
    bool m_countKnown = false;
    bool m_endReached = false; // while counting: the last page came back short
    int m_liveSinceCount = 0;  // entries inserted live after the count's snapshot
    int m_shift = 0;           // rows inserted at the top since reload, to place late pages
    int m_cacheLimit = 8192;
    bool m_pollInFlight = false;
    AuditRowCache m_cache;
    QTimer m_poll;

    // Asked for by const data(): loading is scheduled, never done inline.
    mutable int m_wantFirst = -1;
    mutable int m_wantLast = -1;
    mutable int m_wantRecent = 0;
    mutable bool m_dispatchQueued = false;
    mutable int m_focus = 0;
    struct Flight
    {
        int first;
        int last;
        int shiftAt;
        bool far;
    };
    // Where the view looked last; refilled as pages arrive until every row there is loaded.
    int m_targetFirst = -1;
    int m_targetLast = -1;
    // The generation jobs compare against before running: stale queued pages are skipped.
    std::shared_ptr<std::atomic<quint64>> m_liveGeneration = std::make_shared<std::atomic<quint64>>(0);
    QVector<Flight> m_flights;
};

} // namespace rbac
