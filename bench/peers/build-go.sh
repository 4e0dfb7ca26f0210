#!/usr/bin/env bash
# Builds the bench's Go peer (bench/peers/go-tlog) from Debian's packaged sources: golang-go and
# golang-golang-x-mod-dev (golang.org/x/mod under /usr/share/gocode), in GOPATH mode, offline,
# with no module download. Installs the two packages with apt-get when they are missing and
# apt-get is usable (as root). Prints the binary's path on stdout; exits 3, with the reason on
# stderr, where Go cannot be had, so that the bench can skip the peer with a clear message.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../cache/peers/go-tlog}"
gocode=/usr/share/gocode

have_deps() { command -v go >/dev/null 2>&1 && [ -d "$gocode/src/golang.org/x/mod/sumdb/tlog" ]; }

if ! have_deps; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "build-go: installing golang-go and golang-golang-x-mod-dev with apt-get" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-golang-x-mod-dev; } >&2 || true
  fi
fi
if ! have_deps; then
  echo "build-go: skipped: Go (golang-go) or golang.org/x/mod (golang-golang-x-mod-dev) is not installed and could not be installed" >&2
  exit 3
fi

mkdir -p "$(dirname "$out")"
export GO111MODULE=off GOPATH="$gocode" GOPROXY=off GOFLAGS= GOCACHE="${GOCACHE:-$here/../cache/peers/go-build}"
go build -o "$out" "$here/go-tlog/main.go" >&2
echo "$out"
