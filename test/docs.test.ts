import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkLogQL, Testing } from '../src/index.js';
import { loadApp } from '../src/cli/load-stack.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = ['README.md', 'LOGGING.md', 'MONITORING.md'];
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

/** Every ```logql block, and every inline code span that starts a stream selector (table cells unescaped). */
function logqlOf(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```logql\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  const inline = [...prose.matchAll(/`(\{[^`]*)`/g)].map((m) => m[1].replace(/\\\|/g, '|'));
  return [...blocks, ...inline];
}

describe('docs', () => {
  for (const doc of DOCS) {
    test(`every LogQL expression in ${doc} parses`, () => {
      const queries = logqlOf(read(doc));
      const bad = queries.map((q) => [q, checkLogQL(q)] as const).filter(([, e]) => e !== undefined);
      assert.deepEqual(bad, [], bad.map(([q, e]) => `${q}\n  ${e}`).join('\n'));
    });
  }

  test('LOGGING.md has the four use cases of the feature request, and more', () => {
    const queries = logqlOf(read('LOGGING.md'));
    for (const q of [
      '{compose_service="postgres"} |~ "(?i)error|exception"',
      '{compose_service="postgres"} |~ "SELECT|INSERT|UPDATE|DELETE"',
      '{compose_service="ollama"} |~ "(?i)loading|model|inference"',
      '{compose_project="aixcl"} |~ "(?i)starting|started|ready"',
    ]) {
      assert.ok(queries.includes(q), `missing: ${q}`);
    }
    assert.ok(queries.length >= 15, `only ${queries.length} LogQL examples`);
  });

  test('the checker used on the docs does reject a broken query', () => {
    // Guards the test above against a checker that accepts anything.
    assert.notEqual(checkLogQL('{compose_service="postgres" |~ "error"'), undefined);
  });

  test("the README's table of the default stack's services matches the generated compose file", async () => {
    const app = await loadApp(join(ROOT, 'stacks', 'aixcl.ts'));
    const compose = parse(Testing.synth(app.stacks[0])['docker-compose.yml']);
    const table = read('README.md').split('## The default stack')[1].split('\n').filter((l) => /^\| [a-z-]+ \| \d+ \|/.test(l));
    const rows = table.map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    assert.deepEqual(rows.map((r) => r[0]).sort(), Object.keys(compose.services).sort());
    for (const [name, port, image, health] of rows) {
      const svc = compose.services[name];
      assert.ok(svc.image.startsWith(image), `${name}: image ${svc.image} is not ${image}`);
      assert.ok(JSON.stringify(svc).includes(port), `${name}: port ${port} not in its definition`);
      const probe = svc.healthcheck.test.join(' ');
      for (const word of (/`([^`]+)`/.exec(health)?.[1] ?? '').split(/\s+/).filter((w) => !['probe', 'of'].includes(w))) {
        assert.ok(probe.includes(word.replace(/^\//, '')), `${name}: README says '${health}', healthcheck is '${probe}'`);
      }
    }
  });

  test("the README's stack example synthesizes as written", () => {
    const example = /```ts\n(\/\/ stacks\/my-stack\.ts[\s\S]*?)```/.exec(read('README.md'));
    assert.ok(example, 'README example not found');
    // Inside the package so that `import ... from 'aixcl-cdk'` resolves to this package.
    const dir = mkdtempSync(join(ROOT, 'test', 'fixtures', '.readme-'));
    try {
      const file = join(dir, 'my-stack.ts');
      writeFileSync(file, example[1]);
      const out = join(mkdtempSync(join(tmpdir(), 'aixcl-readme-')), 'out');
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', file, '--out', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const compose = readFileSync(join(out, 'docker-compose.yml'), 'utf8');
      assert.match(compose, /^name: shop$/m);
      assert.match(compose, /SHOP_DB_PASSWORD:\?/);
      assert.match(readFileSync(join(out, 'loki', 'loki-config.yml'), 'utf8'), /retention_period: 336h/);
    } finally {
      spawnSync('rm', ['-rf', dir]);
    }
  });
});
