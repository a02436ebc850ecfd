#pragma once

#include "base/Status.h"

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace rbac {

// What the workspace knows about the Klaviyo OAuth connection: only non-secret facts. The tokens
// themselves live in the keychain; this row says whether there should be some.
struct OAuthConnection
{
    enum class State
    {
        Connected,
        ReconnectRequired, // the refresh token was refused (invalid_grant): sign in again
    };
    State state = State::Connected;
    QString clientId;
    QString accountId;
    QString organizationName;
    QStringList requestedScopes;
    QStringList grantedScopes;
    QDateTime expiresAt; // of the access token; invalid when the server gave no lifetime
    QDateTime connectedAt;
    QString connectedBy;
    QDateTime refreshedAt; // last successful refresh, invalid before the first
    QString problem;       // why a reconnect is needed; never holds a secret

    // Requested but not granted: the connection works with less than asked for.
    QStringList missingScopes() const;
    QJsonObject toJson() const; // for audit details and `oauth status --format json`
};

// The SQL behind oauth_connection (one row at most). Writers run inside Workspace::writeRecords,
// so each change commits together with its audit entry.
namespace OAuthRecord {

Expected<std::optional<OAuthConnection>> load(const QSqlDatabase& db);
Status save(QSqlDatabase& db, const OAuthConnection& connection);
Status remove(QSqlDatabase& db);

// "connected", "reconnect required".
QString stateName(OAuthConnection::State state);

} // namespace OAuthRecord
} // namespace rbac
