#!/bin/bash
# Accessibility test: the real console under Xvfb, driven through the AT-SPI tree.
#
#   run-a11y-test.sh CONSOLE CLI SCREENSHOT_DIR
#
# Starts Xvfb (xvfb-run), a private D-Bus session (dbus-run-session; the AT-SPI bus comes up by D-Bus
# activation) and the console with Qt's AT-SPI bridge forced on, then runs drive_console.py, which
# toggles a permission through the accessibility tree, checks the workspace file and the audit log
# with the CLI, and saves a PNG of each page into SCREENSHOT_DIR.
# HOME, the XDG folders and the workspace are fresh temporary ones, removed at the end. Where this
# machine allows a network namespace (unshare -n), the whole run is in one without any network.
#
# Exit: 0 passed; 1 failed (the reason is printed); 2 wrong arguments; 77 a needed tool is missing.
# Debian packages: xvfb xauth dbus at-spi2-core python3-pyatspi (and the console's own runtime).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ACTOR=a11y-test

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

if [ "${1:-}" != "--inside" ]; then
    # ---- outside: check the tools, make the temporary home, start Xvfb and D-Bus ----------------------
    [ $# -eq 3 ] || { echo "usage: $0 CONSOLE CLI SCREENSHOT_DIR" >&2; exit 2; }
    console=$(realpath -e "$1" 2>/dev/null) && [ -x "$console" ] || fail "console binary '$1' is missing or not executable"
    cli=$(realpath -e "$2" 2>/dev/null) && [ -x "$cli" ] || fail "CLI binary '$2' is missing or not executable"
    mkdir -p "$3" || fail "cannot create the screenshot folder '$3'"
    shots=$(realpath -e "$3")

    [ -x /usr/bin/python3 ] || skip "/usr/bin/python3 is not installed (Debian package python3)"
    /usr/bin/python3 -c 'import pyatspi' 2>/dev/null \
        || skip "the Python module pyatspi is missing for /usr/bin/python3 (Debian package python3-pyatspi)"
    for tool in xvfb-run:xvfb Xvfb:xvfb xauth:xauth dbus-run-session:dbus dbus-daemon:dbus; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || skip "${tool%%:*} is not installed (Debian package ${tool#*:})"
    done
    [ -x /usr/libexec/at-spi-bus-launcher ] && [ -x /usr/libexec/at-spi2-registryd ] \
        || skip "the AT-SPI bus is not installed (Debian package at-spi2-core)"
    [ -f /usr/share/dbus-1/services/org.a11y.Bus.service ] \
        || skip "org.a11y.Bus is not D-Bus activatable (Debian package at-spi2-core)"

    tmp=$(mktemp -d "${TMPDIR:-/tmp}/a11y-test.XXXXXX") || fail "mktemp failed"
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 1' INT TERM HUP
    mkdir -m 700 "$tmp/home" "$tmp/runtime" || fail "cannot create folders in $tmp"
    mkdir -p "$tmp/home/.config" "$tmp/home/.local/share" "$tmp/home/.local/state" "$tmp/home/.cache"

    # Nothing from the caller's session: not its home, display, buses, workspace or keychain.
    unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS XAUTHORITY SESSION_MANAGER \
        KLAVIYO_RBAC_WORKSPACE QT_QPA_PLATFORM QT_ACCESSIBILITY QT_SCALE_FACTOR QT_SCREEN_SCALE_FACTORS \
        XDG_CONFIG_DIRS XDG_DATA_DIRS XDG_SESSION_TYPE XDG_CURRENT_DESKTOP GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
    export HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/runtime" XDG_CONFIG_HOME="$tmp/home/.config" \
        XDG_DATA_HOME="$tmp/home/.local/share" XDG_STATE_HOME="$tmp/home/.local/state" \
        XDG_CACHE_HOME="$tmp/home/.cache" TMPDIR="$tmp" LANG=C.UTF-8 LC_ALL=C.UTF-8 BROWSER=/bin/false

    netns=()
    if unshare -n true 2>/dev/null; then
        netns=(unshare -n)
    else
        echo "note: no network namespace here (unshare -n refused); the console only talks over local sockets" >&2
    fi
    start=$(date +%s%N)
    # -nolisten tcp is xvfb-run's default; depth 24 for true-colour screenshots.
    "${netns[@]}" xvfb-run -a -e "$tmp/xvfb.log" -s "-screen 0 1440x900x24 -nolisten tcp" \
        dbus-run-session -- "$here/run-a11y-test.sh" --inside "$console" "$cli" "$shots" "$tmp" \
        2> >(grep -v -e 'dbus-daemon\[' -e 'Failed to set fd limit' >&2)
    rc=$?
    end=$(date +%s%N)
    if [ $rc -ne 0 ] && [ -s "$tmp/xvfb.log" ]; then
        echo "--- Xvfb log ---" >&2; tail -n 20 "$tmp/xvfb.log" >&2
    fi
    ms=$(((end - start) / 1000000))
    printf 'a11y test: exit %d after %d.%d s\n' "$rc" $((ms / 1000)) $((ms % 1000 / 100))
    exit $rc
fi

# ---- inside Xvfb and the private D-Bus session -----------------------------------------------------------
console=$2 cli=$3 shots=$4 tmp=$5
workspace="$tmp/workspace.sqlite"
pid=
stop_console() {
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    pid=
}
trap stop_console EXIT
trap 'exit 1' INT TERM HUP

# Qt's AT-SPI bridge stays off unless an AT asks; this turns it on (QT_ACCESSIBILITY=1 alone does not).
QT_QPA_PLATFORM=xcb QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 \
    "$console" --workspace "$workspace" --actor "$ACTOR" >"$tmp/console.log" 2>&1 &
pid=$!

timeout 120 /usr/bin/python3 "$here/drive_console.py" --pid "$pid" --cli "$cli" --workspace "$workspace" \
    --actor "$ACTOR" --screenshots "$shots"
rc=$?
[ $rc -eq 124 ] && echo "FAIL: drive_console.py did not finish within 120 s" >&2
if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; crc=$?
    echo "FAIL: the console exited early (status $crc)" >&2
    rc=1
fi
if [ $rc -ne 0 ]; then
    [ $rc -eq 77 ] || rc=1
    if [ -s "$tmp/console.log" ]; then
        echo "--- console output (last 30 lines) ---" >&2
        tail -n 30 "$tmp/console.log" >&2
    fi
fi
stop_console
exit $rc
