#pragma once

#include "base/Status.h"
#include "credentials/KeyVerification.h"
#include "policy/ScopeCatalog.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <memory>

namespace rbac {

class KlaviyoCall;
class KlaviyoClient;
class Workspace;

// Checks one key against Klaviyo: GET /api/accounts (whose account, is the key accepted), then
// one cheap read per read scope from the catalog's probe list (200 has it, 403 lacks it, 401 bad
// key), one request at a time, each paced by the client to its endpoint's rate limit.
// Write scopes have no safe probe and are reported as such, never guessed.
class KeyVerifier : public QObject
{
    Q_OBJECT

public:
    KeyVerifier(KlaviyoClient* client, const ScopeCatalog& catalog, QObject* parent = nullptr);
    ~KeyVerifier() override;

    // The verification chain, assembled in this one place: the workspace's Klaviyo endpoints and
    // revision, a client of the verifier's own, and the built-in scope catalog.
    [[nodiscard]] static Expected<std::unique_ptr<KeyVerifier>> forWorkspace(
        const Workspace& workspace, QObject* parent = nullptr);

    // `requiredScopes` decide the verdict (missing / excess); the checks do not depend on them.
    void start(const QByteArray& key, const QStringList& requiredScopes);
    // Also before start() (the key may still be on its way from the keychain): start() then ends
    // at once as cancelled, without a request.
    void cancel();
    bool isRunning() const { return m_running; }

    const KeyVerification& result() const { return m_result; }
    int requestsSent() const { return m_requests; }
    qint64 elapsedMs() const { return m_elapsedMs; }
    qint64 waitedMs() const { return m_waitedMs; }

signals:
    void progress(int done, int total, const QString& step);
    void finished();

private:
    void checkAccount();
    void onAccount();
    void nextProbe();
    void onProbe();
    void finish(KeyVerification::Verdict verdict, const QString& message = {});
    ScopeFinding findingOf(const QString& scope) const;
    KlaviyoCall* get(const QString& path, const QString& query, bool beta, const RateLimit& limit);

    std::unique_ptr<KlaviyoClient> m_ownedClient; // set by forWorkspace()
    KlaviyoClient* m_client;
    const ScopeCatalog& m_catalog;
    QByteArray m_key;
    QStringList m_required;
    QVector<ScopeProbe> m_queue; // probes still to send
    ScopeProbe m_current;
    QPointer<KlaviyoCall> m_call;
    KeyVerification m_result;
    bool m_running = false;
    bool m_cancelPending = false;
    int m_total = 0;
    int m_done = 0;
    int m_requests = 0;
    qint64 m_startedMs = 0;
    qint64 m_elapsedMs = 0;
    qint64 m_waitedMs = 0;
};

} // namespace rbac
