#pragma once

#include <QByteArray>
#include <QString>

namespace rbac::cli {

class CliContext;

// Reads a secret (an API key, a client secret) from stdin, never from argv, which every user
// can read through /proc. On a terminal it prompts on stderr and turns echo off while the user
// pastes; from a pipe it reads at most 4 KiB. The caller wipes what it gets.
QByteArray readSecretFromStdin(CliContext& ctx, const QString& prompt);

} // namespace rbac::cli
