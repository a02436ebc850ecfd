#!/bin/sh
# Regenerates the README screenshots (matrix.png) from a real test run: the console on a fresh
# default workspace, rendered offscreen by tests/gui/tst_screenshot.cpp. Not hand-made.
# Usage: resources/screenshots/generate.sh [BUILD_DIR]     (default: ./build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
cmake --build "$build" --target tst_screenshot
test_binary=$(find "$build" -type f -name tst_screenshot -perm -u+x | head -n 1)
[ -n "$test_binary" ] || { echo "tst_screenshot not found under $build" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
# A private HOME: no settings or workspace of the person running it leak into the picture.
HOME=$scratch XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data KLAVIYO_RBAC_WORKSPACE= \
    QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8 RBAC_SCREENSHOT_DIR=$here "$test_binary"
echo "wrote $here/matrix.png"
