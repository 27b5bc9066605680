// The CLIs enable V8's compile cache where Node has it (bin/compile-cache.js): Node's own variables
// decide where it goes and whether it is used, and a CLI behaves the same with or without it.
// Runs on the Node of the suite: Node 20 has no compile cache (nothing may be written), Node 24 has one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
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

/**
 * A copy of the package's bin/ beside its real dist/ (a link), in a directory of its own: where the
 * CLIs put their cache by default (node_modules/.cache beside bin/) can be looked at without touching
 * the checkout's.
 */
function packageCopy(): string {
  const pkg = tempDir('pkg');
  cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'dist'), join(pkg, 'dist'));
  mkdirSync(join(pkg, 'node_modules'));
  return pkg;
}

describe('compile cache of the CLIs', () => {
  it(`goes under node_modules/.cache/aixcl-cdk beside the package (${HAS_CACHE ? `Node ${process.versions.node} writes it` : `Node ${process.versions.node} has none: nothing is written`})`, () => {
    const pkg = packageCopy();
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'aixcl-synth.js'), '--help'], { encoding: 'utf8', env: cleanEnv({}) });
    assert.equal(r.status, 0, r.stderr);
    const cache = join(pkg, 'node_modules', '.cache', 'aixcl-cdk', 'compile');
    if (HAS_CACHE) assert.ok(existsSync(cache) && files(cache).length > 0, `no compile cache in ${cache}`);
    else assert.equal(existsSync(join(pkg, 'node_modules', '.cache')), false, 'a cache directory was made on a Node without a compile cache');
  });

  it('goes where NODE_COMPILE_CACHE says, and nowhere with NODE_DISABLE_COMPILE_CACHE=1', () => {
    const pkg = packageCopy();
    const chosen = tempDir('cache');
    let r = spawnSync(process.execPath, [join(pkg, 'bin', 'aixcl-synth.js'), '--help'], { encoding: 'utf8', env: cleanEnv({ NODE_COMPILE_CACHE: chosen }) });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(existsSync(join(pkg, 'node_modules', '.cache')), false, 'written beside the package although NODE_COMPILE_CACHE says elsewhere');
    assert.equal(files(chosen).length > 0, HAS_CACHE);
    const off = tempDir('cache');
    r = spawnSync(process.execPath, [join(pkg, 'bin', 'aixcl-synth.js'), '--help'], {
      encoding: 'utf8',
      env: cleanEnv({ NODE_COMPILE_CACHE: off, NODE_DISABLE_COMPILE_CACHE: '1' }),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(files(off), []);
    assert.equal(existsSync(join(pkg, 'node_modules', '.cache')), false);
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
      const plain = run(bin, args, { NODE_DISABLE_COMPILE_CACHE: '1' });
      assert.equal(cached.status, plain.status, `${bin} ${args.join(' ')}`);
      assert.equal(cached.stdout, plain.stdout, `${bin} ${args.join(' ')}`);
      assert.equal(cached.stderr, plain.stderr, `${bin} ${args.join(' ')}`);
    }
    const missing = run('aixcl-synth.js', ['--stack', join(out, 'missing.ts'), '--out', join(out, 'o')], {});
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^error: stack file .*missing\.ts not found/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });
});
