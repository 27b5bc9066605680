// The CLIs enable V8's compile cache where Node has it (bin/compile-cache.js), in Node's default place:
// Node's own variables decide where it goes and whether it is used, and a CLI behaves the same with or
// without it. Every run here points it into a directory of the test's, which is removed after.
// Runs on the Node of the suite: Node 20 has no compile cache (nothing may be written), Node 24 has one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './support/cli.js';
import { tempDir } from './support/temp.js';

const HAS_CACHE = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** The environment of the test run without Node's compile-cache variables, plus `env`. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  delete clean.NODE_COMPILE_CACHE;
  delete clean.NODE_DISABLE_COMPILE_CACHE;
  return { ...clean, NO_COLOR: '1', ...env };
}

function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [join(ROOT, 'bin', bin), ...args], { encoding: 'utf8', env: cleanEnv(env) });
}

/** Every file under a directory, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

describe('compile cache of the CLIs', () => {
  it(`goes to Node's default place, node-compile-cache in the temp directory (${HAS_CACHE ? `Node ${process.versions.node} writes it` : `Node ${process.versions.node} has none: nothing is written`})`, () => {
    const tmp = tempDir('tmp');
    const r = run('aixcl-synth.js', ['--help'], { TMPDIR: tmp });
    assert.equal(r.status, 0, r.stderr);
    const cache = join(tmp, 'node-compile-cache');
    if (HAS_CACHE) assert.ok(existsSync(cache) && files(cache).length > 0, `no compile cache in ${cache}`);
    else assert.deepEqual(files(tmp), [], 'something was written on a Node without a compile cache');
  });

  it('goes where NODE_COMPILE_CACHE says, and nowhere with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const tmp = tempDir('tmp');
    const chosen = tempDir('cache');
    let r = run('aixcl-synth.js', ['--help'], { TMPDIR: tmp, NODE_COMPILE_CACHE: chosen });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(files(tmp), [], 'written in the temp directory although NODE_COMPILE_CACHE says elsewhere');
    assert.equal(files(chosen).length > 0, HAS_CACHE);
    const off = tempDir('cache');
    r = run('aixcl-synth.js', ['--help'], { TMPDIR: tmp, NODE_COMPILE_CACHE: off, NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(files(off), []);
    assert.deepEqual(files(tmp), []);
  });

  it('changes nothing a user sees: output, messages and exit codes are the same with and without it', () => {
    const out = tempDir('out');
    const cases: Array<[string, string[]]> = [
      ['aixcl-synth.js', ['--help']],
      ['aixcl-logs.js', ['--help']],
      ['aixcl-deploy.js', ['--help']],
      // A usage error: exit 2 and one message, through the bundle imported after the cache is enabled.
      ['aixcl-synth.js', ['--stack', join(out, 'missing.ts'), '--out', join(out, 'o')]],
    ];
    for (const [bin, args] of cases) {
      const cached = run(bin, args, { NODE_COMPILE_CACHE: tempDir('cache') });
      const plain = run(bin, args, { NODE_COMPILE_CACHE: tempDir('cache'), NODE_DISABLE_COMPILE_CACHE: '1' });
      assert.equal(cached.status, plain.status, `${bin} ${args.join(' ')}`);
      assert.equal(cached.stdout, plain.stdout, `${bin} ${args.join(' ')}`);
      assert.equal(cached.stderr, plain.stderr, `${bin} ${args.join(' ')}`);
    }
    const missing = run('aixcl-synth.js', ['--stack', join(out, 'missing.ts'), '--out', join(out, 'o')], { NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^error: stack file .*missing\.ts not found/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });
});
