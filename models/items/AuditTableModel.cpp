#include "items/AuditTableModel.h"

#include "audit/AuditWorker.h"

#include <QDateTime>
#include <QPointer>
#include <QSqlQuery>

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
