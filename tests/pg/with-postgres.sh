#!/usr/bin/env bash
# with-postgres.sh CMD [ARGS…]
# Runs CMD against a throw-away PostgreSQL cluster bound to 127.0.0.1 only, started as an
# unprivileged user (the 'postgres' system account when run as root). CMD gets
#   RBAC_TEST_PG_URI  postgresql://rbac@127.0.0.1:PORT/postgres  (maintenance database)
#   PGPASSFILE        the password file (scram-sha-256 over TCP, as a team server would use)
# The cluster and its files are removed afterwards; the exit status is CMD's.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "SKIP: PostgreSQL server binaries not installed (Debian package postgresql)"
    exit 77
fi
scratch=$(mktemp -d)
chmod 755 "$scratch"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "SKIP: no unprivileged 'postgres' account to run the server"; exit 77; }
    run_as=(runuser -u postgres --)
fi
data=$scratch/data
mkdir -m 700 "$data" "$scratch/socket"
[ ${#run_as[@]} -gt 0 ] && chown postgres "$data" "$scratch/socket"
password=rbac-test-$$-$RANDOM
printf '%s\n' "$password" >"$scratch/pwfile"
chmod 644 "$scratch/pwfile"

stop() {
    "${run_as[@]}" "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$scratch"
}
trap stop EXIT

"${run_as[@]}" "$bin/initdb" -D "$data" -U rbac --pwfile="$scratch/pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$scratch/initdb.log" 2>&1 ||
    { cat "$scratch/initdb.log"; exit 1; }
rm -f "$scratch/pwfile"

started=
for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 30000))
    # Durability is not under test in the suite: skip fsync to keep it fast. Benchmarks set
    # RBAC_PG_DURABLE=1 to compare with SQLite at full sync.
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${RBAC_PG_DURABLE:-}" = 1 ] && durability=""
    if "${run_as[@]}" "$bin/pg_ctl" -D "$data" -w -t 30 -l "$scratch/socket/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $scratch/socket $durability -c max_connections=60" \
        start >/dev/null 2>&1; then
        started=1
        break
    fi
done
[ -n "$started" ] || { cat "$scratch/socket/server.log"; echo "could not start PostgreSQL"; exit 1; }

printf '127.0.0.1:%s:*:rbac:%s\n' "$port" "$password" >"$scratch/pgpass"
chmod 600 "$scratch/pgpass"
export PGPASSFILE=$scratch/pgpass
export RBAC_TEST_PG_URI="postgresql://rbac@127.0.0.1:$port/postgres"
set +e
"$@"
status=$?
set -e
exit $status
