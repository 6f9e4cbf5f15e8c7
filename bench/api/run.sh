#!/bin/sh
# The REST API under load: `utask serve` (Release) on SQLite and on PostgreSQL (a throwaway
# cluster with the server's default durability), filled with TASKS tasks through POST /task
# itself (wrk, in rounds until the store holds TASKS tasks), then `GET /task?page_size=20` on
# those tasks. CSV on stdout: workload,backend,connections,requests_per_s,p99_ms,requests,errors.
# Usage: bench/api/run.sh [TASKS=100000] [BUILD_DIR=build-bench] [DURATION=20s]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tasks=${1:-100000}
build=${2:-$root/build-bench}
duration=${3:-20s}
connections=${CONNECTIONS:-32}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DUTASK_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" --target utask -j2 > /dev/null
utask=$build/utask
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

work=$(mktemp -d)
state=$work/pg
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  sh "$root/tests/support/pg_cluster.sh" stop "$state" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
PG_DURABLE=1 sh "$root/tests/support/pg_cluster.sh" start "$state" > /dev/null
admin=$(cat "$state/url")
"$pgbin/psql" -q -d "$admin" -c "CREATE DATABASE api_bench"
mkdir -p "$work/functions" "$work/plugins" "$work/init" "$work/scripts"

# Counts the bench user's tasks through the API (TODO is every bench task's state).
stored() {
  curl -sf "http://127.0.0.1:$port/unsecured/stats" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["task_states"].get("TODO", 0))'
}

# One wrk run; prints the CSV line.
measure() {  # workload backend wrk-args...
  workload=$1 backend=$2
  shift 2
  line=$(wrk -t2 -c"$connections" -d"$duration" --latency "$@" | sed -n 's/^RESULT,//p')
  echo "$workload,$backend,$connections,$line"
}

echo "workload,backend,connections,requests_per_s,p99_ms,requests,errors"
for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then
    db="sqlite:$work/api.db"
  else
    db=$(echo "$admin" | sed 's|/postgres$|/api_bench|')
  fi
  port=$(free_port)
  CONFIGURATION_FROM="file:$here/config.yaml" UTASK_DB="$db" SERVER_PORT="$port" \
    "$utask" serve --templates-path "$here/templates" --functions-path "$work/functions" \
    --scripts-path "$work/scripts" --plugins-path "$work/plugins" --init-path "$work/init" \
    > "$work/$backend.log" 2>&1 &
  server=$!
  i=0
  until curl -sf "http://127.0.0.1:$port/unsecured/mon/ping" > /dev/null 2>&1; do
    i=$((i + 1))
    [ $i -lt 600 ] || { echo "server did not start:" >&2; cat "$work/$backend.log" >&2; exit 1; }
    kill -0 "$server" 2>/dev/null || { echo "server exited:" >&2; cat "$work/$backend.log" >&2; exit 1; }
    sleep 0.1
  done

  # POST /task: the first round is the measured one; the following rounds only fill the store.
  measure post_task "$backend" -s "$here/post_task.lua" "http://127.0.0.1:$port"
  while [ "$(stored)" -lt "$tasks" ]; do
    wrk -t2 -c"$connections" -d10s -s "$here/post_task.lua" "http://127.0.0.1:$port" > /dev/null
    echo "$backend: $(stored) tasks stored" >&2
  done
  measure "get_task_page20($(stored)_tasks)" "$backend" -s "$here/get_tasks.lua" \
    "http://127.0.0.1:$port/task?page_size=20"

  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
done
