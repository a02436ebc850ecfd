#!/bin/sh
# headless-browser.sh URL
# The "system browser" of the OAuth end-to-end tests: headless Chromium opens URL, follows every
# redirect (the fake authorization server sends it on to the console's loopback listener) and
# exits by itself once the final page has loaded (--dump-dom), printing that page's DOM.
#
# How the tests use it (see docs/testing.md §2):
#  - GUI: QDesktopServices::setUrlHandler("http", …) whose slot runs this script;
#  - CLI: a directory with this script named `xdg-open` first on PATH (klaviyo-rbac uses $BROWSER
#    when set, else xdg-open), with $RBAC_BROWSER_OUT naming a file for the DOM, since the CLI
#    sends the browser's own output to /dev/null.
# Needs the Debian package `chromium` (apt-get install -y --no-install-recommends chromium).
set -eu
url=${1:?usage: headless-browser.sh URL}
chromium=${RBAC_TEST_CHROMIUM:-/usr/lib/chromium/chromium}
if [ ! -x "$chromium" ]; then
    echo "headless-browser.sh: $chromium not found; install it: apt-get install -y --no-install-recommends chromium" >&2
    exit 127
fi
profile=$(mktemp -d "${TMPDIR:-/tmp}/rbac-chromium.XXXXXX")
# Not exec: the profile (history with the callback URL in it) must be removed afterwards.
trap 'rm -rf "$profile"' EXIT INT TERM
out=${RBAC_BROWSER_OUT:-/dev/stdout}
# Chromium's own files (profile, caches, NSS db) stay in the throw-away directory, never in the
# test's HOME, which the leak test searches for what the console wrote.
HOME=$profile XDG_CONFIG_HOME=$profile/config XDG_CACHE_HOME=$profile/cache XDG_DATA_HOME=$profile/data
export HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_DATA_HOME
status=0
timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --user-data-dir="$profile" --dump-dom "$url" >"$out" 2>"${RBAC_BROWSER_LOG:-/dev/null}" || status=$?
exit "$status"
