#!/usr/bin/env bash
# desktop-file-validate and appstreamcli validate on what `cmake --install` lays out.
set -euo pipefail
src=$1 build=$2
app_id=io.github.klaviyo_rbac.Console
for tool in desktop-file-validate appstreamcli; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (packages desktop-file-utils, appstream)"; exit 77; }
done
desktop-file-validate "$src/packaging/linux/$app_id.desktop"
appstreamcli validate --no-net --explain "$build/packaging/$app_id.metainfo.xml"
# The metainfo must name the desktop file it launches and the icon must exist in every size.
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$build/packaging/$app_id.metainfo.xml"
grep -q "^Icon=$app_id$" "$src/packaging/linux/$app_id.desktop"
for size in 16 32 48 64 128 256 512; do
    file "$src/resources/icons/klaviyo-rbac-console-$size.png" | grep -q "$size x $size" ||
        { echo "icon $size px has the wrong size"; exit 1; }
done
echo "desktop file, metainfo and icons valid"
