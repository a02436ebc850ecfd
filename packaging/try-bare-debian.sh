#!/usr/bin/env bash
# Rehearses the README's two commands on a bare Debian 12 machine: a fresh bookworm root filesystem
# with nothing but apt and git (mmdebstrap --variant=apt), entered with chroot as root, CI=true and
# no standard input. Run it before calling an install change done.
#
#   packaging/try-bare-debian.sh [--keep] [--rootfs TARBALL] [test|run|both]   (default: both)
#
# It clones this repository's HEAD (committed work only) into the root, mounts /proc, /sys, /dev,
# /dev/pts and /dev/shm inside, and runs `./packaging/dev.sh test` and/or `./packaging/dev.sh run`
# exactly as the README writes them. It prints the time of each phase (install, build, tests) and
# the number of packages installed. Needs root and the Debian package mmdebstrap; the root
# filesystem is made in a temporary folder under /var/tmp and removed afterwards (--keep keeps it).
#
# Exit: 0 both commands behaved as the README says; 1 one did not (the log is printed); 2 usage.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=
rootfs_tar=
what=both
while [ $# -gt 0 ]; do
    case "$1" in
    --keep) keep=1 ;;
    --rootfs) rootfs_tar=${2:?--rootfs needs a tarball}; shift ;;
    test | run | both) what=$1 ;;
    *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
    shift
done
[ "$(id -u)" -eq 0 ] || { echo "error: needs root (chroot and mounts)" >&2; exit 2; }
command -v mmdebstrap >/dev/null || [ -n "$rootfs_tar" ] ||
    { echo "error: mmdebstrap is missing: apt-get install mmdebstrap" >&2; exit 2; }

work=$(mktemp -d /var/tmp/rbac-bare.XXXXXX)
root=$work/root
mounted=()
cleanup() {
    local m
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
    # Processes the run left behind inside the root (a keyring daemon, a database) hold files open.
    for m in /proc/[0-9]*; do
        [ "$(readlink "$m/root" 2>/dev/null)" = "$root" ] && kill -9 "${m#/proc/}" 2>/dev/null || true
    done
    if [ -z "$keep" ]; then rm -rf "$work"; else echo "kept: $root"; fi
}
trap cleanup EXIT

mirror=http://deb.debian.org/debian
if [ -z "$rootfs_tar" ]; then
    echo "==> making a bare bookworm root (apt and git only)"
    rootfs_tar=$work/bookworm.tar
    mmdebstrap --quiet --variant=apt --include=git bookworm "$rootfs_tar" \
        "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
        "deb http://deb.debian.org/debian-security bookworm-security main"
fi
mkdir "$root"
tar -C "$root" -xf "$rootfs_tar"
cp /etc/resolv.conf "$root/etc/resolv.conf"
before=$(chroot "$root" dpkg-query -W -f='${Package}\n' | wc -l)

git clone --quiet --no-hardlinks "$here" "$root/src"
for m in proc sys dev dev/pts dev/shm; do
    mkdir -p "$root/$m"
    case $m in
    proc) mount -t proc proc "$root/proc" ;;
    sys) mount -t sysfs sys "$root/sys" ;;
    dev) mount --bind /dev "$root/dev" ;;
    dev/pts) mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" ;;
    dev/shm) mount -t tmpfs -o mode=1777 shm "$root/dev/shm" ;;
    esac
    mounted+=("$root/$m")
done

# The README's command inside the root, as CI runs it: root, CI=true, no stdin, a clean environment.
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 CI=true TERM=dumb bash -c "cd /src && $1" </dev/null
}
status=0
phase() { # phase NAME COMMAND EXPECTED_STATUS
    local log=$work/$1.log start rc=0
    start=$(date +%s)
    in_root "$2" >"$log" 2>&1 || rc=$?
    echo "==> $1: exit $rc after $(($(date +%s) - start)) s"
    grep -E '^==> ' "$log" | sed 's/^/    /' || true
    if [ "$rc" -ne "$3" ]; then
        echo "FAIL: '$2' exited $rc, expected $3; the end of its log:"
        tail -n 60 "$log"
        status=1
    fi
}
if [ "$what" = test ] || [ "$what" = both ]; then
    phase test "./packaging/dev.sh test" 0
    grep -E 'tests passed|tests failed|Total Test time' "$work/test.log" || { echo "FAIL: no ctest summary"; status=1; }
fi
if [ "$what" = run ] || [ "$what" = both ]; then
    phase run "./packaging/dev.sh run" 1
    grep -q '^No display' "$work/run.log" || { echo "FAIL: dev.sh run did not say 'No display'"; status=1; }
fi
after=$(chroot "$root" dpkg-query -W -f='${Package}\n' | wc -l)
echo "==> packages: $before in the bare root, $after afterwards ($((after - before)) installed)"
exit $status
