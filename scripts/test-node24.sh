#!/usr/bin/env bash
# `npm run test:node24`: the whole suite (`npm test`) on Node.js 24, fetched by scripts/ensure-node24.sh.
# Node 24 comes first on PATH, so the build, the type check, the test runner and every CLI the tests
# spawn (process.execPath) run on it; npm itself starts with `#!/usr/bin/env node`, so it does too.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash scripts/ensure-node24.sh)
export PATH=$bin:$PATH
[ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ] || { echo "test:node24: node on PATH is $(node --version), not 24" >&2; exit 1; }
echo "test:node24: Node $(node --version), npm $(npm --version)" >&2
exec npm test
