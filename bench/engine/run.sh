#!/bin/sh
# The engine end to end on SQLite and on PostgreSQL (a throwaway cluster with the server's
# default durability), with the `pgbench -N` ceiling of the same cluster in the same run.
# Usage: bench/engine/run.sh [BUILD_DIR=build-bench]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DUTASK_BUILD_BENCH=ON -DUTASK_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" --target engine_bench -j2 > /dev/null
bench=$build/bench/engine_bench
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

work=$(mktemp -d)
state=$work/pg
trap 'sh "$root/tests/support/pg_cluster.sh" stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT INT TERM
PG_DURABLE=1 sh "$root/tests/support/pg_cluster.sh" start "$state" > /dev/null
admin=$(cat "$state/url")

echo "workload,backend,n,tasks_per_s,p50_ms,p99_ms,peak_rss_kib (inflight: workload,backend,n,rss_before_kib,rss_peak_kib,kib_per_task)"
for backend in sqlite postgres; do
  for run in "idle 200" "burst 1000" "foreach 10" "inflight 1000"; do
    set -- $run
    if [ "$backend" = sqlite ]; then
      url="sqlite:$work/$1.db"
    else
      "$pgbin/psql" -q -d "$admin" -c "CREATE DATABASE bench_$1"
      url=$(echo "$admin" | sed "s|/postgres\$|/bench_$1|")
    fi
    "$bench" "$1" "$url" "$2"
  done
done
"$pgbin/psql" -q -d "$admin" -c "CREATE DATABASE pgbench"
pgbench_url=$(echo "$admin" | sed 's|/postgres$|/pgbench|')
"$pgbin/pgbench" -i -q -s 10 "$pgbench_url" > /dev/null 2>&1
tps=$("$pgbin/pgbench" -N -c 8 -j 8 -T 10 "$pgbench_url" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
echo "pgbench-N,postgres,8,$tps"
