#!/bin/sh
# Installs the OpenAPI validator (npm package @apidevtools/swagger-parser, pinned in
# package.json) into DEST, for tests/http/openapi_test.cc. Usage: install.sh DEST
# Idempotent: nothing is fetched when DEST already has it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest=$1
mkdir -p "$dest"
cp "$here/package.json" "$here/validate.js" "$dest/"
if [ -d "$dest/node_modules/@apidevtools/swagger-parser" ]; then
  echo "openapi validator: already installed in $dest"
  exit 0
fi
npm install --prefix "$dest" --no-audit --no-fund --loglevel=error
