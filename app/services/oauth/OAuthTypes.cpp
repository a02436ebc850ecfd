#include "oauth/OAuthTypes.h"

#include "keychain/SecretBytes.h"

namespace rbac {

void TokenSet::wipe()
{
    rbac::wipe(accessToken);
    rbac::wipe(refreshToken);
}

namespace OAuthKeychain {

QString clientSecret(const QString& workspaceId)
{
    return QStringLiteral("workspace/%1/oauth/klaviyo/clientSecret").arg(workspaceId);
}

QString accessToken(const QString& workspaceId)
{
    return QStringLiteral("workspace/%1/oauth/klaviyo/accessToken").arg(workspaceId);
}

QString refreshToken(const QString& workspaceId)
{
    return QStringLiteral("workspace/%1/oauth/klaviyo/refreshToken").arg(workspaceId);
}

} // namespace OAuthKeychain

QString redacted(QString text, const QList<QByteArray>& secrets)
{
    for (const QByteArray& secret : secrets) {
        // Short values would blank out ordinary words; none of ours is shorter than 8.
        if (secret.size() >= 8)
            text.replace(QString::fromUtf8(secret), QStringLiteral("[redacted]"));
    }
    // A server's text can be anything: keep it to one readable line of bounded length.
    text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("…");
    return text;
}

QString withAuditNote(const QString& message, const Status& recorded)
{
    return recorded ? message
                    : QStringLiteral("%1 (and its audit entry could not be written: %2)")
                          .arg(message, recorded.message());
}

} // namespace rbac
