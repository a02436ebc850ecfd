#include "oauth/Pkce.h"

#include "keychain/SecretBytes.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <cstring>
#include <vector>

namespace rbac::Pkce {

namespace {

constexpr auto base64url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

} // namespace

QByteArray randomToken(int bytes)
{
    Q_ASSERT(bytes > 0);
    std::vector<quint32> words(size_t((bytes + 3) / 4));
    QRandomGenerator::system()->generate(words.begin(), words.end());
    QByteArray raw(bytes, Qt::Uninitialized);
    std::memcpy(raw.data(), words.data(), size_t(bytes));
    explicit_bzero(words.data(), words.size() * sizeof(quint32));
    QByteArray token = raw.toBase64(base64url);
    wipe(raw);
    return token;
}

QByteArray makeState()
{
    return randomToken(stateBytes);
}

QByteArray makeVerifier()
{
    return randomToken(verifierBytes);
}

QByteArray challengeS256(const QByteArray& verifier)
{
    QByteArray digest = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256);
    QByteArray challenge = digest.toBase64(base64url);
    wipe(digest);
    return challenge;
}

bool isValidVerifier(const QByteArray& verifier)
{
    if (verifier.size() < 43 || verifier.size() > 128)
        return false;
    for (const char c : verifier) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~';
        if (!unreserved)
            return false;
    }
    return true;
}

bool constantTimeEquals(const QByteArray& a, const QByteArray& b)
{
    // The length is not secret (every state we issue has the same length); the content is.
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

} // namespace rbac::Pkce
