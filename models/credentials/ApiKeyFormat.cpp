#include "credentials/ApiKeyFormat.h"

namespace rbac::ApiKeyFormat {

namespace {

// Real keys are about 40 characters (docs/klaviyo.md §6); the bounds only catch pastes of something else.
constexpr int minBodyLength = 16;
constexpr int maxBodyLength = 128;

bool isKeyCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

} // namespace

QByteArray trimmed(const QByteArray& pasted)
{
    return pasted.trimmed();
}

QString problem(const QByteArray& key)
{
    if (key.isEmpty())
        return QStringLiteral("no key was given");
    if (!key.startsWith("pk_")) {
        if (key.size() == 6)
            return QStringLiteral("this looks like a public key (site id); paste the private key, which "
                                  "starts with pk_");
        return QStringLiteral("a Klaviyo private key starts with pk_");
    }
    const QByteArray body = key.mid(3);
    if (body.size() < minBodyLength)
        return QStringLiteral("the key is too short for a Klaviyo private key");
    if (body.size() > maxBodyLength)
        return QStringLiteral("the key is too long for a Klaviyo private key");
    for (const char c : body) {
        if (!isKeyCharacter(c))
            return QStringLiteral("a Klaviyo private key has only letters and digits after pk_ (is there a "
                                  "space or a line break inside it?)");
    }
    return {};
}

bool isPrivateKey(const QByteArray& key)
{
    return problem(key).isEmpty();
}

QString last4(const QByteArray& key)
{
    return key.size() < 8 ? QString() : QString::fromLatin1(key.right(4));
}

QString masked(const QString& last4)
{
    return QStringLiteral("pk_\u2026") + last4;
}

} // namespace rbac::ApiKeyFormat
