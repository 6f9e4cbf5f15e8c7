#!/bin/sh
# Task listing latency with TASKS tasks on PostgreSQL (a throwaway cluster) and SQLite: the
# first page and page 100 (keyset) of every filter. CSV on stdout; insert progress on stderr.
# Usage: bench/listing/run.sh [TASKS=1000000] [BUILD_DIR=build-bench]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tasks=${1:-1000000}
build=${2:-$root/build-bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DUTASK_BUILD_BENCH=ON -DUTASK_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" --target listing_bench -j2 > /dev/null
bench=$build/bench/listing_bench
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

work=$(mktemp -d)
state=$work/pg
trap 'sh "$root/tests/support/pg_cluster.sh" stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT INT TERM
sh "$root/tests/support/pg_cluster.sh" start "$state" > /dev/null
admin=$(cat "$state/url")
"$pgbin/psql" -q -d "$admin" -c "CREATE DATABASE listing_bench"
url=$(echo "$admin" | sed 's|/postgres$|/listing_bench|')

"$bench" "sqlite:$work/listing.db" "$tasks"
"$bench" "$url" "$tasks" | tail -n +2
