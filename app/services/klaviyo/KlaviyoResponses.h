#pragma once

#include "credentials/KeyVerification.h"
#include "base/Status.h"

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace rbac::KlaviyoResponses {

// Everything Klaviyo sends back is untrusted input: these read it without assuming its shape and
// explain what was wrong instead of crashing.

// GET /api/accounts: exactly the key's own account in data[0] (docs/klaviyo.md §8).
Expected<KlaviyoAccount> parseAccounts(const QByteArray& body);

// errors[0] of a JSON:API error body as "title: detail", cleaned for display; empty if none.
QString errorSummary(const QByteArray& body);

// The N of "… Expected available in N second(s)." in a 429 body.
std::optional<qint64> secondsFromThrottleDetail(const QByteArray& body);

// A Retry-After header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3), as seconds from `now`.
std::optional<qint64> retryAfterSeconds(const QByteArray& header, const QDateTime& now);

// Untrusted text made safe to show and store: control characters removed, anything shaped like a
// private key masked, length capped.
QString sanitize(const QString& text, int maxLength = 300);

} // namespace rbac::KlaviyoResponses
