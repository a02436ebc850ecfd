#!/bin/sh
# Regenerates the README screenshots from real test runs, never by hand:
#   matrix.png  the matrix page on a fresh default workspace, offscreen (tests/gui/tst_screenshot.cpp)
#   0N-*.png    each page of the running console under Xvfb, taken by the accessibility test
#               (tests/a11y) after it has granted and revoked a permission through AT-SPI
# Usage: resources/screenshots/generate.sh [BUILD_DIR]     (default: ./build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
cmake --build "$build" --target tst_screenshot klaviyo-rbac-console klaviyo-rbac
test_binary=$(find "$build" -type f -name tst_screenshot -perm -u+x | head -n 1)
[ -n "$test_binary" ] || { echo "tst_screenshot not found under $build" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
# A private HOME: no settings or workspace of the person running it leak into the picture.
HOME=$scratch XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data KLAVIYO_RBAC_WORKSPACE= \
    QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8 RBAC_SCREENSHOT_DIR=$here "$test_binary"
echo "wrote $here/matrix.png"
"$here/../../tests/a11y/run-a11y-test.sh" "$build/app/klaviyo-rbac-console" "$build/app/klaviyo-rbac" "$scratch/pages"
cp "$scratch"/pages/0*.png "$here/"
echo "wrote the page screenshots to $here"
