#!/bin/sh
# Checkpoint writes per second of the store on PostgreSQL and SQLite, each next to its ceiling
# measured in the same run: `pgbench -N` (simple-update: 3 statements a transaction) on the
# same throwaway cluster, and a raw sqlite3 UPDATE + upsert transaction loop on a file with the
# store's settings. Prints the CSV of each, then the ratios.
# Usage: bench/checkpoint/run.sh [CLIENTS=8] [SECONDS=10] [RESOLUTIONS=1000] [BUILD_DIR=build-bench]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
clients=${1:-8}
seconds=${2:-10}
resolutions=${3:-1000}
build=${4:-$root/build-bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DUTASK_BUILD_BENCH=ON -DUTASK_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" --target checkpoint_bench -j2 > /dev/null
bench=$build/bench/checkpoint_bench
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

work=$(mktemp -d)
state=$work/pg
trap 'sh "$root/tests/support/pg_cluster.sh" stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT INT TERM
PG_DURABLE=1 sh "$root/tests/support/pg_cluster.sh" start "$state" > /dev/null
admin=$(cat "$state/url")
"$pgbin/psql" -q -d "$admin" -c "CREATE DATABASE checkpoint_bench" -c "CREATE DATABASE pgbench"
store_url=$(echo "$admin" | sed 's|/postgres$|/checkpoint_bench|')
pgbench_url=$(echo "$admin" | sed 's|/postgres$|/pgbench|')

echo "bench,backend,clients,seconds,transactions,per_second"
store_pg=$("$bench" store "$store_url" "$resolutions" "$clients" "$seconds")
echo "$store_pg"
grouped_pg=$("$bench" store-grouped "$store_url" "$resolutions" "$clients" "$seconds")
echo "$grouped_pg"
"$pgbin/pgbench" -i -q -s 10 "$pgbench_url" > /dev/null 2>&1
pgbench_tps=$("$pgbin/pgbench" -N -c "$clients" -j "$clients" -T "$seconds" "$pgbench_url" 2>/dev/null |
  sed -n 's/^tps = \([0-9.]*\).*without initial.*/\1/p; s/^tps = \([0-9.]*\) (without.*/\1/p' | head -n 1)
echo "pgbench-N,postgres,$clients,$seconds,,$pgbench_tps"

store_sqlite=$("$bench" store "sqlite:$work/store.db" "$resolutions" "$clients" "$seconds")
echo "$store_sqlite"
grouped_sqlite=$("$bench" store-grouped "sqlite:$work/grouped.db" "$resolutions" "$clients" "$seconds")
echo "$grouped_sqlite"
ceiling=$("$bench" sqlite-ceiling "$work/ceiling.db" "$clients" "$seconds")
echo "$ceiling"

rate() { echo "$1" | cut -d, -f6; }
echo
echo "postgres: store $(rate "$store_pg")/s vs pgbench -N $pgbench_tps/s: ratio $(echo "$(rate "$store_pg") $pgbench_tps" | awk '{printf "%.2f", $1 / $2}')"
echo "sqlite:   store $(rate "$store_sqlite")/s vs raw sqlite3 $(rate "$ceiling")/s: ratio $(echo "$(rate "$store_sqlite") $(rate "$ceiling")" | awk '{printf "%.2f", $1 / $2}')"
echo "postgres, grouped: store $(rate "$grouped_pg")/s vs pgbench -N $pgbench_tps/s: ratio $(echo "$(rate "$grouped_pg") $pgbench_tps" | awk '{printf "%.2f", $1 / $2}')"
echo "sqlite, grouped:   store $(rate "$grouped_sqlite")/s vs raw sqlite3 $(rate "$ceiling")/s: ratio $(echo "$(rate "$grouped_sqlite") $(rate "$ceiling")" | awk '{printf "%.2f", $1 / $2}')"
