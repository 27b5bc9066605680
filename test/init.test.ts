import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { synthCli } from './support/cli.js';

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  // The scaffold's own `node --test` must not think it is a child of this test run.
  const { NODE_TEST_CONTEXT: _, ...clean } = env;
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: clean });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('aixcl-synth init', () => {
  test('scaffolds a project that installs, synthesizes and passes its own test as generated', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'aixcl-init-')), 'my-stack');
    const r = synthCli(['init', dir]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of ['package.json', 'stack.ts', 'test/stack.test.ts', '.gitignore', 'README.md']) {
      assert.ok(existsSync(join(dir, f)), `${f} missing`);
    }
    assert.match(readFileSync(join(dir, 'stack.ts'), 'utf8'), /new Stack\(app, 'my-stack'/);

    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir);
    assert.equal(install.code, 0, install.out);
    const synth = run('npm', ['run', 'synth'], dir);
    assert.equal(synth.code, 0, synth.out);
    assert.match(readFileSync(join(dir, 'out', 'promtail', 'promtail-config.yml'), 'utf8'), /com\.docker\.compose\.project=my-stack/);

    // First run writes the snapshot (as a developer's first `npm test` does), outside CI.
    const env = { ...process.env };
    delete env.CI;
    const first = run('npm', ['test'], dir, env);
    assert.equal(first.code, 0, first.out);
    assert.ok(existsSync(join(dir, 'test', '__snapshots__', 'stack.snap')));
    // Then, as in CI, the snapshot must match.
    const second = run('npm', ['test'], dir, { ...process.env, CI: 'true' });
    assert.equal(second.code, 0, second.out);
    assert.match(second.out, /# pass 2/);

    // A change to the stack is caught by the snapshot.
    const stackFile = join(dir, 'stack.ts');
    writeFileSync(stackFile, readFileSync(stackFile, 'utf8').replace('hostPort: 8088', 'hostPort: 8089'));
    const third = run('npm', ['test'], dir, { ...process.env, CI: 'true' });
    assert.notEqual(third.code, 0);
    assert.match(third.out, /docker-compose\.yml differ/);
  });

  test('refuses a path that is a file, without a stack trace', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aixcl-init-')), 'f');
    writeFileSync(file, 'mine');
    const r = synthCli(['init', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is a file: give a new directory to init/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  test('refuses a directory that is not empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aixcl-init-'));
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'keep.txt'), 'mine');
    const r = synthCli(['init', join(dir, 'x')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /exists and is not empty: give a new directory to init/);
    assert.equal(readFileSync(join(dir, 'x', 'keep.txt'), 'utf8'), 'mine');
  });
});
