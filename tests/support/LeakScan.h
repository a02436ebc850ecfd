#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QVector>

namespace rbac::test {

// The forms a secret could take on disk: as is, without a "pk_"-like prefix, base64 (QtKeychain's
// binary encoding), hex and UTF-16 (QString dumps). Leak scans look for every one of them.
QVector<QByteArray> leakForms(const QByteArray& secret);

struct LeakScan
{
    QStringList leaks; // one "path: prefix…" per file and secret found in it
    QStringList files; // the files holding any secret, each once
    int scanned = 0;   // files read
};

// Reads every file under `roots` (recursively, hidden ones too) and looks for each of `secrets`
// in all its leakForms(). Secrets shorter than 8 bytes are skipped: too short to tell from chance.
LeakScan scanForLeaks(const QStringList& roots, const QList<QByteArray>& secrets);

} // namespace rbac::test
