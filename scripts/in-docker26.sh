#!/usr/bin/env bash
# Runs a command against Docker Engine 26.1 (`npm run test:docker26` is `in-docker26.sh npm test`):
# starts the engine with scripts/ensure-docker26.sh if it is not running, runs the command in the
# engine's network namespace with DOCKER_HOST pointing at it, and stops the engine again if it
# started it. The command's exit code is this script's. The namespace has only a loopback: fetch
# what the command needs from the network first (test:node24:docker26 fetches Node 24 before).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
started=0
DOCKER_HOST=unix:///run/aixcl-docker26.sock docker version >/dev/null 2>&1 || started=1
bash scripts/ensure-docker26.sh start >/dev/null
if [ $started = 1 ]; then trap 'bash scripts/ensure-docker26.sh stop' EXIT; fi
echo "in-docker26: $(bash scripts/ensure-docker26.sh exec docker version --format 'Docker {{.Server.Version}} (API {{.Server.APIVersion}})'), in network namespace aixcl-docker26: $*" >&2
bash scripts/ensure-docker26.sh exec "$@"
