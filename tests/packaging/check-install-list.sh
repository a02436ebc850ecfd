#!/usr/bin/env bash
# check-install-list.sh SOURCE_DIR BUILD_DIR [--without PACKAGE]...
#
# Proves that packaging/dev.sh names every Debian package the project needs, so that a package
# installed by hand (or one that came as a Recommends) can never hide a missing one. It takes
#   - every file CMake used from the system: each absolute path in BUILD_DIR/CMakeCache.txt (the
#     *_DIR of each CMake package, by its config file; compilers, tools and libraries it found);
#   - every shared library the two programs load (ldd);
#   - every program, file and Python module in tests/packaging/runtime-needs.txt;
# and checks that each is owned (dpkg -S) by a package in what apt installs for dev.sh's list on a
# bare Debian 12 (the essential set, apt and git) without Recommends: apt's own resolution on an
# empty package database (apt-get --simulate), so alternatives and virtual packages resolve as they
# would there. A program the tests probe for that runtime-needs.txt lacks is reported too.
#
# --without PACKAGE checks the list minus PACKAGE (the suite uses it to show the check bites).
# Exit: 0 every file accounted for; 1 something is not (each named, with the line to add); 77 not a
# Debian system with apt and dpkg.
set -euo pipefail

src=${1:?usage: check-install-list.sh SOURCE_DIR BUILD_DIR [--without PACKAGE]...}
build=${2:?usage: check-install-list.sh SOURCE_DIR BUILD_DIR [--without PACKAGE]...}
shift 2
without=()
while [ $# -gt 0 ]; do
    case "$1" in
    --without) without+=("${2:?--without needs a package}"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
for tool in apt-get dpkg-query dpkg ldd; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing: not a Debian system"; exit 77; }
done
cache=$build/CMakeCache.txt
[ -f "$cache" ] || { echo "no $cache: configure first"; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# ---- the closure: what apt would install for dev.sh's list on a bare system ----------------------
mapfile -t listed < <("$src/packaging/dev.sh" packages)
for w in "${without[@]}"; do
    mapfile -t listed < <(printf '%s\n' "${listed[@]}" | grep -vxF "$w")
    echo "checking without $w"
done
mapfile -t essential < <(dpkg-query -W -f='${Package} ${Essential}\n' | awk '$2 == "yes" { print $1 }')
: >"$scratch/empty-status"
if ! apt-get --simulate -q -o Debug::NoLocking=1 -o Dir::State::status="$scratch/empty-status" \
    -o APT::Install-Recommends=false -o APT::Install-Suggests=false \
    install "${listed[@]}" "${essential[@]}" apt git >"$scratch/apt.log" 2>&1; then
    cat "$scratch/apt.log"
    echo "FAIL: apt cannot resolve dev.sh's package list (above); run apt-get update?"
    exit 1
fi
sed -n 's/^Inst \([^ :]*\).*/\1/p' "$scratch/apt.log" | sort -u >"$scratch/closure"
echo "dev.sh names ${#listed[@]} packages; with their Depends/Pre-Depends and the bare system:" \
    "$(wc -l <"$scratch/closure") packages"

# ---- owners --------------------------------------------------------------------------------------
# dpkg knows a file by the path its package ships; with merged /usr that may be /bin/x for /usr/bin/x.
owner_of() {
    local path=$1 candidates=() c out
    candidates+=("$path")
    local real
    real=$(readlink -f "$path" 2>/dev/null) && [ "$real" != "$path" ] && candidates+=("$real")
    for c in "${candidates[@]}"; do
        case "$c" in
        /usr/bin/* | /usr/sbin/* | /usr/lib/* | /usr/lib64/*) candidates+=("${c#/usr}") ;;
        /bin/* | /sbin/* | /lib/* | /lib64/*) candidates+=("/usr$c") ;;
        esac
    done
    for c in "${candidates[@]}"; do
        out=$(dpkg -S "$c" 2>/dev/null | grep -v '^diversion by' | head -n 1) || true
        if [ -n "$out" ]; then
            # "pkg1:amd64, pkg2: /path" -> the packages, one a line, without the architecture
            printf '%s\n' "${out%%: /*}" | tr ',' '\n' | sed 's/^ *//; s/:.*//'
            return 0
        fi
    done
    return 1
}

failures=0 checked=0
declare -A seen
check() { # check PATH WHY
    local path=$1 why=$2 pkgs p
    [ -n "${seen[$path]:-}" ] && return 0
    seen[$path]=1
    checked=$((checked + 1))
    if ! pkgs=$(owner_of "$path"); then
        echo "FAIL: $path ($why) belongs to no Debian package: it was installed by hand; install it" \
            "through a package named in packaging/dev.sh"
        failures=$((failures + 1))
        return
    fi
    for p in $pkgs; do
        grep -qxF "$p" "$scratch/closure" && return 0
    done
    p=$(head -n 1 <<<"$pkgs")
    echo "FAIL: $path ($why) belongs to $p, which packaging/dev.sh does not install (nor anything it" \
        "depends on): add '$p' to the packages list in packaging/dev.sh"
    failures=$((failures + 1))
}

# CMake's cache: each *_DIR by its package config file; every other absolute file it found.
while IFS= read -r line; do
    name=${line%%:*}
    type=${line#*:}
    type=${type%%=*}
    value=${line#*=}
    case "$type" in INTERNAL | STATIC | UNINITIALIZED | BOOL | STRING) continue ;; esac
    case "$value" in /*) ;; *) continue ;; esac
    case "$value" in "$src"* | "$build"*) continue ;; esac
    if [ -d "$value" ]; then
        case "$name" in
        *_DIR)
            for f in "$value"/*Config.cmake "$value"/*-config.cmake; do
                [ -f "$f" ] && check "$f" "$name in CMakeCache.txt" && break
            done
            ;;
        esac
    elif [ -f "$value" ]; then
        check "$value" "$name in CMakeCache.txt"
    fi
done < <(grep -E '^[A-Za-z0-9_.+-]+:[A-Z]+=' "$cache")

# The programs' shared libraries.
for program in "$build/app/klaviyo-rbac" "$build/app/klaviyo-rbac-console"; do
    [ -x "$program" ] || { echo "FAIL: $program is not built"; failures=$((failures + 1)); continue; }
    while read -r lib; do
        check "$lib" "loaded by $(basename "$program")"
    done < <(ldd "$program" | sed -n 's/.* => \(\/[^ ]*\) .*/\1/p')
done

# What the tests and scripts use.
needs=$src/tests/packaging/runtime-needs.txt
declare -A listed_programs
while read -r kind what _; do
    case "$kind" in
    "" | \#*) continue ;;
    program)
        listed_programs[$what]=1
        path=$(command -v "$what" 2>/dev/null) || {
            echo "FAIL: program '$what' (runtime-needs.txt) is not installed"
            failures=$((failures + 1))
            continue
        }
        check "$path" "program $what"
        ;;
    file)
        matched=
        for path in $what; do
            [ -e "$path" ] || continue
            matched=1
            check "$path" "runtime-needs.txt"
        done
        [ -n "$matched" ] || { echo "FAIL: $what (runtime-needs.txt) is not installed"; failures=$((failures + 1)); }
        ;;
    python)
        file=$(/usr/bin/python3 -c "import $what, sys; sys.stdout.write($what.__file__)" 2>/dev/null) || {
            echo "FAIL: the Python module $what (runtime-needs.txt) is missing for /usr/bin/python3"
            failures=$((failures + 1))
            continue
        }
        check "$file" "python module $what"
        ;;
    *) echo "FAIL: runtime-needs.txt: unknown kind '$kind'"; failures=$((failures + 1)) ;;
    esac
