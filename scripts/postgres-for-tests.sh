#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, on a private port, with its own data folder.
#   scripts/postgres-for-tests.sh        start it (creating it the first time) and print the line to export
#   scripts/postgres-for-tests.sh stop   stop it
# Uses the newest /usr/lib/postgresql/*/bin (Debian: apt-get install -y postgresql). As root the server runs as
# the "postgres" user (PostgreSQL refuses root). Settings favour speed over durability: it is for tests only.
# PG_TEST_PORT (default 55432) and PG_TEST_DIR (default /tmp/portal-pg-<port>) choose where it lives.
set -euo pipefail

port="${PG_TEST_PORT:-55432}"
dir="${PG_TEST_DIR:-/tmp/portal-pg-$port}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
  echo "PostgreSQL is not installed (Debian: apt-get install -y postgresql)." >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-start}" = "stop" ]; then
  as_owner "$bin/pg_ctl" -D "$dir" -m fast stop
  exit 0
fi

if [ ! -f "$dir/PG_VERSION" ]; then
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir" -U portal --auth=trust -E UTF8 --no-locale >/dev/null
fi

if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
fi

if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U portal -d postgres -Atc "select 1 from pg_database where datname = 'portal_test'" | grep -q 1; then
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U portal portal_test
fi

echo "export TEST_DATABASE_URL=postgres://portal@127.0.0.1:$port/portal_test"
