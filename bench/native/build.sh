#!/usr/bin/env bash
# Builds the native bound (bench/native/bound.c) with gcc and OpenSSL's libcrypto. Installs
# gcc and libssl-dev with apt-get when missing and apt-get is usable (as root). Prints the
# binary's path on stdout; exits 3, with the reason on stderr, where it cannot be built, so
# that the bench can skip the native bound with a clear message.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../cache/native/bound}"

have_deps() { command -v gcc >/dev/null 2>&1 && [ -f /usr/include/openssl/sha.h ]; }

if ! have_deps; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "native/build: installing gcc and libssl-dev with apt-get" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libssl-dev; } >&2 || true
  fi
fi
if ! have_deps; then
  echo "native/build: skipped: gcc or OpenSSL headers (libssl-dev) are not installed and could not be installed" >&2
  exit 3
fi
mkdir -p "$(dirname "$out")"
gcc -O2 -march=native -Wall -Wextra -o "$out" "$here/bound.c" -lcrypto >&2
echo "$out"
