#include "oauth/KeychainSteps.h"

#include "keychain/SecretBytes.h"

#include <memory>

namespace rbac::KeychainSteps {

void readAll(SecretStore* store,
    const QStringList& entries,
    const QStringList& optional,
    QObject* context,
    ReadDone done)
{
    struct State
    {
        QStringList entries;
        QStringList optional;
        QList<QByteArray> secrets;
        ReadDone done;
    };
    auto state = std::make_shared<State>(State {entries, optional, {}, std::move(done)});
    auto step = std::make_shared<std::function<void()>>();
    *step = [store, context, state, weak = std::weak_ptr<std::function<void()>>(step)] {
        if (state->secrets.size() == state->entries.size()) {
            state->done(SecretResult {}, std::move(state->secrets));
            return;
        }
        const QString entry = state->entries.at(state->secrets.size());
        store->read(entry, context, [state, entry, next = weak.lock()](SecretResult r) {
            if (!r.ok() && !(r.code == SecretResult::NotFound && state->optional.contains(entry))) {
                for (QByteArray& s : state->secrets)
                    wipe(s);
                wipe(r.data);
                state->done(std::move(r), {});
                return;
            }
            state->secrets.append(std::move(r.data));
            (*next)();
        });
    };
    (*step)();
}

void writeAll(SecretStore* store, QList<QPair<QString, QByteArray>> items, QObject* context, Done done)
{
    if (items.isEmpty()) {
        done(SecretResult {});
        return;
    }
    auto rest = std::make_shared<QList<QPair<QString, QByteArray>>>(std::move(items));
    QPair<QString, QByteArray> first = rest->takeFirst();
    store->write(first.first, first.second, context,
        [store, context, rest, done = std::move(done)](SecretResult r) mutable {
            if (!r.ok()) {
                for (auto& item : *rest)
                    wipe(item.second);
                done(std::move(r));
                return;
            }
            writeAll(store, std::move(*rest), context, std::move(done));
        });
    wipe(first.second);
}

void removeAll(SecretStore* store, const QStringList& entries, QObject* context, Done done)
{
    if (entries.isEmpty()) {
        done(SecretResult {});
        return;
    }
    const QStringList rest = entries.mid(1);
    store->remove(
        entries.constFirst(), context, [store, context, rest, done = std::move(done)](SecretResult r) {
            if (!r.ok() && r.code != SecretResult::NotFound) {
                done(std::move(r));
                return;
            }
            removeAll(store, rest, context, done);
        });
}

} // namespace rbac::KeychainSteps
