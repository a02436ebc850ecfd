#pragma once

#include "audit/AuditEntry.h"
#include "audit/AuditFilter.h"
#include "base/Status.h"

#include <QDateTime>
#include <QStringList>
#include <QVector>

namespace rbac::test {

// Builds workspaces with many audit entries fast: a real workspace (schema, migrations, its
// workspace.create entry) followed by generated entries written in one transaction with a valid
// hash chain — about a million a minute — for the audit tests and the benchmark.
struct AuditFixtureOptions
{
    qint64 entries = 10000;
    QDateTime start = QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
    QDateTime end = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    quint64 seed = 42;
};

// The values the generator draws from, so tests can pick filters that match something.
QStringList fixtureActors();  // "alice" … plus "svc-*" services
QStringList fixtureRoles();   // includes "" (entries about no role)
QStringList fixtureActions(); // "api.request", "grant", …

// Creates (or extends) the workspace at `path`; returns the number of entries added.
Expected<qint64> generateAuditLog(const QString& path, const AuditFixtureOptions& options);

// Every entry of the workspace's log, read with a plain query, in id order: the tests' oracle.
QVector<AuditEntry> readAllEntries(const QString& path);

// An independent reading of the filter rules (not SQL), to check what the queries return.
bool matches(const AuditFilter& filter, const AuditEntry& entry);
// `entries` filtered and sorted the way the browser shows them.
QVector<AuditEntry> expected(const QVector<AuditEntry>& entries, const AuditFilter& filter, AuditOrder order);

} // namespace rbac::test
