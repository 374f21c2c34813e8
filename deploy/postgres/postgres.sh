#!/usr/bin/env bash
# A throw-away PostgreSQL server for the integration suites, from Debian's
# package: `start` installs it when missing (as root, via apt-get), creates a
# fresh cluster under run/ owned by the `postgres` user (the server refuses to
# run as root), listens on 127.0.0.1:$BATON_PG_PORT with trust auth, and waits
# until it accepts connections. `stop` shuts it down. Not for production.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=${BATON_PG_PORT:-55432}
run=${BATON_PG_RUN_DIR:-$here/run}
data=$run/data

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_if_missing() {
  [ -n "$(find_bin)" ] && return
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  [ -n "$(find_bin)" ] || { echo "postgres.sh: PostgreSQL is still missing after apt-get" >&2; exit 1; }
}

start() {
  install_if_missing
  local bin; bin=$(find_bin)
  stop >/dev/null 2>&1 || true
  rm -rf "$run"; mkdir -p "$run"
  [ "$(id -u)" = 0 ] && chown postgres "$run"
  as_postgres "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-sync >"$run/initdb.log" 2>&1 ||
    { cat "$run/initdb.log" >&2; exit 1; }
  as_postgres "$bin/pg_ctl" -D "$data" -l "$run/server.log" -w -t 60 \
    -o "-p $port -k $run -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
    { echo "postgres.sh: server did not start; last log lines:" >&2; tail -n 30 "$run/server.log" >&2; exit 1; }
  "$bin/pg_isready" -h 127.0.0.1 -p "$port" -t 30 >/dev/null
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
  local bin; bin=$(find_bin)
  [ -n "$bin" ] && [ -f "$data/postmaster.pid" ] || return 0
  as_postgres "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
