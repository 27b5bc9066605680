/**
 * Issue 17's "Done means", items 1-4, on the REAL Loki and Alloy, when the environment names their images:
 * AIXCL_REAL_LOKI_IMAGE (e.g. a local grafana/loki:3.7.6) and AIXCL_REAL_ALLOY_IMAGE (e.g. a local
 * grafana/alloy:v1.19.0-rc.3). Without both, the test says so and is skipped (never passed on nothing).
 *
 * A bridge stack synthesized with the library: a Postgres-like and an Ollama-like service (a busybox image
 * built here, printing lines in the formats the Postgres and Ollama constructs declare), the real Loki and
 * Alloy through `Logging` (OTLP published), and Grafana as a stand-in. Then, against Loki's HTTP API:
 * 1. the seed's four LogQL use cases return lines;
 * 2. Postgres's `ERROR:` lines carry `level` and `detected_level` error;
 * 3. a statement over three lines (continuations start with a tab, elog.c append_with_tabs) is one entry;
 * 4. an OTLP log sent to Alloy's published OTLP/HTTP port is queryable by its `service_name`, with the
 *    project's `compose_project` label.
 * Everything started (containers, volumes, network, the busybox image, the output directory) is removed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { App, Grafana, Logging, NetworkMode, ollamaLogFormat, postgresLogFormat, Service, Stack, writeSynthesis } from '../src/index.js';
import { targetsFromSynthesis } from '../src/deploy/target.js';
import { deployUp } from '../src/deploy/up.js';
import { cleanupProject, freePort, requireDocker } from './support/docker.js';
import { run } from './support/run.js';
import { buildStandIns, standInFor, standInName } from './support/standins.js';
import { tempDir } from './support/temp.js';

const LOKI_IMAGE = process.env.AIXCL_REAL_LOKI_IMAGE;
const ALLOY_IMAGE = process.env.AIXCL_REAL_ALLOY_IMAGE;
const why =
  LOKI_IMAGE && ALLOY_IMAGE ? '' : 'set AIXCL_REAL_LOKI_IMAGE and AIXCL_REAL_ALLOY_IMAGE to local images of the real Loki (3.7.x) and Alloy to run it';

const id = randomBytes(3).toString('hex');
const project = `alloy-real-${id}`;
/** Never a real image's name (see support/standins.ts). */
const linesImage = `local/e2e-alloy-real-${id}:1`;
const ROUNDS = 3;

// The Postgres image's default log_line_prefix '%m [%p] ' (millisecond time, zone, pid), two spaces after the
// severity; a multi-line message continues on lines that start with a tab (elog.c, append_with_tabs).
const PG_SCRIPT = `#!/bin/sh
ts() { date -u '+%Y-%m-%d %H:%M:%S.000 UTC'; }
echo "$(ts) [1] LOG:  database system is ready to accept connections"
for n in $(seq ${ROUNDS}); do
  echo "$(ts) [125] ERROR:  relation \\"x\\" does not exist at character 15"
  echo "$(ts) [125] STATEMENT:  SELECT * FROM x"
  printf '%s [126] LOG:  statement: SELECT id,\\n\\t  name\\n\\t FROM multi_%s\\n' "$(ts)" "$n"
  echo "$(ts) [127] LOG:  statement: INSERT INTO t VALUES ($n)"
  sleep 1
done
exec sleep 3600
`;
// Ollama's slog text handler (see ollamaLogFormat).
const OLLAMA_SCRIPT = `#!/bin/sh
ts() { date -u '+%Y-%m-%dT%H:%M:%SZ'; }
echo "time=$(ts) level=INFO source=routes.go:1475 msg=\\"starting ollama server\\""
echo "time=$(ts) level=INFO source=sched.go:200 msg=\\"loading model\\" model=llama3"
exec sleep 3600
`;

let loki = '';
let otlpHttp = 0;

