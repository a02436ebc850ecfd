#pragma once

#include "base/Status.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace rbac {

// What the token endpoint handed over. Secrets: the holder wipes them (wipe()) when done.
struct TokenSet
{
    QByteArray accessToken;
    QByteArray refreshToken; // empty when a refresh response did not rotate it
    QString tokenType;
    qint64 expiresIn = 0; // seconds; 0 when the server did not say
    QStringList scopes;   // granted, as the server reported them
    bool scopeReported = false;

    void wipe();
};

// How an OAuth operation ended. The CLI maps `code` to its exit codes (0, 1, 2, 3).
struct OAuthResult
{
    enum Code
    {
        Ok,
        Failed,       // denied, token-endpoint error, timed out, cancelled, reconnect needed: exit 1
        InvalidInput, // missing or bad settings: exit 2
        Environment,  // keychain, network, port taken: exit 3
    };
    Code code = Ok;
    QString message; // for people; never holds a token, secret, code, verifier or state
    QString error;   // the OAuth error code when there was one (access_denied, invalid_grant …)
    QString warning; // success with a caveat (fewer scopes granted than requested …)

    bool ok() const { return code == Ok; }
    static OAuthResult success(QString warning = {})
    {
        OAuthResult r;
        r.warning = std::move(warning);
        return r;
    }
    static OAuthResult failure(Code code, QString message, QString error = {})
    {
        OAuthResult r;
        r.code = code;
        r.message = std::move(message);
        r.error = std::move(error);
        return r;
    }
};

// Names of the keychain entries. The workspace id keeps two workspaces on one machine (and test
// workspaces) from sharing tokens.
namespace OAuthKeychain {
QString clientSecret(const QString& workspaceId);
QString accessToken(const QString& workspaceId);
QString refreshToken(const QString& workspaceId);
} // namespace OAuthKeychain

// Takes every given secret out of `text`, for messages built from what a server said.
QString redacted(QString text, const QList<QByteArray>& secrets);

// A failure whose audit entry could not be written says so in its message: never dropped.
QString withAuditNote(const QString& message, const Status& recorded);

} // namespace rbac
