/**
 * aixcl-logs against a small Loki-API server (test/support/fake-loki-api.ts):
 * not Loki, but Loki's wire formats, and a record of what the CLI asked.
 * test/logs-real-loki.test.ts runs the same commands against a real Loki when
 * the environment has one.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { FakeLokiApi } from './support/fake-loki-api.js';
import { ROOT } from './support/cli.js';
import { logsCli, spawnLogsCli } from './support/logs-cli.js';
import { run } from './support/run.js';

const NS = 1_000_000n;
const now = () => BigInt(Date.now()) * NS;
const pg = { compose_project: 'aixcl', compose_service: 'postgres', container: 'aixcl-postgres-1', stream: 'stderr', image: 'postgres:17.6' };
const ollama = { compose_project: 'aixcl', compose_service: 'ollama', container: 'aixcl-ollama-1', stream: 'stdout', image: 'ollama/ollama:0.12.3' };

let loki: FakeLokiApi;
before(async () => {
  loki = await FakeLokiApi.start();
});
after(async () => {
  await loki.stop();
});
beforeEach(() => {
  loki.entries.length = 0;
  loki.requests.length = 0;
  loki.tails.length = 0;
});

function seed(): void {
  const t = now() - 60_000n * NS; // a minute ago
  loki.push(pg, '2026-11-29 08:00:00 UTC [1] LOG:  database system is ready to accept connections', { ts: t });
  loki.push(pg, '2026-11-29 08:00:01 UTC [7] ERROR:  relation "users" does not exist', { ts: t + 1000n * NS, metadata: { level: 'error' } });
  loki.push(ollama, 'time=2026-11-29T08:00:02Z level=INFO msg="loading model"', { ts: t + 2000n * NS, metadata: { level: 'info' } });
  loki.push(pg, '2026-11-29 08:00:03 UTC [8] WARNING:  there is no transaction in progress', { ts: t + 3000n * NS, metadata: { level: 'warn' } });
  loki.push(pg, 'old error from two hours ago', { ts: t - 7200_000n * NS });
}

describe('aixcl-logs queries', () => {
  test('SERVICE --grep --since builds the LogQL, asks query_range for the newest lines, prints `service | line` in time order', async () => {
    seed();
    const r = await logsCli(['postgres', '--grep', '(?i)error', '--since', '10m', '--loki', loki.url]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'postgres | 2026-11-29 08:00:01 UTC [7] ERROR:  relation "users" does not exist\n');
    const [q] = loki.requestsTo('/loki/api/v1/query_range');
    assert.equal(q.params.query, '{compose_project="aixcl", compose_service="postgres"} |~ "(?i)error"');
    assert.equal(q.params.direction, 'backward');
    assert.equal(q.params.limit, '1000');
    const span = BigInt(q.params.end) - BigInt(q.params.start);
    assert.equal(span, 600_000n * NS, 'the range is the last 10 minutes');
  });

  test('all services, padded like docker compose logs; several services as one regex matcher', async () => {
    seed();
    const all = await logsCli(['--since', '10m', '--loki', loki.url]);
    assert.equal(all.exitCode, 0, all.stderr);
    const lines = all.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    // Padding to the longest service name of the stack (postgres-exporter, 17 characters).
    assert.match(lines[2], /^ollama {11} \| time=2026-11-29T08:00:02Z level=INFO msg="loading model"$/);
    const two = await logsCli(['postgres', 'ollama', '--loki', loki.url]);
    assert.equal(two.exitCode, 0, two.stderr);
    assert.equal(loki.requestsTo('/loki/api/v1/query_range').at(-1)!.params.query, '{compose_project="aixcl", compose_service=~"postgres|ollama"}');
  });

  test('--level keeps that level and the more severe ones, through the log-level contract', async () => {
    seed();
    const r = await logsCli(['--level', 'warn', '--loki', loki.url, '--output', 'raw']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(loki.requestsTo('/loki/api/v1/query_range')[0].params.query, '{compose_project="aixcl"} | level=~"error|warn"');
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      '2026-11-29 08:00:01 UTC [7] ERROR:  relation "users" does not exist',
      '2026-11-29 08:00:03 UTC [8] WARNING:  there is no transaction in progress',
    ]);
  });

  test('--output jsonl: one JSON object per line with labels, timestamp and line', async () => {
    seed();
    const r = await logsCli(['--output', 'jsonl', '--loki', loki.url]);
    assert.equal(r.exitCode, 0, r.stderr);
    const objs = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { timestamp: string; labels: Record<string, string>; line: string });
    assert.equal(objs.length, 4);
    assert.deepEqual(objs[1].labels, pg);
    assert.match(objs[1].timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    assert.equal(Date.parse(objs[1].timestamp), Number(loki.entries[1].ts / NS));
    assert.equal(objs[1].line, loki.entries[1].line);
  });

  test('--query is parsed before it is sent: a syntax error shows the position, an unknown label the labels there are', async () => {
    const bad = await logsCli(['--query', '{compose_service="postgres" |= "x"', '--loki', loki.url]);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /invalid LogQL at line 1, column 29/);
    assert.match(bad.stderr, /\n\s+\{compose_service="postgres" \|= "x"\n\s+\^/);
    const label = await logsCli(['--query', '{service="postgres"}', '--loki', loki.url]);
    assert.equal(label.exitCode, 2);
    assert.match(label.stderr, /column 2: no stream in its Loki has the label 'service'/);
    const metric = await logsCli(['--query', 'rate({compose_service="postgres"}[5m])', '--loki', loki.url]);
    assert.equal(metric.exitCode, 2);
    assert.match(metric.stderr, /metric query/);
    const typo = await logsCli(['postgress', '--loki', loki.url]);
    assert.equal(typo.exitCode, 2);
    assert.match(typo.stderr, /'postgress' is not a service of project aixcl \(did you mean 'postgres'\?\): give one of .*postgres,/);
    assert.equal(loki.requests.length, 0, 'nothing was sent');
    for (const r of [bad, label, metric, typo]) assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  test('a --query label is checked against the labels of the stack given with -c', async () => {
    seed();
    const r = await logsCli(['--query', '{compose_project="dev"} |= "x"', '-c', 'project=dev', '--loki', loki.url]);
    assert.equal(r.exitCode, 0, r.stderr);
    const s = await logsCli(['postgres', '-c', 'project=dev', '--loki', loki.url]);
    assert.equal(s.exitCode, 0, s.stderr);
    assert.equal(loki.requestsTo('/loki/api/v1/query_range').at(-1)!.params.query, '{compose_project="dev", compose_service="postgres"}');
  });

  test('more lines than --limit: the newest are printed, and stderr says so', async () => {
    for (let i = 0; i < 5; i++) loki.push(pg, `line ${i}`, { ts: now() - BigInt(5 - i) * 1000n * NS });
    const r = await logsCli(['--limit', '2', '--output', 'raw', '--loki', loki.url]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'line 3\nline 4\n');
    assert.match(r.stderr, /showing the newest 2 lines/);
  });
});

describe('aixcl-logs errors', () => {
  test('Loki not reachable: one sentence naming the URL and the next step, exit 4', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await logsCli(['--loki', `http://127.0.0.1:${port}`]);
    assert.equal(r.exitCode, 4);
    assert.equal(
      r.stderr,
      `error: cannot reach Loki at http://127.0.0.1:${port} (ECONNREFUSED): is the stack up? \`aixcl-deploy status\` shows it (or give the right --loki URL)\n`,
    );
  });

  test("Loki's limits are translated: too many entries, too long a range (exit 2)", async () => {
    const many = await logsCli(['--limit', '10000', '--loki', loki.url]);
    assert.equal(many.exitCode, 2);
    assert.equal(
      many.stderr,
      'error: Loki returns at most 5000 lines per query (limits_config.max_entries_limit_per_query) and --limit asked for 10000: use --limit 5000 or less and narrow the range\n',
    );
    const long = await logsCli(['--since', '800h', '--loki', loki.url]);
    assert.equal(long.exitCode, 2);
    assert.match(
      long.stderr,
      /^error: the time range \(800h0m0s\) is longer than Loki allows \(30d1h, limits_config.max_query_length\): use a shorter --since, or --from\/--to\n$/,
    );
  });

  test('429 is retried with backoff, then answered; still busy after the retries is exit 1', async () => {
    seed();
    loki.failNext('/loki/api/v1/query_range', 2, 429, 'too many outstanding requests');
    const r = await logsCli(['postgres', '--loki', loki.url]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(loki.requestsTo('/loki/api/v1/query_range').length, 3, 'two 429s, then the answer');
    assert.match(r.stderr, /Loki answered 429 \(too many outstanding requests\); retrying in 0\.5s\n.*retrying in 1\.0s/);
    assert.equal(r.stdout.trimEnd().split('\n').length, 3);

    loki.requests.length = 0;
    loki.failNext('/loki/api/v1/query_range', 6, 429, 'too many outstanding requests');
    const busy = await logsCli(['postgres', '--loki', loki.url], { LOKI_CLIENT_MIN_BACKOFF: '0.01' });
    assert.equal(busy.exitCode, 1);
    assert.equal(loki.requestsTo('/loki/api/v1/query_range').length, 6, 'the first try and 5 retries');
    assert.match(busy.stderr, /error: Loki is still too busy after several retries \(429 too many outstanding requests\): shorten the range/);
  });

  test('credentials and tenant from the environment; a multi-tenant Loki without a tenant says which variable to set', async () => {
    const basic = await logsCli(['--loki', loki.url], { LOKI_USERNAME: 'me', LOKI_PASSWORD: 's3cret', LOKI_ORG_ID: 'team-a' });
    assert.equal(basic.exitCode, 0, basic.stderr);
    const h = loki.requests.at(-1)!.headers;
    assert.equal(h.authorization, `Basic ${Buffer.from('me:s3cret').toString('base64')}`);
    assert.equal(h['x-scope-orgid'], 'team-a');
    const bearer = await logsCli(['--loki', loki.url], { LOKI_BEARER_TOKEN: 'tok' });
    assert.equal(bearer.exitCode, 0, bearer.stderr);
    assert.equal(loki.requests.at(-1)!.headers.authorization, 'Bearer tok');
    assert.equal(loki.requests.at(-1)!.headers['x-scope-orgid'], undefined);

    loki.failNext('/loki/api/v1/query_range', 1, 401, 'no org id\n');
    const tenant = await logsCli(['--loki', loki.url]);
    assert.equal(tenant.exitCode, 2);
    assert.equal(tenant.stderr, 'error: this Loki is multi-tenant and needs a tenant: set LOKI_ORG_ID (sent as the X-Scope-OrgID header)\n');
  });

  test('a --grep regex Go RE2 cannot compile is refused before anything is sent, with the position', async () => {
    const before = loki.requestsTo('/loki/api/v1/query_range').length;
    const r = await logsCli(['--grep', '(a', '--loki', loki.url]);
    assert.equal(r.exitCode, 2);
    assert.match(
      r.stderr,
      /^error: the query built from the options is not valid: invalid LogQL at line 1, column 30: regex "\(a" does not compile in Go's RE2 \(error parsing regexp: missing closing \): `\(a`\)/,
    );
    assert.match(r.stderr, /\n {4}\{compose_project="aixcl"\} \|~ "\(a"\n {33}\^\n/);
    assert.equal(loki.requestsTo('/loki/api/v1/query_range').length, before, 'nothing was sent to Loki');
  });

  test('a regex error that only Loki sees (another Loki version) is still translated into one sentence', async () => {
    loki.failNext('/loki/api/v1/query_range', 1, 400, 'parse error : error parsing regexp: missing closing ): `(a`');
    const r = await logsCli(['--grep', 'a', '--loki', loki.url]);
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'error: Loki could not compile a regex of the query (Go RE2): missing closing ): `(a`: fix --grep or the query\n');
  });

  test('piping into head does not crash (EPIPE)', async () => {
    for (let i = 0; i < 3000; i++) loki.push(pg, `line ${i} ${'x'.repeat(200)}`, { ts: now() - BigInt(3000 - i) * NS * 10n });
    // The CLI's stdout goes straight into head, which exits after one line.
    const r = await run(
      'bash',
      ['-c', `"$0" bin/aixcl-logs.js --limit 5000 --loki ${loki.url} | head -n 1; echo "exit=\${PIPESTATUS[0]}" >&2`, process.execPath],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    assert.match(r.stdout, /^postgres +\| line 0 x+\n$/);
    assert.equal(r.stderr, 'exit=0\n', 'no EPIPE trace, exit 0');
  });
});

describe('aixcl-logs labels and stats', () => {
  test('labels, label values, and stats per service', async () => {
    seed();
    const names = await logsCli(['labels', '--loki', loki.url]);
    assert.equal(names.exitCode, 0, names.stderr);
    assert.equal(names.stdout, 'compose_project\ncompose_service\ncontainer\nimage\nstream\n');
    assert.equal(loki.requestsTo('/loki/api/v1/labels')[0].params.query, '{compose_project="aixcl"}');
    const values = await logsCli(['labels', 'compose_service', '--output', 'jsonl', '--loki', loki.url]);
    assert.equal(values.stdout, '{"label":"compose_service","value":"ollama"}\n{"label":"compose_service","value":"postgres"}\n');
    const stats = await logsCli(['stats', '--since', '10m', '--loki', loki.url]);
    assert.equal(stats.exitCode, 0, stats.stderr);
    const bytesOf = (svc: string) =>
      loki.entries
        .slice(0, 4)
        .filter((e) => e.labels.compose_service === svc)
        .reduce((a, e) => a + Buffer.byteLength(e.line), 0);
    const [p, o] = [bytesOf('postgres'), bytesOf('ollama')];
    assert.equal(
      stats.stdout,
      'Logs of project aixcl over the last 10m:\n' +
        'SERVICE   LINES  BYTES\n' +
        `postgres      3  ${p} B\n` +
        `ollama        1   ${o} B\n` +
        `total         4  ${p + o} B\n`,
    );
    const vol = loki.requestsTo('/loki/api/v1/index/volume')[0].params;
    assert.equal(vol.targetLabels, 'compose_service');
    assert.equal(loki.requestsTo('/loki/api/v1/query')[0].params.query, 'sum by (compose_service) (count_over_time({compose_project="aixcl"}[600s]))');
  });

  test('options given before the subcommand count (--loki, --stack, -c), or are refused when only the query has them', async () => {
    seed();
    const before = await logsCli(['-c', 'project=shop', '--stack', 'aixcl-cdk/logging-only', '--loki', loki.url, 'labels']);
    assert.equal(before.exitCode, 0, before.stderr);
    assert.equal(loki.requestsTo('/loki/api/v1/labels')[0].params.query, '{compose_project="shop"}', 'the built-in stack named by --stack, with its -c');
    const after = await logsCli(['--loki', 'http://127.0.0.1:1', 'labels', '--loki', loki.url]);
    assert.equal(after.exitCode, 0, `the subcommand's own --loki wins: ${after.stderr}`);
    const queryOnly = await logsCli(['--follow', 'labels', '--loki', loki.url]);
    assert.equal(queryOnly.exitCode, 2);
    assert.equal(queryOnly.stderr, "error: --follow is an option of the log query, not of 'labels': drop it (aixcl-logs labels --help)\n");
  });

  test('a mistyped subcommand or level gets the nearest name', async () => {
    const command = await logsCli(['lables', '--loki', loki.url]);
    assert.equal(command.exitCode, 2);
    assert.match(command.stderr, /^error: 'lables' is neither a service of the stack nor a command: did you mean 'aixcl-logs labels'\?/);
    const level = await logsCli(['--level', 'warning', '--loki', loki.url]);
    assert.match(level.stderr, /^error: --level 'warning' is not a level \(did you mean 'warn'\?\)/);
    assert.equal(loki.requests.length, 0, 'nothing was sent');
  });
});

describe('aixcl-logs --follow', () => {
  test('new lines arrive live; after a Loki restart it reconnects, prints what was written meanwhile once, and Ctrl-C exits 0', async (t) => {
    seed();
    const cli = spawnLogsCli(['postgres', '--follow', '--output', 'raw', '--loki', loki.url]);
    let out = '';
    let err = '';
    cli.stdout!.on('data', (b: Buffer) => (out += b));
    cli.stderr!.on('data', (b: Buffer) => (err += b));
    const waitFor = async (what: string, ms = 60_000) => {
      const t0 = Date.now();
      while (!out.includes(what)) {
        if (Date.now() - t0 > ms) throw new Error(`'${what}' did not arrive in ${ms} ms; stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return Date.now() - t0;
    };
    await waitFor('there is no transaction in progress'); // the history
    while (loki.tails.length === 0) await new Promise((r) => setTimeout(r, 25));
    loki.push(pg, 'live line 1');
    const latency = await waitFor('live line 1');
    t.diagnostic(`push to print: ${latency} ms (measured, not asserted; bench/ measures speed)`);
    // Two lines at one nanosecond: the resume point; the reconnect must not repeat them.
    const same = now();
    loki.push(pg, 'same ns a', { ts: same });
    loki.push(pg, 'same ns b', { ts: same });
    await waitFor('same ns b');
    await loki.restart(1500, () => {
      for (let i = 0; i < 3; i++) loki.push(pg, `written while Loki was down ${i}`);
    });
    await waitFor('written while Loki was down 2');
    loki.push(pg, 'live line 2');
    await waitFor('live line 2');
    cli.kill('SIGINT');
    const code = await new Promise((r) => cli.on('close', r));
    assert.equal(code, 0, err);
    const lines = out.trimEnd().split('\n');
    assert.equal(new Set(lines).size, lines.length, `no line printed twice:\n${out}`);
    assert.deepEqual(lines.slice(3), [
      'live line 1',
      'same ns a',
      'same ns b',
      'written while Loki was down 0',
      'written while Loki was down 1',
      'written while Loki was down 2',
      'live line 2',
    ]);
    assert.ok(loki.tails.length >= 2, 'reconnected');
    // The catch-up asked from just before the last line printed, forward; the new tail starts at the newest line.
    const catchUp = loki.requestsTo('/loki/api/v1/query_range').find((q) => q.params.direction === 'forward')!;
    assert.equal(BigInt(catchUp.params.start), same - 30_000_000_000n);
    const newest = loki.entries.find((e) => e.line === 'written while Loki was down 2')!;
    assert.equal(loki.tails[1].start, String(newest.ts));
    assert.match(err, /Loki closed the tail \(1006\)|connection to Loki failed|cannot reach Loki/);
    assert.match(err, /reconnected to Loki \(caught up 3 lines\)/);
  });

  test('dropped entries are reported with the command that shows them', async () => {
    const cli = spawnLogsCli(['postgres', '--follow', '--loki', loki.url]);
    let err = '';
    cli.stderr!.on('data', (b: Buffer) => (err += b));
    while (loki.tails.length === 0) await new Promise((r) => setTimeout(r, 25));
    const e = loki.push(pg, 'fell behind', { ts: 1764403200000000000n });
    loki.reportDropped([e]);
    const t0 = Date.now();
    while (!err.includes('dropped') && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 25));
    cli.kill('SIGINT');
    await new Promise((r) => cli.on('close', r));
    assert.match(
      err,
      /Loki dropped 1 line it could not send in time \(this terminal fell behind\); they are stored: aixcl-logs --query '\{compose_project="aixcl", compose_service="postgres"\}' --from 2025-11-29T08:00:00.000000000Z --to 2025-11-29T08:00:00.000000001Z shows them/,
    );
  });
});
