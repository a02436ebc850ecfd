#pragma once

#include <QString>
#include <QUrl>

namespace rbac::SystemBrowser {

// Opens `url` in the user's browser without Qt GUI (the CLI runs on QCoreApplication):
// $BROWSER when set (the first command of a ':'-separated list; "%s" is replaced by the URL,
// otherwise the URL is appended), else xdg-open. Returns false, with the reason in `error`, when
// no program could be started. Like QDesktopServices, the URL (with state and code_challenge,
// never the verifier) reaches the browser on its command line.
bool open(const QUrl& url, QString* error);

} // namespace rbac::SystemBrowser
