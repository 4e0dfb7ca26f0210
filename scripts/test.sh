#!/usr/bin/env bash
# The whole test suite on a bare Debian machine: installs what the tests need when it is
# missing (Chromium for the browser tests, poppler-utils for the PDF checks, openssl and
# ssh-keygen for the key interop tests; with sudo when not root), runs `npm ci` when
# node_modules is missing or older than package-lock.json, then `npm test`.
# Test vectors are read from ../shared/vectors beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 && command -v pdfdetach >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

test -d ../shared/vectors || { echo "missing ../shared/vectors beside the repository" >&2; exit 1; }

# npm ci when node_modules is missing or stale (npm writes node_modules/.package-lock.json on install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci
fi

npm test
