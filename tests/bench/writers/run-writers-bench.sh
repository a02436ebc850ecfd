#!/usr/bin/env bash
# Toggles and audit appends per second, 1 and 8 concurrent writers, on SQLite and on PostgreSQL
# (a throw-away durable cluster on 127.0.0.1), each writer a separate process.
#   tests/bench/writers/run-writers-bench.sh BUILD_DIR [CHANGES_PER_WRITER]
set -euo pipefail
build=${1:?build directory}
changes=${2:-300}
writer=$build/tests/core/concurrent_writer
cli=$build/app/klaviyo-rbac
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

run() { # engine location mode writers
    local location=$2 mode=$3 writers=$4 start end i
    "$cli" --workspace "$location" roles >/dev/null
    start=$(date +%s.%N)
    for ((i = 0; i < writers; i++)); do
        RBAC_WRITER_MODE=$mode "$writer" "$location" "bench$i" "$((7 + i))" "$changes" >"$scratch/out.$i" &
    done
    wait
    end=$(date +%s.%N)
    local applied=0
    for ((i = 0; i < writers; i++)); do applied=$((applied + $(awk '{print $2}' "$scratch/out.$i"))); done
    "$cli" --workspace "$location" audit verify >/dev/null || { echo "chain broken after $1 $mode x$writers"; exit 1; }
    printf '%-10s %-7s %2d writers  %6d committed  %8.1f /s\n' "$1" "$mode" "$writers" "$applied" \
        "$(echo "$applied / ($end - $start)" | bc -l)"
}

if [ -z "${RBAC_TEST_PG_URI:-}" ]; then
    n=0
    for mode in toggle append; do
        for writers in 1 8; do
            n=$((n + 1))
            run sqlite "$scratch/ws$n.sqlite" $mode $writers
        done
    done
    # Again on PostgreSQL, fsync on like SQLite's synchronous=FULL.
    RBAC_PG_DURABLE=1 "$here/../../pg/with-postgres.sh" "$0" "$@"
    exit
fi
n=0
for mode in toggle append; do
    for writers in 1 8; do
        n=$((n + 1))
        psql "$RBAC_TEST_PG_URI" -qc "CREATE DATABASE bench$n" >/dev/null
        run postgres "${RBAC_TEST_PG_URI%/postgres}/bench$n" $mode $writers
    done
done