before(async () => {
  if (why) return;
  const e = await requireDocker();
  for (const image of [LOKI_IMAGE!, ALLOY_IMAGE!]) {
    const found = await run('docker', ['image', 'inspect', image], { reject: false });
    assert.equal(found.exitCode, 0, `${image} (from AIXCL_REAL_*_IMAGE) is not a local image: load or build it first`);
  }
  const ctx = tempDir('lines-image');
  copyFileSync('/bin/busybox', join(ctx, 'busybox'));
  for (const [name, text] of [
    ['pg.sh', PG_SCRIPT],
    ['ollama.sh', OLLAMA_SCRIPT],
  ]) {
    writeFileSync(join(ctx, name), text);
    chmodSync(join(ctx, name), 0o755);
  }
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCOPY pg.sh ollama.sh /\n');
  await run('docker', ['build', '-q', '-t', linesImage, ctx]);
  const grafanaImage = standInName('grafana/grafana:13.0.0');
  await buildStandIns(e.docker, [standInFor(grafanaImage)]);

  // Free host ports: another stack on this machine may hold the defaults (3100, 12345, 4317, 4318, 3000).
  const [lokiPort, alloyPort, grpcPort, httpPort, grafanaPort] = await distinctFreePorts(5);
  const app = new App();
  const stack = new Stack(app, project, { networkMode: NetworkMode.BRIDGE });
  new Service(stack, 'postgres', { image: linesImage, serviceName: 'postgres', command: ['/pg.sh'], logFormat: postgresLogFormat() });
  new Service(stack, 'ollama', { image: linesImage, serviceName: 'ollama', command: ['/ollama.sh'], logFormat: ollamaLogFormat() });
  const grafana = new Grafana(stack, 'grafana', { image: grafanaImage, port: grafanaPort });
  new Logging(stack, 'logging', {
    loki: { image: LOKI_IMAGE, port: lokiPort },
    alloy: { image: ALLOY_IMAGE, port: alloyPort, otlp: { publish: true, grpcPort, httpPort } },
    grafana,
  });
  const out = tempDir('alloy-real-out');
  const stacks = app.synthesize();
  const [target] = targetsFromSynthesis(stacks, out);
  const result = await deployUp(target, {
    engine: e,
    variables: { GRAFANA_ADMIN_PASSWORD: 'test-admin' },
    writeFiles: () => {
      writeSynthesis(out, stacks);
    },
  });
  assert.equal(
    result.outcome,
    'ok',
    JSON.stringify(
      result.services.filter((s) => s.outcome !== 'healthy' && s.outcome !== 'running'),
      null,
      2,
    ),
  );
  loki = `http://127.0.0.1:${lokiPort}`;
  otlpHttp = httpPort;
});

after(async () => {
  if (why) return;
  await cleanupProject(project);
  await run('docker', ['rmi', '-f', linesImage], { reject: false });
});

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

interface Entry {
  readonly labels: Record<string, string>;
  readonly line: string;
}

/** A log query over the last hour (Loki's query_range; `/query` refuses log queries since 3.2). */
async function query(logql: string): Promise<Entry[]> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const params = new URLSearchParams({ query: logql, start: String(now - 3_600_000_000_000n), end: String(now + 60_000_000_000n), limit: '1000' });
  const res = await fetch(`${loki}/loki/api/v1/query_range?${params}`);
  const text = await res.text();
  assert.equal(res.status, 200, `${logql}: ${text}`);
  const body = JSON.parse(text) as { data: { result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> } };
  return body.data.result.flatMap((s) => s.values.map(([, line]) => ({ labels: s.stream, line })));
}

/** Polls until the query returns `count` entries (or at least one when undefined); the last answer otherwise. */
async function until(logql: string, count?: number): Promise<Entry[]> {
  let got: Entry[] = [];
  for (let i = 0; i < 120; i++) {
    got = await query(logql);
    if (count === undefined ? got.length > 0 : got.length >= count) return got;
    await new Promise((r) => setTimeout(r, 500));
  }
  return got;
}

