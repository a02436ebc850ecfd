#pragma once

#include "base/Status.h"

#include <QString>
#include <QUrl>

namespace rbac {

class Workspace;

// Where and how the console talks to Klaviyo.
struct KlaviyoConfig
{
    static QString defaultBaseUrl() { return QStringLiteral("https://a.klaviyo.com"); }
    static QString baseUrlSettingKey() { return QStringLiteral("klaviyo.baseUrl"); }
    static QString revisionSettingKey() { return QStringLiteral("klaviyo.revision"); }
    static QString baseUrlEnvironmentVariable() { return QStringLiteral("KLAVIYO_API_BASE_URL"); }

    QUrl baseUrl;
    QString revision;           // stable revision header, e.g. 2026-07-15
    int timeoutMs = 30000;      // per request attempt
    int maxServerRetries = 3;   // 5xx and timeouts
    int maxThrottleRetries = 5; // 429
    qint64 maxWaitMs = 120000;  // a 429 asking for longer is reported, not waited out
    qint64 backoffBaseMs = 1000;

    // The beta revision for beta-only probes: the stable one plus ".pre" (docs/klaviyo.md §7).
    QString betaRevision() const;

    // $KLAVIYO_API_BASE_URL, else the workspace setting, else https://a.klaviyo.com; the revision
    // from the workspace setting, else the scope catalog's stable revision.
    static Expected<KlaviyoConfig> fromWorkspace(const Workspace& workspace);
    // Keys travel in a header: only https, except plain http to this machine (tests, proxies).
    static Expected<QUrl> checkBaseUrl(const QString& text, const QString& origin);
};

} // namespace rbac
