#!/bin/sh
# with-test-keyring.sh CMD [ARGS...]
# Runs CMD inside a private D-Bus session with a throw-away, unlocked gnome-keyring (the real
# Secret Service, as on a desktop), in a temporary HOME that is removed afterwards.
# See docs/testing.md §1. Needs: dbus (dbus-run-session),
# gnome-keyring, libsecret-1-0; libsecret-tools for tests that look with secret-tool.
set -eu
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-test-keyring.sh: $tool is missing (install dbus and gnome-keyring)" >&2
        exit 1
    fi
done
scratch=$(mktemp -d "${TMPDIR:-/tmp}/rbac-keyring.XXXXXX")
# gnome-keyring-daemon 42 outlives its D-Bus session (measured): end the daemons this run started,
# found by their HOME (this run's unique scratch directory), by process id.
cleanup() {
    for proc in /proc/[0-9]*; do
        case "$(cat "$proc/comm" 2>/dev/null)" in
        gnome-keyring-d*)
            if { tr '\0' '\n' <"$proc/environ"; } 2>/dev/null | grep -qxF "HOME=$scratch"; then
                kill "${proc#/proc/}" 2>/dev/null || true
            fi
            ;;
        esac
    done
    rm -rf "$scratch"
}
# Not `exec dbus-run-session`: the trap must run to remove the keyring and HOME.
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -m 0700 "$scratch/run"
# D-Bus-activated services inherit the bus daemon's environment: export before the bus starts.
HOME=$scratch
XDG_DATA_HOME=$scratch/.local/share
XDG_CONFIG_HOME=$scratch/.config
XDG_CACHE_HOME=$scratch/.cache
XDG_RUNTIME_DIR=$scratch/run
export HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR
# No display: a locked keyring must fail fast instead of waiting for a prompt nobody sees.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
status=0
dbus-run-session -- sh -c '
    printf %s throwaway-test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    # The daemon forks: wait until it owns the Secret Service name, or a first client would
    # D-Bus-activate a second, locked daemon.
    tries=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then
            echo "with-test-keyring.sh: gnome-keyring did not come up on the private bus" >&2
            exit 1
        fi
        sleep 0.05
    done
    "$@"' with-test-keyring "$@" || status=$?
exit "$status"