const pg = `{compose_project="${project}", compose_service="postgres"}`;

test('the seed use cases, Postgres levels and multi-line entries, and OTLP intake, on the real Loki and Alloy', async (t) => {
  if (why) {
    t.diagnostic(`NOT RUN against the real Loki and Alloy: ${why}`);
    t.skip(why);
    return;
  }
  await t.test("1. the seed's four LogQL use cases return lines", async () => {
    const cases: Array<[string, RegExp]> = [
      [`{compose_project="${project}", compose_service="postgres"} |~ "(?i)error|exception"`, /ERROR: {2}relation "x" does not exist/],
      [`{compose_project="${project}", compose_service="postgres"} |~ "SELECT|INSERT|UPDATE|DELETE"`, /statement: INSERT INTO t/],
      [`{compose_project="${project}", compose_service="ollama"} |~ "(?i)loading|model|inference"`, /msg="loading model"/],
      [`{compose_project="${project}"} |~ "(?i)starting|started|ready"`, /database system is ready to accept connections/],
    ];
    for (const [logql, expected] of cases) {
      const got = await until(logql);
      assert.ok(
        got.some((e) => expected.test(e.line)),
        `${logql}: ${JSON.stringify(got.map((e) => e.line))}`,
      );
    }
  });

  await t.test("2. Postgres's ERROR: lines carry level and detected_level error", async () => {
    const errors = await until(`${pg} |= "ERROR:"`, ROUNDS);
    assert.equal(errors.length, ROUNDS, JSON.stringify(errors));
    for (const e of errors) {
      assert.equal(e.labels.level, 'error', JSON.stringify(e));
      assert.equal(e.labels.detected_level, 'error', JSON.stringify(e));
    }
    // Selected by the structured metadata: the same entries, and none of the LOG lines.
    assert.deepEqual((await query(`${pg} | level="error"`)).map((e) => e.line).sort(), errors.map((e) => e.line).sort());
    // The STATEMENT: line that follows an error belongs to it (a secondary line joins its entry).
    for (const e of errors) assert.match(e.line, /\n.* \[125\] STATEMENT: {2}SELECT \* FROM x$/);
  });

  await t.test('3. a statement over three lines is one entry', async () => {
    const multi = await until(`${pg} |= "FROM multi_"`, ROUNDS);
    assert.deepEqual(
      multi.map((e) => e.line.replace(/^[\d :.-]+UTC /, '')).sort(),
      Array.from({ length: ROUNDS }, (_, i) => `[126] LOG:  statement: SELECT id,\n\t  name\n\t FROM multi_${i + 1}`),
    );
    // No continuation line arrived as an entry of its own.
    assert.deepEqual(await query(`${pg} |~ "^\\t"`), []);
  });

  await t.test('4. an OTLP log sent to Alloy is queryable by its service_name, under the project', async () => {
    const service = `billing-${id}`;
    const body = {
      resourceLogs: [
        {
          // As the SDK of a service with otlp: true sends it (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES).
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: service } },
              { key: 'compose.service', value: { stringValue: service } },
            ],
          },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { stringValue: `payment failed (${id})` },
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await fetch(`http://127.0.0.1:${otlpHttp}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await res.text();
    assert.equal(res.status, 200, answer);
    // The sender set no project: Alloy adds it. Loki keeps it and the service as the labels the Logs
    // dashboard selects on, as for collected lines.
    const got = await until(`{compose_project="${project}", compose_service="${service}"}`);
    assert.deepEqual(
      got.map((e) => [e.line, e.labels.compose_project, e.labels.compose_service, e.labels.service_name, e.labels.detected_level, e.labels.severity_text]),
      [[`payment failed (${id})`, project, service, service, 'error', 'ERROR']],
    );
  });
});
