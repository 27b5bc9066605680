/**
 * The supported runtimes, as `engines` declares them, are the ones CI runs: `npm test` on the
 * machine's Node (20) and `npm run test:node24:docker26` on Node 24 (see .ci/run). These tests keep the
 * declaration honest: the Node running them is in range, and no runtime dependency asks for more
 * than the range promises.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import semver from 'semver';
import { ROOT } from './support/cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; engines?: Record<string, string> | string[] }>;
};

/** A package's `engines.node` as the lockfile records it (an object, or the old array form `["node >= 4"]`). */
function nodeRange(engines: Record<string, string> | string[] | undefined): string | undefined {
  if (!engines) return undefined;
  if (Array.isArray(engines)) return engines.find((e) => /^node\b/.test(e))?.replace(/^node\s*/, '');
  return engines.node;
}

describe('supported Node.js versions', () => {
  it('engines.node is a valid range and the Node running the tests is in it', () => {
    assert.ok(semver.validRange(pkg.engines.node), `engines.node '${pkg.engines.node}' is not a semver range`);
    assert.ok(semver.satisfies(process.version, pkg.engines.node), `Node ${process.version} is outside engines.node '${pkg.engines.node}'`);
  });

  it('every runtime dependency supports the whole engines.node range (the lockfile records what each asks for)', () => {
    const runtime = Object.entries(lock.packages).filter(([path, p]) => path.startsWith('node_modules/') && !p.dev);
    assert.ok(runtime.length > 20, `${runtime.length} runtime packages in package-lock.json`);
    const narrower = runtime.flatMap(([path, p]) => {
      const range = nodeRange(p.engines);
      if (range === undefined || semver.subset(pkg.engines.node, range)) return [];
      return [`${path.replace(/^.*node_modules\//, '')}@${p.version} needs node ${range}`];
    });
    assert.deepEqual(narrower, [], `engines.node '${pkg.engines.node}' promises more than these give: raise it, or keep their older lines`);
  });

  it('a dependency that needs a newer Node is caught by that check', () => {
    // lezer-logql 0.4 declares node >=24, commander 15 >=22.12: the lines this project keeps back.
    assert.equal(semver.subset(pkg.engines.node, '>=24'), false);
    assert.equal(semver.subset(pkg.engines.node, '>=22.12.0'), false);
    assert.equal(nodeRange(['node >= 0.10']), '>= 0.10');
  });
});
