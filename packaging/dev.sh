#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds, then starts the console or runs the test suite.
#
#   packaging/dev.sh run [console options]   install, build, start klaviyo-rbac-console
#   packaging/dev.sh test [ctest options]    install, build, run the whole ctest suite
#   packaging/dev.sh build                   install and build only
#   packaging/dev.sh packages                print the Debian packages it installs, one a line
#
# Idempotent: a second run installs nothing and rebuilds only what changed. Supported: Debian 12
# (bookworm). Every package the build, the programs and the tests need is named below: nothing may
# come from a Recommends (apt runs with --no-install-recommends) or be assumed on the machine; the
# test `packaging_install_list` checks that from the files CMake used and the tools the tests call.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${RBAC_BUILD_DIR:-$here/build}
jobs=$(nproc 2>/dev/null || echo 2)

# Build and test dependencies, by Debian package name: the one list (see README "Quick start").
packages=(
    g++ cmake ninja-build pkg-config
    # Qt 6.4: Core/Gui/Widgets/Network/Sql/DBus/Test, Charts (whose CMake package needs Qt6OpenGL's,
    # in libqt6opengl6-dev, only a Recommends of qt6-base-dev), the SQLite driver, lupdate/lrelease
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-charts-dev libqt6opengl6-dev libgl-dev
    # what FindOpenGL also picks up when present: named, so every machine configures alike
    libegl-dev libglu1-mesa-dev
    qt6-tools-dev qt6-l10n-tools
    qtkeychain-qt6-dev libsecret-1-0
    # tests: the sqlite3 shell, a real Secret Service in a private D-Bus session
    sqlite3 dbus dbus-x11 gnome-keyring libsecret-tools
    # team workspaces: the Qt PostgreSQL driver; a throw-away server and psql for tests/benchmarks
    libqt6sql6-psql postgresql postgresql-client bc
    # packaging tests: validators, the .deb tools, a headless X server
    desktop-file-utils appstream dpkg-dev file xvfb xauth
    # accessibility test: the AT-SPI bus and its Python bindings
    at-spi2-core python3-pyatspi
    # OAuth tests: headless Chromium stands in for the system browser
    chromium
)

say() { printf '==> %s\n' "$*"; }
# Progress with the seconds since the last mark, so a slow phase shows where the time goes.
mark=$SECONDS
took() { say "$* ($((SECONDS - mark)) s)"; mark=$SECONDS; }

install_missing() {
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "all ${#packages[@]} packages already installed"
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "error: installing ${missing[*]} needs root (no sudo found)" >&2; exit 3; }
        sudo=(sudo)
    fi
    say "installing ${#missing[@]} packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local before after
    before=$(dpkg-query -W -f='${Status}\n' | grep -c ' installed$' || true)
    if ! "${sudo[@]}" apt-get update -q </dev/null ||
        ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null; then
        echo "error: apt-get failed (above). Check the network and /etc/apt/sources.list*, then run $0 again:" \
            "it resumes where apt stopped; nothing was built." >&2
        exit 3
    fi
    after=$(dpkg-query -W -f='${Status}\n' | grep -c ' installed$' || true)
    took "installed $((after - before)) packages"
}

build() {
    local werror=OFF
    [ "${CI:-}" = "true" ] && werror=ON # warnings are errors in CI
    local configure=(cmake -S "$here" -B "$build_dir" -DRBAC_WERROR=$werror)
    [ -f "$build_dir/CMakeCache.txt" ] ||
        configure+=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
    say "configuring $build_dir"
    local out rc=0
    out=$("${configure[@]}" 2>&1) || rc=$?
    printf '%s\n' "$out" | grep -v '^-- ' || true # warnings and errors; not the progress lines
    if [ "$rc" -ne 0 ]; then
        # A failed configure must not leave a cache that pins what it did not find.
        rm -f "$build_dir/CMakeCache.txt"
        echo "error: CMake could not configure the build (above); a package may be missing from $0" >&2
        exit 3
    fi
    say "building"
    cmake --build "$build_dir" --parallel "$jobs"
    took "built"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
run)
    install_missing
    build
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        cat >&2 <<MSG
No display: neither DISPLAY nor WAYLAND_DISPLAY is set, so the console window cannot open here.
Run it from a desktop session, or use its command-line twin, built at:
  $build_dir/app/klaviyo-rbac --help
  $build_dir/app/klaviyo-rbac matrix
MSG
        exit 1
    fi
    say "starting the console"
    exec "$build_dir/app/klaviyo-rbac-console" "$@"
    ;;
test)
    install_missing
    build
    say "running the test suite"
    cd "$build_dir"
    exec ctest --output-on-failure --no-label-summary --parallel "$jobs" "$@"
    ;;
build)
    install_missing
    build
    ;;
packages)
    printf '%s\n' "${packages[@]}"
    ;;
*)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
