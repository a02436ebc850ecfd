#include "keychain/QtKeychainStore.h"

#include "keychain/SecretBytes.h"

#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace rbac {

namespace {

// QtKeychain 0.13.2 on libsecret: NO_SUCH_OBJECT → EntryNotFound, IS_LOCKED → AccessDenied, and
// everything else, including "no D-Bus" and "no unlocked collection", → OtherError (docs/qt-notes.md §4).
SecretResult::Code codeFor(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return SecretResult::Ok;
    case QKeychain::EntryNotFound:
        return SecretResult::NotFound;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return SecretResult::Unavailable;
    case QKeychain::CouldNotDeleteEntry:
        return SecretResult::Failed;
    }
    return SecretResult::Failed;
}

QString describe(QKeychain::Error error, const QString& detail)
{
    switch (error) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        return QStringLiteral("the keychain has no such entry, or it is locked");
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("the keychain is locked or refused access (%1)").arg(detail);
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return QStringLiteral("no keychain service is available (%1)").arg(detail);
    case QKeychain::OtherError:
        return QStringLiteral("the keychain is locked or unavailable (%1)").arg(detail);
    case QKeychain::CouldNotDeleteEntry:
        return QStringLiteral("the keychain could not delete the entry (%1)").arg(detail);
    }
    return detail;
}

// Runs one job, delivers exactly one result (or none once `context` is gone), and gives up after
// the timeout. A job that answers after the timeout is ignored; it still deletes itself.
void runJob(QKeychain::Job* job,
    QObject* context,
    int timeoutMs,
    SecretStore::Callback done,
    std::function<void(QKeychain::Job*, SecretResult&)> onSuccess = {})
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    auto delivered = std::make_shared<bool>(false);
    auto callback = std::make_shared<SecretStore::Callback>(std::move(done));
    QPointer<QObject> guard(context);
    // The timeout belongs to `context`, not to the job, so it still fires when the job hangs.
    QTimer::singleShot(timeoutMs, context, [delivered, callback, timeoutMs] {
        if (*delivered)
            return;
        *delivered = true;
        SecretResult r;
        r.code = SecretResult::Unavailable;
        r.message = QStringLiteral("the keychain did not answer within %1 s (is it waiting for an unlock "
                                   "prompt?)")
                        .arg(timeoutMs / 1000.0);
        (*callback)(std::move(r));
    });
    // QtKeychain 0.13.2 may emit finished twice on one path: `delivered` makes the slot idempotent.
    QObject::connect(job, &QKeychain::Job::finished, context,
        [delivered, callback, guard, onSuccess](QKeychain::Job* finished) {
            if (*delivered || !guard)
                return;
            *delivered = true;
            SecretResult r;
            r.code = codeFor(finished->error());
            r.message = describe(finished->error(), finished->errorString());
            if (r.code == SecretResult::Ok && onSuccess)
                onSuccess(finished, r);
            (*callback)(std::move(r));
        });
    job->start();
}

} // namespace

QtKeychainStore::QtKeychainStore(int timeoutMs)
    : m_timeoutMs(timeoutMs)
{
}

void QtKeychainStore::read(const QString& entry, QObject* context, Callback done)
{
    auto* job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(entry);
    runJob(job, context, m_timeoutMs, std::move(done), [](QKeychain::Job* finished, SecretResult& r) {
        r.data = static_cast<QKeychain::ReadPasswordJob*>(finished)->binaryData();
    });
}

void QtKeychainStore::write(const QString& entry, const QByteArray& secret, QObject* context, Callback done)
{
    auto* job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(entry);
    job->setBinaryData(secret);
    runJob(job, context, m_timeoutMs, std::move(done));
}

void QtKeychainStore::remove(const QString& entry, QObject* context, Callback done)
{
    auto* job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(entry);
    runJob(job, context, m_timeoutMs, std::move(done));
}

QString QtKeychainStore::name() const
{
    return QStringLiteral("the OS keychain (Secret Service)");
}

} // namespace rbac
