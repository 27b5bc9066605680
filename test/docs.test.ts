import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkLogQL, checkPromQL, Testing } from '../src/index.js';
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

/** Every ```promql block, and every cell of a table column headed "PromQL" (table cells unescaped). */
function promqlOf(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  const cells: string[] = [];
  const lines = markdown.split('\n');
  lines.forEach((line, i) => {
    const header = splitRow(line);
    const col = header.indexOf('PromQL');
    if (col < 0 || !/^\|[-| ]+\|$/.test(lines[i + 1] ?? '')) return;
    for (let j = i + 2; j < lines.length && lines[j].startsWith('|'); j++) {
      for (const m of (splitRow(lines[j])[col] ?? '').matchAll(/`([^`]+)`/g)) cells.push(m[1].replace(/\\\|/g, '|'));
    }
  });
  return [...blocks, ...cells];
}

/** The cells of a markdown table row (an escaped `\|` stays in its cell). */
function splitRow(line: string): string[] {
  if (!line.startsWith('|')) return [];
  return line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
}

describe('docs', () => {
  for (const doc of DOCS) {
    test(`every LogQL expression in ${doc} parses`, () => {
      const queries = logqlOf(read(doc));
      const bad = queries.map((q) => [q, checkLogQL(q)] as const).filter(([, e]) => e !== undefined);
      assert.deepEqual(bad, [], bad.map(([q, e]) => `${q}\n  ${e}`).join('\n'));
    });
  }

  for (const doc of DOCS) {
    test(`every PromQL expression in ${doc} parses`, () => {
      const queries = promqlOf(read(doc));
      const bad = queries.map((q) => [q, checkPromQL(q)] as const).filter(([, e]) => e !== undefined);
      assert.deepEqual(bad, [], bad.map(([q, e]) => `${q}\n  ${e}`).join('\n'));
    });
  }

  test('MONITORING.md has its PromQL checked, and the checker rejects a broken query', () => {
    assert.ok(promqlOf(read('MONITORING.md')).length >= 6);
    assert.notEqual(checkPromQL('sum(rate(container_cpu_usage_seconds_total[5m])'), undefined);
  });

  test("LOGGING.md's alert examples synthesize as written", () => {
    const text = read('LOGGING.md').split('## Alerts and recording rules')[1];
    const examples = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.equal(examples.length, 2);
    const dir = mkdtempSync(join(ROOT, 'test', 'fixtures', '.logging-'));
    try {
      // The first example continues a stack with a service `api` and logging wired to an Alertmanager.
      const setup = [
        'const app = new App();',
        "const stack = new Stack(app, 'shop');",
        "const api = new Service(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0' });",
        "const alertmanager = new Alertmanager(stack, 'alertmanager');",
        "const logging = new Logging(stack, 'logging', { loki: { ruler: { alertmanager, remoteWrite: new Prometheus(stack, 'prometheus') } } });",
      ];
      const namesOf = (ex: string) => [...ex.matchAll(/^import \{ ([^}]*) \} from 'aixcl-cdk';$/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
      const body = (ex: string) => ex.replace(/^import .*$/gm, '');
      const program = (names: string[], lines: string[], ex: string) =>
        `import { ${[...new Set(['App', ...names, ...namesOf(ex)])].join(', ')} } from 'aixcl-cdk';\n${lines.join('\n')}\n${body(ex)}\nexport default app;\n`;
      const first = join(dir, 'rules.ts');
      writeFileSync(first, program(['Alertmanager', 'Logging', 'Prometheus', 'Service', 'Stack'], setup, examples[0]));
      const second = join(dir, 'receivers.ts');
      writeFileSync(second, program([], ['const app = new App();'], examples[1]));
      for (const file of [first, second]) {
        const out = join(mkdtempSync(join(tmpdir(), 'aixcl-logging-')), 'out');
        const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', file, '--out', out], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${file}:\n${r.stderr}`);
        spawnSync('rm', ['-rf', join(out, '..')]);
      }
    } finally {
      spawnSync('rm', ['-rf', dir]);
    }
  });

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
