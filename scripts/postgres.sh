#!/usr/bin/env bash
# A throwaway PostgreSQL for the registry tests, on 127.0.0.1:54329 only.
#   bash scripts/postgres.sh start   installs PostgreSQL from Debian if missing, starts it, prints the URL
#   bash scripts/postgres.sh stop    stops it and removes its data
set -euo pipefail
DIR=$(realpath -m "${MLOPS_PG_DIR:-/tmp/mlops-pg}")
PORT=${MLOPS_PG_PORT:-54329}
URL="postgres://mlops:mlops@127.0.0.1:${PORT}/mlops"

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
# From /: the postgres user may not be allowed into the current directory (a mode-700 temporary one).
as_postgres() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

case "${1:-}" in
  start)
    if [ -z "$(bin_dir)" ]; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    BIN=$(bin_dir)
    if [ -f "$DIR/data/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      echo "$URL"; exit 0
    fi
    rm -rf "$DIR" && mkdir -p "$DIR/socket"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$DIR"
    as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR/socket -c fsync=off -c max_connections=200" start >/dev/null
    as_postgres "$BIN/psql" -h "$DIR/socket" -p "$PORT" -U postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE USER mlops PASSWORD 'mlops'" -c "CREATE DATABASE mlops OWNER mlops" >/dev/null
    echo "$URL"
    ;;
  stop)
    BIN=$(bin_dir)
    [ -n "$BIN" ] && [ -d "$DIR/data" ] && as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
