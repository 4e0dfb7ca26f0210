#!/usr/bin/env bash
# Counts the module files a proofdesk command opens at start-up (issue 16, goal 4), by package,
# with strace (installed with apt-get when missing, as root). Usage:
#   bench/profile/startup-modules.sh [proofdesk args…]      (default: --version)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v strace >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq strace; } >&2
  else
    echo "startup-modules: strace is not installed" >&2
    exit 3
  fi
fi
[ $# -gt 0 ] || set -- --version
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
strace -f -e trace=openat -o "$log" node "$root/bin/proofdesk.js" "$@" >/dev/null 2>&1 || true
files="$(grep -v ENOENT "$log" | grep -oE '"/[^"]+\.(js|cjs|mjs|json|node)"' | sort -u)"
echo "proofdesk $*: $(printf '%s\n' "$files" | grep -c .) module files opened"
printf '%s\n' "$files" | sed -E 's#.*/node_modules/((@[^/]+/)?[^/]+)/.*#\1#; s#.*/dist/.*#dist (Proofdesk)#; s#^"##; s#"$##' | sort | uniq -c | sort -rn
