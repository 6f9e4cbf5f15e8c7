#!/bin/sh
# Builds the Go oracle of the template differential test, offline, from Debian's Go packages
# (golang-go, golang-github-masterminds-sprig-dev). Usage: build_oracle.sh SOURCE_DIR OUTPUT
set -e
src="$1/tests/values/oracle/main.go"
out="$2"
if [ -x "$out" ] && [ "$out" -nt "$src" ]; then exit 0; fi
: "${GOCACHE:=$(dirname "$out")/go-cache}"
export GOCACHE GOPATH=/usr/share/gocode GO111MODULE=off
# Several tests may build at once (ctest -j): build to a private name, then rename atomically.
tmp="$out.$$"
go build -o "$tmp" "$src"
mv -f "$tmp" "$out"
