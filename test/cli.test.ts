import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, synthCli } from './support/cli.js';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);

const tmp = () => mkdtempSync(join(tmpdir(), 'aixcl-cli-'));

/** A user's mistake is one message, never a stack trace. */
function assertNoTrace(stderr: string) {
  assert.doesNotMatch(stderr, /^\s+at /m, `stack trace printed:\n${stderr}`);
}

describe('aixcl-synth', () => {
  test('--help describes the options and the init command', () => {
    const r = synthCli(['--help']);
    assert.equal(r.code, 0);
    for (const s of ['--stack <file>', '--out <dir>', '--context', 'init [options] <dir>', 'Exit codes']) assert.ok(r.stdout.includes(s), s);
  });

  test('synthesizes a stack file into --out and lists what it wrote', () => {
    const out = join(tmp(), 'out');
    const r = synthCli(['--stack', fixture('tiny-stack.ts'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /docker-compose\.yml/);
    assert.match(r.stdout, /aixcl-manifest\.json/);
    assert.match(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), /^name: tiny$/m);
  });

  test('a stack file exporting a function gets the -c context', () => {
    const out = join(tmp(), 'out');
    const r = synthCli(['--stack', fixture('function-export.ts'), '--out', out, '-c', 'project=from-context']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), /^name: from-context$/m);
  });

  test('the logging-only stack attaches to the project named with -c project=...', () => {
    const out = join(tmp(), 'out');
    const r = synthCli(['--stack', join(ROOT, 'stacks', 'logging-only.ts'), '--out', out, '-c', 'project=shop']);
    assert.equal(r.code, 0, r.stderr);
    const promtail = parse(readFileSync(join(out, 'promtail', 'promtail-config.yml'), 'utf8'));
    assert.deepEqual(promtail.scrape_configs[0].docker_sd_configs[0].filters[0].values, ['com.docker.compose.project=shop']);
    const compose = parse(readFileSync(join(out, 'docker-compose.yml'), 'utf8'));
    assert.equal(compose.name, 'shop-logging');
    assert.deepEqual(Object.keys(compose.services).sort(), ['grafana', 'loki', 'promtail']);
    const dashboard = JSON.parse(readFileSync(join(out, 'grafana/provisioning/dashboards/logs-dashboard.json'), 'utf8'));
    assert.match(JSON.stringify(dashboard.panels), /compose_project=\\"shop\\"/, 'the dashboard queries the collected project');

    const missing = synthCli(['--stack', join(ROOT, 'stacks', 'logging-only.ts'), '--out', join(tmp(), 'o')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /name the Compose project to collect logs from: -c project=<name>/);
  });

  test('same stack, same bytes', () => {
    const [a, b] = [join(tmp(), 'a'), join(tmp(), 'b')];
    assert.equal(synthCli(['--stack', fixture('tiny-stack.ts'), '--out', a]).code, 0);
    assert.equal(synthCli(['--stack', fixture('tiny-stack.ts'), '--out', b]).code, 0);
    for (const f of readdirSync(a)) assert.equal(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'), f);
  });

  test("without --out it writes to the App's outdir", () => {
    const dir = tmp();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', fixture('outdir-stack.ts')], {
      encoding: 'utf8',
      env: { ...process.env, AIXCL_TEST_OUTDIR: join(dir, 'build') },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'build', 'docker-compose.yml')));
  });

  const failures: Array<[string, () => string[], RegExp]> = [
    ['a stack file that throws', () => ['--stack', fixture('throws.ts')], /the stack file .*throws\.ts failed to load: database host not configured \(at .*throws\.ts:4/],
    ['a stack file without a default export', () => ['--stack', fixture('no-export.ts')], /does not export a stack: end it with `export default app`/],
    ['a stack file that does not exist', () => ['--stack', fixture('missing.ts')], /stack file .*missing\.ts not found/],
    ['an invalid stack', () => ['--stack', fixture('invalid.ts')], /1 problem in the stack; nothing was written:\n {2}\[tiny\] host port 8080\/tcp is used by tiny\/a and tiny\/b/],
    ['a context that is not key=value', () => ['--stack', fixture('function-export.ts'), '-c', 'oops'], /context 'oops' is not key=value/],
    ['a mistyped context value', () => ['-c', 'network=brige'], /context network=brige is not one of host, bridge/],
    ['an unknown context key', () => ['-c', 'projct=x'], /unknown context 'projct': this stack file takes -c project=\.\.\., -c network=\.\.\./],
    ['context for a stack file that takes none', () => ['--stack', fixture('tiny-stack.ts'), '-c', 'project=x'], /does not take context .* so -c project would be ignored/],
  ];
  for (const [name, args, message] of failures) {
    test(`${name}: one clear message, exit 1, nothing written`, () => {
      const out = join(tmp(), 'out');
      const r = synthCli([...args(), '--out', out]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assertNoTrace(r.stderr);
      assert.equal(existsSync(out), false);
    });
  }

  test('an invalid stack leaves an earlier output untouched', () => {
    const out = join(tmp(), 'out');
    assert.equal(synthCli(['--stack', fixture('tiny-stack.ts'), '--out', out]).code, 0);
    const before = readFileSync(join(out, 'docker-compose.yml'), 'utf8');
    assert.equal(synthCli(['--stack', fixture('invalid.ts'), '--out', out]).code, 1);
    assert.equal(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), before);
  });

  test('an output path that is a file', () => {
    const file = join(tmp(), 'taken');
    writeFileSync(file, 'mine');
    const r = synthCli(['--stack', fixture('tiny-stack.ts'), '--out', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the output path .*taken is a file: give a directory with --out/);
    assertNoTrace(r.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'mine');
  });
});
