#!/usr/bin/env bash
# Starts µTask with the development configuration (config/dev.yaml): the admin:1234 account,
# the example templates, a SQLite store in ./utask.db. Stops on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
exe=${1:-build/utask}
export CONFIGURATION_FROM=${CONFIGURATION_FROM:-file:config/dev.yaml}
exec "$exe" serve --templates-path templates --functions-path functions --scripts-path scripts \
  --plugins-path plugins --init-path init "${@:2}"
