#pragma once

#include "audit/AuditEntry.h"
#include "base/Status.h"

#include <QByteArray>
#include <QDateTime>
#include <QVector>

#include <functional>

namespace rbac {

class Workspace;

// Audit entries written by the services that enforce the policy, as JSON Lines: one object per
// line with "timestamp" (ISO 8601 with a zone), "userId", "role", "action", "resource", "success"
// (true/false) and optionally "details" (an object). Everything is validated before anything is
// written; then all entries are appended in one transaction, chained like every other entry, each
// recording where it came from, followed by one "audit.import" entry naming the file and its
// SHA-256. Nothing partial: a single bad line and nothing is written.
namespace AuditImport {

struct Problem
{
    int line = 0; // 1-based; 0 for the file as a whole
    QString message;
};

struct Batch
{
    QString source;              // the file's name, recorded in each entry
    QString sha256;              // hex digest of the file's bytes
    QVector<AuditEntry> entries; // validated: actor = userId, ts normalised to the log's UTC form
    QVector<Problem> problems;   // empty when every line is valid
};

struct Result
{
    qint64 entries = 0;
    qint64 firstId = 0;
    qint64 lastId = 0;
    qint64 summaryId = 0; // the audit.import entry
};

// The three phases of an import, each reported with (done, total) and each cancellable: the
// callback returns false to stop, and a stopped import has written nothing.
enum class Phase
{
    Reading,  // bytes of the file
    Checking, // bytes of the file validated
    Writing,  // entries appended
};
using Progress = std::function<bool(Phase phase, qint64 done, qint64 total)>;

// Validates every line; `now` bounds timestamps (more than a day ahead is refused). A stopped
// parse returns a batch with the problem "cancelled" and no entries.
Batch parse(const QByteArray& bytes, const QString& sourceName, const QDateTime& now, const Progress& progress = {});
// Reads and parses a file; an unreadable file is an InvalidInput error.
Expected<Batch> readFile(const QString& path, const QDateTime& now, const Progress& progress = {});
// Appends a valid batch in one transaction. Refuses (Conflict) a file whose SHA-256 an earlier
// audit.import recorded, so an import run twice does not duplicate the trail.
Expected<Result> apply(Workspace& workspace, const Batch& batch, const Progress& progress = {});
// "line 7: not valid JSON (…)" lines, at most `max` of them, then "… and N more".
QStringList describe(const QVector<Problem>& problems, int max = 20);

} // namespace AuditImport
} // namespace rbac
