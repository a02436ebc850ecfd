#pragma once

#include <QByteArray>

namespace rbac::Pkce {

// The one-time values of an authorization attempt (RFC 7636, docs/klaviyo.md §2). All come from the OS
// CSPRNG (QRandomGenerator::system()): Qt's global() is only securely seeded, and NetworkAuth 6.4
// used a time-seeded mt19937 for its state (docs/qt-notes.md §1).

inline constexpr int stateBytes = 32;    // 43 base64url characters
inline constexpr int verifierBytes = 64; // 86 base64url characters, inside RFC 7636's 43-128

// `bytes` random bytes, base64url without padding.
QByteArray randomToken(int bytes);

QByteArray makeState();
QByteArray makeVerifier();

// BASE64URL(SHA-256(verifier)) without padding: the S256 code_challenge.
QByteArray challengeS256(const QByteArray& verifier);

// 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1).
bool isValidVerifier(const QByteArray& verifier);

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool constantTimeEquals(const QByteArray& a, const QByteArray& b);

} // namespace rbac::Pkce
