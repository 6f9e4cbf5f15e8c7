#!/usr/bin/env bash
# Installs everything the build, the tests and `make run` need, on a Debian 12 machine.
# Idempotent: a second run installs nothing and only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config ccache
  libcaf-dev libpqxx-dev libyaml-cpp-dev nlohmann-json3-dev librestinio-dev libasio-dev
  libhttp-parser-dev libfmt-dev libsodium-dev libboost-dev libboost-filesystem-dev
  libboost-system-dev libcurl4-openssl-dev libssh2-1-dev libspdlog-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev libcli11-dev prometheus-cpp-dev uuid-dev libre2-dev
  libicu-dev libssl-dev libcrypt-dev
  postgresql postgresql-client openssh-server openssh-client python3-aiosmtpd
  golang-go golang-github-masterminds-sprig-dev golang-github-robertkrimen-otto-dev
  wrk hyperfine
  # runtime dependencies of libnode108 (V8), unpacked below rather than installed
  libuv1 libicu72 libc-ares2 libnghttp2-14 libbrotli1 libssl3
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# V8 comes from Debian's libnode. The machine's nodejs package conflicts with libnode108, so
# unpack libnode108 + libnode-dev into third_party/libnode (ignored by git) unless a system
# libnode-dev is present.
# (The nodejs package ships /usr/include/node too, but for another V8: headers and library must
# come from the same package, so only a system libnode.so counts.)
if [ ! -e /usr/lib/x86_64-linux-gnu/libnode.so ] && [ ! -e third_party/libnode/usr/lib/x86_64-linux-gnu/libnode.so ]; then
  echo "setup: unpacking libnode108 and libnode-dev into third_party/libnode"
  tmp=$(mktemp -d); chmod 755 "$tmp"
  (cd "$tmp" && apt-get download libnode108 libnode-dev >/dev/null)
  mkdir -p third_party/libnode
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" third_party/libnode; done
  rm -rf "$tmp"
  # libnode-dev's libnode.so symlink points at the versioned library in the same folder.
fi
echo "setup: ok"