done <"$needs"

# Programs the tests probe for by name must be in runtime-needs.txt.
while read -r name; do
    [ -n "${listed_programs[$name]:-}" ] && continue
    echo "FAIL: the tests use the program '$name', which tests/packaging/runtime-needs.txt does not list"
    failures=$((failures + 1))
done < <(
    {
        grep -rhoE 'command -v "?[A-Za-z0-9_.+-]+' "$src/tests" --include='*.sh' | sed -E 's/command -v "?//'
        grep -rhoE 'for tool in [^;]*;' "$src/tests" --include='*.sh' |
            sed -E 's/for tool in //; s/;$//' | tr ' ' '\n' | sed 's/:.*//; s/"//g'
        grep -rhoE '(findExecutable|start)\((QStringLiteral\()?"[A-Za-z0-9_.+-]+"' "$src/tests" \
            --include='*.cpp' | sed -E 's/.*"([^"]+)"/\1/'
    } | grep -E '^[A-Za-z][A-Za-z0-9_.+-]*$' | grep -vE '^(tool)$' | sort -u
)

echo "checked $checked files against dev.sh's list"
if [ "$failures" -gt 0 ]; then
    echo "$failures problem(s): packaging/dev.sh does not install everything the project needs"
    exit 1
fi
echo "every file the build, the programs and the tests use comes from a package dev.sh installs"
