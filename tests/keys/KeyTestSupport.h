#pragma once

#include "keychain/KeyService.h"
#include "base/Status.h"
#include "workspace/Workspace.h"

#include <QByteArray>
#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <optional>

namespace rbac::test {

// Runs an asynchronous KeyService call to completion (the event loop keeps turning meanwhile,
// so an in-process fake server can answer).
inline Status await(const std::function<void(KeyService::Done)>& start, int timeoutMs = 30000)
{
    std::optional<Status> result;
    start([&result](const Status& s) { result = s; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, timeoutMs))
        return Status::error(ErrorKind::Environment, QStringLiteral("test: no answer in time"));
    return *result;
}

inline QByteArray awaitKey(KeyService& service, const QString& role, Status* status = nullptr)
{
    std::optional<Status> result;
    QByteArray key;
    service.readKey(role, [&](const Status& s, QByteArray k) {
        result = s;
        key = k;
    });
    (void)QTest::qWaitFor([&result] { return result.has_value(); }, 30000);
    if (status)
        *status = result.value_or(Status::error(ErrorKind::Environment, QStringLiteral("test: no answer")));
    return key;
}

// The dialog now on screen: a closed one may linger until its deferred deletion.
template<typename Dialog> Dialog* visibleChild(QObject* parent)
{
    const QList<Dialog*> all = parent->findChildren<Dialog*>();
    for (Dialog* d : all) {
        if (d->isVisible())
            return d;
    }
    return nullptr;
}

// The spy's first signal, whether it came during the action or has yet to come.
inline bool firstSignal(QSignalSpy& spy, int timeoutMs = 30000)
{
    return !spy.isEmpty() || spy.wait(timeoutMs);
}

} // namespace rbac::test
