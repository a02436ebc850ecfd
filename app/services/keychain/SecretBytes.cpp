#include "keychain/SecretBytes.h"

#include <cstring>

namespace rbac {

void zeroInPlace(QByteArray& secret)
{
    if (!secret.isEmpty() && secret.isDetached()) {
        // explicit_bzero: the compiler may not drop it as a dead store before the free.
        explicit_bzero(secret.data(), size_t(secret.size()));
    }
}

void wipe(QByteArray& secret)
{
    zeroInPlace(secret);
    secret.clear();
}

} // namespace rbac
