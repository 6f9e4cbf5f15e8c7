#!/usr/bin/env bash
# The lower layers must not reach up (src/README.md): no CAF, RESTinio, SQL or HTTP client
# symbols in libutask_model.a, libutask_values.a or libutask_config.a. Usage: layering_test.sh BUILD_DIR
set -euo pipefail
build=$1
status=0
for layer in model values config; do
  lib="$build/libutask_$layer.a"
  [ -f "$lib" ] || { echo "missing $lib"; exit 1; }
  found=$(nm -C --undefined-only "$lib" 2>/dev/null | grep -E ' (caf::|restinio::|pqxx::|sqlite3_|PQ[a-z]|curl_|libssh2_)' | sort -u || true)
  if [ -n "$found" ]; then
    echo "libutask_$layer.a uses symbols of a higher layer:"
    echo "$found" | head -20
    status=1
  else
    echo "libutask_$layer.a: clean"
  fi
done
exit $status
