import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { App, checkLogQL, checkPromQL, Loki, Prometheus, Promtail, Stack, Testing } from '../src/index.js';
import { loadApp } from '../src/cli/load-stack.js';
import { tempDir } from './support/temp.js';

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

/** Every ```promql block, and every code span in the PromQL column of a table. */
function promqlOf(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  const cells: string[] = [];
  let column = -1;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      column = -1;
      continue;
    }
    const row = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    if (column < 0) column = row.indexOf('PromQL');
    else if (row[column] && !/^-+$/.test(row[column])) cells.push(...[...row[column].matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\\\|/g, '|')));
  }
  return [...blocks, ...cells];
}

/** Type-checks stack files as a project made by `aixcl-synth init` does (its tsconfig.json), so a docs example cannot drift from the types. */
function typeCheck(files: string[]): void {
  const tsconfig = JSON.parse(read('templates/stack-project/tsconfig.json.tmpl')).compilerOptions as Record<string, unknown>;
  const flags = Object.entries(tsconfig).flatMap(([k, v]) => (Array.isArray(v) ? [`--${k}`, v.join(',')] : v === true ? [`--${k}`] : [`--${k}`, String(v)]));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), ...flags, ...files], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, `type errors:\n${r.stdout}${r.stderr}`);
}

