#!/usr/bin/env bash
# Builds the .deb with CPack, checks its declared dependencies, proves apt can install it on this
# Debian (dependency resolution, without touching the system), then unpacks it into a throw-away
# root and runs the installed programs: the CLI for real, the GUI under Xvfb.
set -euo pipefail
build=$1 version=$2
for tool in cpack dpkg-deb apt-get xvfb-run dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
    { cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/out/klaviyo-rbac-console_"${version}"_*.deb)
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
echo "Depends: $depends"
echo "Recommends: $recommends"
for needed in libsecret-1-0 libqt6sql6-sqlite libqt6core6 libqt6widgets6; do
    grep -q "$needed" <<<"$depends" || { echo "Depends lacks $needed"; exit 1; }
done
grep -q gnome-keyring <<<"$recommends" || { echo "Recommends lacks a Secret Service"; exit 1; }

# apt resolves every dependency from Debian's archive (or what is installed) for this package.
apt-get install --simulate --no-install-recommends "$deb" >"$scratch/apt.log" 2>&1 ||
    { cat "$scratch/apt.log"; exit 1; }
grep -q "klaviyo-rbac-console" "$scratch/apt.log" || { cat "$scratch/apt.log"; exit 1; }

root=$scratch/root
dpkg-deb -x "$deb" "$root"
for f in usr/bin/klaviyo-rbac usr/bin/klaviyo-rbac-console \
         usr/share/applications/io.github.klaviyo_rbac.Console.desktop \
         usr/share/metainfo/io.github.klaviyo_rbac.Console.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/io.github.klaviyo_rbac.Console.svg; do
    [ -e "$root/$f" ] || { echo "missing in package: $f"; exit 1; }
done

export HOME=$scratch/home XDG_DATA_HOME=$scratch/home/.local/share XDG_CONFIG_HOME=$scratch/home/.config
mkdir -p "$HOME"
"$root/usr/bin/klaviyo-rbac" --version | tee "$scratch/version.txt"
grep -q "klaviyo-rbac $version" "$scratch/version.txt"
"$root/usr/bin/klaviyo-rbac" check marketer canSendCampaigns
[ -f "$XDG_DATA_HOME/klaviyo-rbac-console/workspace.sqlite" ] || { echo "default workspace not created"; exit 1; }

# The GUI starts under Xvfb and keeps running until timeout ends it (exit 124).
set +e
xvfb-run -a timeout 5 "$root/usr/bin/klaviyo-rbac-console" >"$scratch/gui.log" 2>&1
status=$?
set -e
if [ "$status" -ne 124 ]; then
    echo "the installed console exited with $status instead of running:"
    cat "$scratch/gui.log"
    exit 1
fi
echo "installed console ran under Xvfb until stopped"
