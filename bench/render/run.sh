#!/bin/sh
# Builds the C++ and Go render benchmarks (Release, offline) and prints one CSV of both.
# Usage: bench/render/run.sh [ITERATIONS] [BUILD_DIR]
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-20000}
build=${2:-$root/build-bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DUTASK_BUILD_BENCH=ON -DUTASK_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" --target render_bench -j2 > /dev/null
GOCACHE="${GOCACHE:-$build/go-cache}" GOPATH=/usr/share/gocode GO111MODULE=off \
  go build -o "$build/render-bench-go" "$here/go/main.go"
echo "workload,impl,iterations,seconds,ops_per_sec"
"$build/bench/render_bench" "$here/workloads.json" "$here/data.json" "$n"
"$build/render-bench-go" "$here/workloads.json" "$here/data.json" "$n"
