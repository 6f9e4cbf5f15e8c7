#!/bin/sh
# A throwaway PostgreSQL cluster for the tests.
#
#   pg_cluster.sh start STATE_DIR [OWNER_PID]
#                                   initdb + pg_ctl start on 127.0.0.1 and a free port; writes
#                                   STATE_DIR/url (postgres://postgres@127.0.0.1:PORT/postgres)
#                                   and STATE_DIR/cluster (the data's directory). Reuses a
#                                   cluster already running for STATE_DIR. With OWNER_PID, a
#                                   watcher stops the cluster once that process is gone, even
#                                   when it was killed before it could stop it itself.
#   pg_cluster.sh stop STATE_DIR    stops it and removes everything (STATE_DIR included).
#
# The cluster lives in a fresh directory under /tmp owned by the `postgres` user, since the
# server refuses to run as root: as root every server command runs through
# `runuser -u postgres --`. Trust authentication for the `postgres` superuser, loopback only,
# fsync off (test speed: a crash loses the cluster, which is thrown away anyway). Every wait is
# bounded (pg_ctl -w -t 60).
set -eu

cmd=${1:-}
state=${2:-}
owner=${3:-}
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pg_cluster: no PostgreSQL server under /usr/lib/postgresql" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [ -f "$state/cluster" ] && as_pg "$bin/pg_ctl" -D "$(cat "$state/cluster")/data" status >/dev/null 2>&1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop() {
  if [ -f "$state/cluster" ]; then
    dir=$(cat "$state/cluster")
    if [ -d "$dir/data" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
    fi
    case "$dir" in /tmp/utask-pg.*) rm -rf "$dir" ;; esac
  fi
  rm -rf "$state"
}

case "$cmd" in
  start)
    if running && [ -f "$state/url" ]; then cat "$state/url"; exit 0; fi
    stop
    mkdir -p "$state"
    dir=$(mktemp -d /tmp/utask-pg.XXXXXX)
    echo "$dir" > "$state/cluster"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; stop; exit 1; }
    # The port may be taken between choosing and binding: try a few.
    # PG_DURABLE=1 (benchmarks): the server's default durability, as production runs it.
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-0}" = 1 ] && durability=""
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
           -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir
               $durability -c max_connections=300" start >/dev/null 2>&1; then
        echo "postgres://postgres@127.0.0.1:$port/postgres" > "$state/url.tmp"
        mv "$state/url.tmp" "$state/url"
        if [ -n "$owner" ]; then
          # Detached from the caller's pipes so that starting returns at once.
          nohup setsid sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; sh "$2" stop "$3"' \
            watcher "$owner" "$0" "$state" </dev/null >/dev/null 2>&1 &
        fi
        cat "$state/url"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2 || true
    stop
    exit 1
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