describe('docs', () => {
  for (const doc of DOCS) {
    test(`every LogQL expression in ${doc} parses`, () => {
      const queries = logqlOf(read(doc));
      // The logs dashboard's variables ($service, $search) appear in the queries the docs quote from it.
      const bad = queries.map((q) => [q, checkLogQL(q, { variables: ['service', 'search'] })] as const).filter(([, e]) => e !== undefined);
      assert.deepEqual(bad, [], bad.map(([q, e]) => `${q}\n  ${e}`).join('\n'));
    });
  }

  test("every LogQL stream selector in the docs uses labels and the project the default stack's Loki receives", async () => {
    const app = await loadApp(join(ROOT, 'stacks', 'aixcl.ts'));
    // The stack file imports the built package: find its Loki by shape, not by class.
    const loki = app.stacks[0].node.findAll().find((c) => typeof (c as { streamLabels?: unknown }).streamLabels === 'function') as
      { streamLabels(): readonly string[] | undefined; collectedProjects(): { label: string; projects: readonly string[] } | undefined } | undefined;
    assert.ok(loki, 'the default stack has a Loki');
    const streamLabels = loki.streamLabels();
    const projects = loki.collectedProjects();
    assert.ok(streamLabels && projects);
    // Queries shown as the logs dashboard runs them use its variables.
    const options = { streamLabels, labelValues: { [projects.label]: projects.projects }, variables: ['service', 'search', 'level'] };
    // The syntax table's `{label="v"}` is a placeholder, not a query.
    const bad = DOCS.flatMap((d) => logqlOf(read(d)))
      .filter((q) => !/^\{label=/.test(q))
      .map((q) => [q, checkLogQL(q, options)] as const)
      .filter(([, e]) => e !== undefined);
    assert.deepEqual(bad, [], bad.map(([q, e]) => `${q}\n  ${e}`).join('\n'));
    assert.notEqual(checkLogQL('{container_name="aixcl-loki-1"}', options), undefined);
  });

  test("LOGGING.md's alert examples synthesize as written", () => {
    const text = read('LOGGING.md').split('## Alerts and recording rules')[1];
    const examples = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.equal(examples.length, 2);
    const rulesExample = examples.find((e) => e.includes('new RuleGroup('));
    const receiversExample = examples.find((e) => e.includes('new AixclStack('));
    assert.ok(rulesExample && receiversExample);
    // Inside the package so that `import ... from 'aixcl-cdk'` resolves to this package.
    const dir = mkdtempSync(join(ROOT, 'test', 'fixtures', '.logging-'));
    try {
      // The rules example continues a stack with a service `api` and logging whose ruler writes to a Prometheus.
      const setup = [
        'const app = new App();',
        "const stack = new Stack(app, 'shop');",
        "const api = new Service(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0' });",
        "const logging = new Logging(stack, 'logging', { loki: { ruler: { remoteWrite: new Prometheus(stack, 'prometheus') } } });",
      ];
      const namesOf = (ex: string) => [...ex.matchAll(/^import \{ ([^}]*) \} from 'aixcl-cdk';$/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
      const body = (ex: string) => ex.replace(/^import .*$/gm, '');
      const program = (names: string[], lines: string[], ex: string) =>
        `import { ${[...new Set([...names, ...namesOf(ex)])].join(', ')} } from 'aixcl-cdk';\n${lines.join('\n')}\n${body(ex)}\nexport default app;\n`;
      const first = join(dir, 'rules.ts');
      writeFileSync(first, program(['App', 'Logging', 'Prometheus', 'Service', 'Stack'], setup, rulesExample));
      const second = join(dir, 'receivers.ts');
      writeFileSync(second, program([], [], receiversExample));
      typeCheck([first, second]);
      for (const file of [first, second]) {
        const out = join(tempDir('logging'), 'out');
        const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', file, '--out', out], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${file}:\n${r.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
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

  test("every PromQL expression in the docs parses, with the labels of the default stack's series", async () => {
    const app = await loadApp(join(ROOT, 'stacks', 'aixcl.ts'));
    // The stack file imports the built package: find its Prometheus by shape, not by class.
    const prometheus = app.stacks[0].node
      .findAll()
      .find((c): c is Prometheus => c.node.id === 'prometheus' && typeof (c as Partial<Prometheus>).seriesLabels === 'function');
    assert.ok(prometheus, 'the default stack has a Prometheus');
    const queries = DOCS.flatMap((d) => promqlOf(read(d)));
    assert.ok(queries.length >= 5, `only ${queries.length} PromQL examples: ${queries.join(', ')}`);
    const bad = queries.map((q) => [q, checkPromQL(q, { seriesLabels: (m) => prometheus.seriesLabels(m) })] as const).filter(([, e]) => e !== undefined);
    assert.deepEqual(bad, [], bad.map(([q, e]) => `${q}\n  ${e}`).join('\n'));
    // Guards against a checker that accepts anything: a label no cAdvisor series has.
    assert.notEqual(checkPromQL('container_start_time_seconds{container_name="x"}', { seriesLabels: (m) => prometheus.seriesLabels(m) }), undefined);
  });

  test('the checker used on the docs does reject a broken query', () => {
    // Guards the test above against a checker that accepts anything.
    assert.notEqual(checkLogQL('{compose_service="postgres" |~ "error"'), undefined);
  });

  test("the README's table of the default stack's services matches the generated compose file", async () => {
    const app = await loadApp(join(ROOT, 'stacks', 'aixcl.ts'));
    const compose = parse(Testing.synth(app.stacks[0])['docker-compose.yml']);
    const table = read('README.md')
      .split('## The default stack')[1]
      .split('\n')
      .filter((l) => /^\| [a-z-]+ \| \d+ \|/.test(l));
    const rows = table.map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
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

  test("LOGGING.md's error-panel query and MONITORING.md's dashboard titles are the generated ones", async () => {
    const app = await loadApp(join(ROOT, 'stacks', 'aixcl.ts'));
    const files = Testing.synth(app.stacks[0]);
    const board = (f: string) =>
      JSON.parse(files[`grafana/provisioning/dashboards/${f}`]!) as { title: string; panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    const errorPanel = board('logs-dashboard.json').panels.find((p) => p.title === 'Error rate by service')!;
    const shown = /error-rate panel does exactly this:[\s\S]*?```logql\n(.*)\n```/.exec(read('LOGGING.md'))?.[1];
    assert.equal(shown, errorPanel.targets![0]!.expr);
    const listed = [...read('MONITORING.md').matchAll(/^- \*\*([^*]+)\*\* \(`([\w-]+\.json)`\)/gm)];
    assert.ok(listed.length >= 2);
    for (const [, title, file] of listed) assert.equal(title, board(file!).title, `MONITORING.md names ${file} '${title}'`);
  });

  test("LOGGING.md's Podman advice: a socket path expanded by Node is mounted as is; a $VAR in it is refused with the fix", () => {
    const advice = /dockerSocket: `\$\{process\.env\.XDG_RUNTIME_DIR\}\/podman\/podman\.sock`/;
    assert.match(read('LOGGING.md'), advice);
    const sourceOf = (dockerSocket: string) => {
      const app = new App();
      const stack = new Stack(app, 'demo');
      new Promtail(stack, 'promtail', { loki: new Loki(stack, 'loki'), dockerSocket });
      const doc = parse(Testing.synth(stack)['docker-compose.yml']);
      return doc.services.promtail.volumes.find((v: { target: string }) => v.target === '/var/run/docker.sock').source;
    };
    const runtimeDir = '/run/user/1000';
    assert.equal(sourceOf(`${runtimeDir}/podman/podman.sock`), '/run/user/1000/podman/podman.sock');
    assert.throws(
      () => sourceOf('$XDG_RUNTIME_DIR/podman/podman.sock'),
      (e: Error) =>
        e.message.includes(
          "[demo/promtail] dockerSocket: '$XDG_RUNTIME_DIR/podman/podman.sock' holds $XDG_RUNTIME_DIR, which Docker does not expand: write the path with its value (in a stack file: `${process.env.XDG_RUNTIME_DIR}/...`)",
        ),
    );
  });

  test("MONITORING.md's custom dashboard example synthesizes as written: its panel, the panel's link to logs, logs linked to metrics", () => {
    const example = /```ts\n(\/\/ stacks\/custom-dashboard\.ts[\s\S]*?)```/.exec(read('MONITORING.md'));
    assert.ok(example, 'MONITORING.md example not found');
    const dir = mkdtempSync(join(ROOT, 'test', 'fixtures', '.monitoring-'));
    const outBase = mkdtempSync(join(tmpdir(), 'aixcl-monitoring-'));
    try {
      const file = join(dir, 'custom-dashboard.ts');
      writeFileSync(file, example[1]);
      typeCheck([file]);
      const out = join(outBase, 'out');
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', file, '--out', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const board = JSON.parse(readFileSync(join(out, 'grafana/provisioning/dashboards/api-dashboard.json'), 'utf8'));
      assert.equal(board.uid, 'shop-api');
      const [panel] = board.panels;
      assert.equal(panel.title, 'API requests per second');
      assert.deepEqual(panel.datasource, { type: 'prometheus', uid: 'prometheus' });
      assert.match(panel.targets[0].expr, /http_requests_total\{job="api"\}/);
      const logs = JSON.parse(readFileSync(join(out, 'grafana/provisioning/dashboards/logs-dashboard.json'), 'utf8'));
      assert.equal(panel.fieldConfig.defaults.links[0].url, `/d/${logs.uid}?var-service=api&\${__url_time_range}`);
      const datasources = parse(readFileSync(join(out, 'grafana/provisioning/datasources/loki-datasource.yml'), 'utf8'));
      const loki = datasources.datasources.find((d: { type: string }) => d.type === 'loki');
      assert.equal(loki.jsonData.derivedFields[0].datasourceUid, 'prometheus', 'log lines link to the Prometheus datasource');
      // The API's metrics are scraped by the stack's Prometheus.
      assert.match(readFileSync(join(out, 'prometheus/prometheus.yml'), 'utf8'), /job_name: api/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outBase, { recursive: true, force: true });
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
      const out = join(tempDir('readme'), 'out');
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
