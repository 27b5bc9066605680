#!/usr/bin/env bash
# `npm run test:node24`: the whole suite (`npm test`) on Node.js 24, fetched by scripts/ensure-node24.sh.
# Node 24 comes first on PATH, so the build, the type check, the test runner and every CLI the tests
# spawn (process.execPath) run on it; npm itself starts with `#!/usr/bin/env node`, so it does too.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash scripts/ensure-node24.sh)
export PATH=$bin:$PATH
# npm itself and the CLIs would keep V8's compile cache in the temp directory on Node 24 (npm enables it
# before reading any script): the suite leaves the machine as it found it. test/compile-cache.test.ts
# turns it on for the runs it checks.
export NODE_DISABLE_COMPILE_CACHE=1
[ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ] || { echo "test:node24: node on PATH is $(node --version), not 24" >&2; exit 1; }
echo "test:node24: Node $(node --version), npm $(npm --version)" >&2
exec npm test
