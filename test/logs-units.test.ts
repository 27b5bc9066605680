/** The parts of aixcl-logs that need no Loki: query building, time ranges, de-duplication, output. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from './support/cli.js';
import { AixclStack } from '../src/index.js';
import { App } from '../src/core/app.js';
import { buildLogQuery } from '../src/log-query/log-query.js';
import { LogPrinter, useColour } from '../src/log-query/log-output.js';
import { logTargetOf } from '../src/log-query/log-target.js';
import { TailCursor } from '../src/log-query/tail-cursor.js';
import { parseDuration, parseTime, timeRange } from '../src/log-query/time-range.js';

// The labels of the default stack's streams, as its Loki knows them (the collector's and service_name).
const source = { project: 'aixcl', services: ['ollama', 'postgres'], labels: logTargetOf(new AixclStack(new App(), 'aixcl').node.root as App).labels };

describe('queries', () => {
  test("the seed's four use cases, typed on the command line, select what its LogQL selects (within the stack's project)", () => {
    // Seed: {compose_service="postgres"} |~ "(?i)error|exception"
    assert.equal(
      buildLogQuery({ services: ['postgres'], grep: '(?i)error|exception' }, source),
      '{compose_project="aixcl", compose_service="postgres"} |~ "(?i)error|exception"',
    );
    // Seed: {compose_service="postgres"} |~ "SELECT|INSERT|UPDATE|DELETE"
    assert.equal(
      buildLogQuery({ services: ['postgres'], grep: 'SELECT|INSERT|UPDATE|DELETE' }, source),
      '{compose_project="aixcl", compose_service="postgres"} |~ "SELECT|INSERT|UPDATE|DELETE"',
    );
    // Seed: {compose_service="ollama"} |~ "(?i)loading|model|inference"
    assert.equal(
      buildLogQuery({ services: ['ollama'], grep: '(?i)loading|model|inference' }, source),
      '{compose_project="aixcl", compose_service="ollama"} |~ "(?i)loading|model|inference"',
    );
    // Seed: {compose_project="aixcl"} |~ "(?i)starting|started|ready"
    assert.equal(buildLogQuery({ services: [], grep: '(?i)starting|started|ready' }, source), '{compose_project="aixcl"} |~ "(?i)starting|started|ready"');
  });

  test('a --grep with quotes and backslashes stays one Go string', () => {
    assert.equal(buildLogQuery({ services: [], grep: 'say "hi"\\d' }, source), '{compose_project="aixcl"} |~ "say \\"hi\\"\\\\d"');
  });

  test('--query mixed with typed options is refused rather than silently ignoring them', () => {
    assert.throws(
      () => buildLogQuery({ services: ['postgres'], query: '{compose_service="x"}' }, source),
      /--query takes the whole LogQL query, so SERVICE arguments would be ignored/,
    );
  });

  test('--query selecting a value the stack never produces is refused with did-you-mean (the values come from the stack)', () => {
    const app = new App();
    new AixclStack(app, 'aixcl');
    const target = logTargetOf(app);
    assert.throws(
      () => buildLogQuery({ services: [], query: '{compose_project="aixcl", compose_service="ollamma"}' }, target),
      /--query: invalid LogQL at line 1, column 43: compose_service="ollamma" selects nothing: its Loki only receives compose_service .*"ollama".*; did you mean "ollama"\?/,
    );
    assert.throws(
      () => buildLogQuery({ services: [], query: '{compose_project="aixcl", stream="stdrr"}' }, target),
      /stream="stdrr" selects nothing: .*did you mean "stderr"\?/,
    );
    assert.equal(
      buildLogQuery({ services: [], query: '{compose_project="aixcl", compose_service=~"ollama|postgres"} | level="error"' }, target),
      '{compose_project="aixcl", compose_service=~"ollama|postgres"} | level="error"',
    );
  });

  test('the default stack: Loki URL on the host, project, services, labels of its collector', () => {
    const app = new App();
    new AixclStack(app, 'aixcl');
    const t = logTargetOf(app);
    assert.equal(t.lokiUrl, 'http://localhost:3100');
    assert.equal(t.project, 'aixcl');
    assert.ok(t.services!.includes('postgres') && t.services!.includes('loki'));
    assert.deepEqual(t.labels, ['compose_project', 'compose_service', 'container', 'image', 'service_name', 'stream']);
  });
});

describe('docs', () => {
  test('every aixcl-logs example in README.md and LOGGING.md builds a valid query for the default stack', () => {
    const app = new App();
    new AixclStack(app, 'aixcl');
    const target = logTargetOf(app);
    let n = 0;
    for (const doc of ['README.md', 'LOGGING.md']) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      // Not the `$ npx ...` transcripts: one of them shows a rejected query on purpose.
      for (const m of text.matchAll(/(?<!\$ )npx aixcl-logs((?: (?:'[^']*'|[^\s'#`|]+))*)/g)) {
        const words = [...m[1].matchAll(/'([^']*)'|(\S+)/g)].map((w) => w[1] ?? w[2]);
        if (['labels', 'stats'].includes(words[0])) continue;
        const sel = {
          services: [] as string[],
          grep: undefined as string | undefined,
          level: undefined as string | undefined,
          query: undefined as string | undefined,
        };
        for (let i = 0; i < words.length; i++) {
          const w = words[i];
          if (w === '--grep' || w === '-g') sel.grep = words[++i];
          else if (w === '--level' || w === '-l') sel.level = words[++i];
          else if (w === '--query' || w === '-q') sel.query = words[++i];
          else if (['--since', '--from', '--to', '--output', '-o', '--limit', '-n', '--loki'].includes(w)) i++;
          else if (!w.startsWith('-')) sel.services.push(w);
        }
        assert.doesNotThrow(() => buildLogQuery(sel, target), `${doc}: npx aixcl-logs${m[1]}`);
        n++;
      }
    }
    assert.ok(n >= 10, `only ${n} examples found`);
  });
});

describe('time', () => {
  test('durations and times', () => {
    assert.equal(parseDuration('1h30m', '--since'), 5_400_000);
    assert.throws(() => parseDuration('15 minutes', '--since'), /--since '15 minutes' is not a duration: write it like 15m/);
    assert.equal(parseTime('2026-11-29T08:00:00.5Z', '--from', 0), 1795939200_500_000_000n);
    assert.equal(parseTime('1795939200.25', '--from', 0), 1795939200_250_000_000n);
    assert.equal(parseTime('2h', '--from', 7_200_000), 0n);
    assert.throws(() => parseTime('yesterday', '--from', 0), /--from 'yesterday' is not a time/);
    const r = timeRange({ since: '15m' }, 1_000_000_000);
    assert.equal(r.end - r.start, 900_000_000_000n);
    assert.throws(() => timeRange({ since: '1h', from: '2h' }), /cannot be combined/);
    assert.throws(() => timeRange({ from: '1h', to: '2h' }), /--from is not before --to/);
  });
});

describe('follow de-duplication', () => {
  const e = (ts: bigint, line: string) => ({ ts, line, labels: { compose_service: 'postgres' } });
  test('a line seen is not printed again on resume; another line at the same nanosecond is', () => {
    const c = new TailCursor(10n);
    assert.equal(c.accept(e(100n, 'a')), true);
    assert.equal(c.accept(e(100n, 'b')), true);
    assert.equal(c.resumeFrom(), 90n);
    assert.equal(c.accept(e(100n, 'a')), false);
    assert.equal(c.accept(e(95n, 'late, other stream')), true);
    assert.equal(c.accept(e(95n, 'late, other stream')), false);
    assert.equal(c.accept(e(100n, 'c')), true);
    assert.equal(c.newest, 100n);
  });
});

describe('output', () => {
  test('service | line padded; colours only on a terminal without NO_COLOR', () => {
    const entry = { ts: 1n, line: 'ready\n', labels: { compose_service: 'loki' } };
    assert.equal(new LogPrinter({ mode: 'default', colour: false, services: ['loki', 'postgres'] }).format(entry), 'loki     | ready\n');
    assert.equal(new LogPrinter({ mode: 'default', colour: true, services: ['loki'] }).format(entry), '\u001b[36mloki |\u001b[0m ready\n');
    assert.equal(new LogPrinter({ mode: 'raw', colour: true }).format(entry), 'ready\n');
    assert.equal(useColour({ isTTY: true }, {}), true);
    assert.equal(useColour({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(useColour({ isTTY: false }, {}), false);
  });
});
