/**
 * aixcl-logs against a REAL Loki, when the environment has one:
 * - LOKI_URL set (e.g. a Loki of a deployed stack, http://127.0.0.1:3100;
 *   LOKI_ORG_ID and the credential variables are passed on), or
 * - a local grafana/loki image that is not one of the tests' stand-ins (those
 *   carry the label dev.aixcl.standin): it is started on a free port with the
 *   image's own /etc/loki/local-config.yaml and removed afterwards.
 * Otherwise the test reports, as a diagnostic, that it did not run, and is
 * marked skipped (never passed on nothing). The same behaviour is covered
 * against the Loki-API server of test/support/fake-loki-api.ts in logs-cli.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { logsCli, spawnLogsCli } from './support/logs-cli.js';
import { run } from './support/run.js';

interface RealLoki {
  readonly url: string;
  readonly what: string;
  readonly stop: () => Promise<void>;
}

let loki: RealLoki | undefined;
let why = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function findRealLoki(): Promise<RealLoki | undefined> {
  if (process.env.LOKI_URL) return { url: process.env.LOKI_URL.replace(/\/+$/, ''), what: `LOKI_URL=${process.env.LOKI_URL}`, stop: async () => undefined };
  const images = await run('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', 'grafana/loki'], { reject: false }).catch(() => undefined);
  if (!images || images.exitCode !== 0) {
    why = 'LOKI_URL is not set and Docker cannot be asked for a grafana/loki image';
    return undefined;
  }
  for (const image of images.stdout.split('\n').filter((l) => l && !l.endsWith(':<none>'))) {
    const label = await run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "dev.aixcl.standin"}}', image], { reject: false });
    if (label.exitCode !== 0 || label.stdout.trim() !== '<no value>') continue; // a stand-in, not Loki
    const port = await freePort();
    const name = `aixcl-logs-real-loki-${randomBytes(3).toString('hex')}`;
    const started = await run('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:3100`, image, '-config.file=/etc/loki/local-config.yaml'], {
      reject: false,
    });
    if (started.exitCode !== 0) continue;
    const stop = async () => {
      await run('docker', ['rm', '-f', '-v', name], { reject: false });
    };
    const url = `http://127.0.0.1:${port}`;
    if (await waitReady(url, 60_000)) return { url, what: `a container of the local image ${image}`, stop };
    await stop();
  }
  why = 'LOKI_URL is not set and no real grafana/loki image is present locally (only stand-ins labelled dev.aixcl.standin; no registry to pull from)';
  return undefined;
}

const project = `logs-real-${randomBytes(3).toString('hex')}`;
const labels = (service: string) => ({
  compose_project: project,
  compose_service: service,
  container: `${project}-${service}-1`,
  stream: 'stderr',
  image: 'postgres:17.6',
});
const passEnv = () =>
  Object.fromEntries(['LOKI_ORG_ID', 'LOKI_USERNAME', 'LOKI_PASSWORD', 'LOKI_BEARER_TOKEN'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));

async function push(service: string, lines: string[]): Promise<void> {
  const t = BigInt(Date.now()) * 1_000_000n;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (process.env.LOKI_ORG_ID) headers['X-Scope-OrgID'] = process.env.LOKI_ORG_ID;
  // POST /loki/api/v1/push, JSON (docs/sources/reference/loki-http-api.md "Ingest logs"): 204 on success.
  const res = await fetch(`${loki!.url}/loki/api/v1/push`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ streams: [{ stream: labels(service), values: lines.map((l, i) => [String(t + BigInt(i)), l]) }] }),
  });
  assert.equal(res.status, 204, await res.text());
}

before(async () => {
  loki = await findRealLoki();
});
after(async () => {
  await loki?.stop();
});

test('aixcl-logs against a real Loki: query, jsonl, labels, stats, follow', async (t) => {
  if (!loki) {
    t.diagnostic(`NOT RUN against a real Loki: ${why}. Set LOKI_URL to run it.`);
    t.skip(why);
    return;
  }
  t.diagnostic(`running against a real Loki: ${loki.what}`);
  const common = ['-c', `project=${project}`, '--loki', loki.url];
  await push('postgres', ['LOG:  database system is ready to accept connections', 'ERROR:  relation "users" does not exist']);
  await push('ollama', ['time=2026-11-29T08:00:02Z level=INFO msg="loading model"']);

  const q = await logsCli(['postgres', '--grep', '(?i)error', '--since', '10m', ...common], passEnv());
  assert.equal(q.exitCode, 0, q.stderr);
  assert.equal(q.stdout, 'postgres | ERROR:  relation "users" does not exist\n');

  const jsonl = await logsCli(['--output', 'jsonl', '--since', '10m', ...common], passEnv());
  assert.equal(jsonl.exitCode, 0, jsonl.stderr);
  const objs = jsonl.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { labels: Record<string, string>; line: string });
  assert.deepEqual(objs.map((o) => o.line).sort(), [
    'ERROR:  relation "users" does not exist',
    'LOG:  database system is ready to accept connections',
    'time=2026-11-29T08:00:02Z level=INFO msg="loading model"',
  ]);
  assert.equal(objs[0].labels.compose_project, project);

  const values = await logsCli(['labels', 'compose_service', '--since', '10m', ...common], passEnv());
  assert.equal(values.exitCode, 0, values.stderr);
  assert.equal(values.stdout, 'ollama\npostgres\n');

  const stats = await logsCli(['stats', '--since', '10m', ...common], passEnv());
  assert.equal(stats.exitCode, 0, stats.stderr);
  assert.match(stats.stdout, /^postgres +2 /m);

  const long = await logsCli(['--since', '800h', ...common], passEnv());
  assert.equal(long.exitCode, 2);
  assert.match(long.stderr, /is longer than Loki allows/);

  const cli = spawnLogsCli(['--follow', '--output', 'raw', ...common], passEnv());
  let out = '';
  let err = '';
  cli.stdout!.on('data', (b: Buffer) => (out += b));
  cli.stderr!.on('data', (b: Buffer) => (err += b));
  const waitFor = async (what: string) => {
    const t0 = Date.now();
    while (!out.includes(what)) {
      if (Date.now() - t0 > 60_000) throw new Error(`'${what}' did not arrive; stderr: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return Date.now() - t0;
  };
  await waitFor('loading model');
  await new Promise((r) => setTimeout(r, 1000)); // the tail is connected after the history
  await push('postgres', ['LOG:  a new line, live']);
  t.diagnostic(`push to print: ${await waitFor('a new line, live')} ms`);
  cli.kill('SIGINT');
  assert.equal(await new Promise((r) => cli.on('close', r)), 0, err);
  const lines = out.trimEnd().split('\n');
  assert.equal(new Set(lines).size, lines.length, 'no line twice');
});
