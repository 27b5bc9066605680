import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AixclStack,
  App,
  Duration,
  EnvRef,
  formatProblem,
  Logging,
  ValidationError,
  checkLogQL,
  checkPromtailConfig,
  CollectorKind,
  levelFilter,
  LogFormat,
  LogLevel,
  Loki,
  Promtail,
  Service,
  Stack,
  Testing,
} from '../src/index.js';
import { dockerLabelMeta } from '../src/collector/collected-labels.js';
import { PipelineStageSchema } from '../src/promtail/promtail-stage-schema.js';
import { goLayoutParts, timeFormatProblem } from '../src/log-format/time-layout.js';
import { SAMPLES } from './fixtures/log-samples.js';
import { goTemplate, parseGoTime, relabel, runPipeline, selects, type ModelEntry } from './support/promtail-model.js';

type Doc = Record<string, any>;

function defaultStack() {
  const app = new App();
  // The pipeline as Promtail runs it: the model below is Promtail's (Alloy's stages are the same, test/alloy-pipeline.test.ts).
  const stack = new AixclStack(app, 'aixcl', { collector: CollectorKind.PROMTAIL });
  const config = Testing.synthDocuments(stack)['promtail/promtail-config.yml'] as Doc;
  return { stack, config, job: config.scrape_configs[0] as Doc };
}

/** Labels Promtail gives a container's lines, through the generated relabels (meta labels as Docker discovery sets them). */
function labelsOf(job: Doc, service: string, stream = 'stderr', project = 'aixcl'): Record<string, string> {
  return relabel(
    {
      __meta_docker_container_name: `/${project}-${service}-1`,
      [dockerLabelMeta('com.docker.compose.service')]: service,
      [dockerLabelMeta('com.docker.compose.project')]: project,
      [dockerLabelMeta('dev.aixcl.image')]: `${service}:1`,
      __meta_docker_container_log_stream: stream,
    },
    job.relabel_configs,
  );
}

const T0 = 1_764_403_200_000_000_000n; // 2025-11-29T08:00:00Z, Docker's read time of the first line
const lines = (labels: Record<string, string>, texts: string[], gapMs = 1) =>
  texts.map((line, i) => ({ labels, line, time: T0 + BigInt(i * gapMs) * 1_000_000n }));
const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

describe('log formats through the collector pipeline (Promtail model)', () => {
  const { config, job } = defaultStack();

  it('the generated Promtail file, pipeline included, passes the strict schema', () => {
    assert.deepEqual(checkPromtailConfig(config), []);
    assert.ok(job.pipeline_stages.length >= 8, 'one match per service with a format');
  });

  it('service_name is the compose service, not the container name', () => {
    const l = labelsOf(job, 'postgres');
    assert.equal(l.service_name, 'postgres');
    assert.equal(l.container, 'aixcl-postgres-1');
    assert.equal(l.compose_service, 'postgres');
  });

  it('every match selector is LogQL that parses', () => {
    const selectors: string[] = [];
    const walk = (stages: Doc[]) =>
      stages.forEach((s) => {
        if (s.match) {
          selectors.push(s.match.selector);
          walk(s.match.stages ?? []);
        }
      });
    walk(job.pipeline_stages);
    assert.ok(selectors.length > 8);
    for (const s of selectors) assert.equal(checkLogQL(s), undefined, s);
  });

  for (const group of SAMPLES) {
    it(`${group.service}: level and timestamp of real sample lines (${group.source})`, () => {
      const labels = labelsOf(job, group.service, group.stream);
      // Far apart in time, so a multiline stage flushes each one on its own.
      const out = runPipeline(
        job.pipeline_stages,
        lines(
          labels,
          group.samples.map((s) => s.line),
          5000,
        ),
      );
      assert.equal(out.length, group.samples.length, 'one entry per sample line');
      for (const s of group.samples) {
        const e = out.find((x) => x.line === s.line);
        assert.ok(e, `missing: ${s.line}`);
        assert.equal(e.metadata.level, s.level, `level of: ${s.line}`);
        if (s.time) assert.equal(iso(e.time), s.time, `time of: ${s.line}`);
        assert.equal(e.labels.service_name, group.service);
      }
    });
  }

  it('postgres: an ERROR with its STATEMENT over several tab-continued lines is ONE entry at level error', () => {
    // Shape of github.com/lorenzocesconetto/fastapi-postgresql/issues/4 (Compose showed the tabs as spaces):
    // elog.c writes the statement's newlines as "\n\t".
    const labels = labelsOf(job, 'postgres');
    const out = runPipeline(
      job.pipeline_stages,
      lines(labels, [
        '2022-06-29 20:09:39.436 UTC [97] ERROR:  relation "user" does not exist at character 225',
        '2022-06-29 20:09:39.436 UTC [97] STATEMENT:  SELECT "user".id AS user_id, "user".email AS user_email ',
        '\tFROM "user" ',
        '\tWHERE "user".email = \'admin@sample.com\' ',
        '\t LIMIT 1',
        '2022-06-29 20:09:40.002 UTC [98] LOG:  checkpoint starting: time',
      ]),
    );
    assert.equal(out.length, 2);
    assert.equal(out[0].line.split('\n').length, 5);
    assert.equal(out[0].metadata.level, 'error');
    assert.equal(out[0].metadata.pid, '97');
    assert.equal(iso(out[0].time), '2022-06-29T20:09:39.436Z');
    assert.equal(out[1].metadata.level, 'info');
    // The query the dashboards and alerts use selects exactly the error entry.
    assert.equal(checkLogQL(`{service_name="postgres"}${levelFilter(LogLevel.ERROR)}`), undefined);
  });

  it("postgres: the entrypoint's own lines before the server starts pass through without a level", () => {
    const out = runPipeline(
      job.pipeline_stages,
      lines(labelsOf(job, 'postgres', 'stdout'), ['fixing permissions on existing directory /var/lib/postgresql/data ... ok']),
    );
    assert.equal(out.length, 1);
    assert.equal(out[0].metadata.level, undefined);
  });

  it('postgres: a DEBUG line (log_min_messages = debug1..5 all print DEBUG, elog.c error_severity) starts its own entry', () => {
    const out = runPipeline(
      job.pipeline_stages,
      lines(labelsOf(job, 'postgres'), [
        '2024-03-01 10:00:00.000 UTC [70] ERROR:  relation "x" does not exist at character 15',
        '2024-03-01 10:00:00.001 UTC [71] DEBUG:  autovacuum: processing database "aixcl"',
      ]),
    );
    assert.deepEqual(
      out.map((e) => [e.line.split('\n').length, e.metadata.level]),
      [
        [1, 'error'],
        [1, 'debug'],
      ],
    );
  });

  it("postgres in another log_timezone: the level is still read; the time is Docker's, never shifted by a zone Go reads as UTC", () => {
    // What Promtail's time.Parse would do with such a zone (the model follows Go): CET read as offset 0, an hour off.
    assert.equal(iso(parseGoTime('2024-03-01 11:00:00.000 CET', '2006-01-02 15:04:05.000 MST')!), '2024-03-01T11:00:00.000Z');
    assert.equal(iso(parseGoTime('2024-03-01 11:00:00.000 -03', '2006-01-02 15:04:05.000 MST')!), '2024-03-01T11:00:00.000Z');
    const out = runPipeline(
      job.pipeline_stages,
      lines(labelsOf(job, 'postgres'), [
        '2024-03-01 11:00:00.000 CET [70] ERROR:  relation "x" does not exist at character 15',
        '2024-03-01 07:00:00.000 -03 [71] FATAL:  password authentication failed for user "aixcl"',
      ]),
    );
    assert.deepEqual(
      out.map((e) => [e.metadata.level, e.metadata.pid, e.time]),
      [
        ['error', '70', T0],
        ['error', '71', T0 + 1_000_000n],
      ],
    );
  });

  it('open-webui: a traceback stays one entry with its message; the healthcheck access line is dropped', () => {
    const labels = labelsOf(job, 'open-webui', 'stdout');
    const out = runPipeline(
      job.pipeline_stages,
      lines(labels, [
        '2025-10-01 12:00:03.004 | ERROR    | open_webui.main:process_chat:1320 - Error processing chat payload',
        'Traceback (most recent call last):',
        '  File "/app/backend/open_webui/main.py", line 1318, in process_chat',
        '    form_data = await process_chat_payload(request, form_data, user, metadata, model)',
        "KeyError: 'model'",
        '2025-10-01 12:00:04.000 | INFO     | uvicorn.protocols.http.httptools_impl:send:476 - 127.0.0.1:51234 - "GET /health HTTP/1.1" 200',
        '2025-10-01 12:00:05.000 | INFO     | uvicorn.protocols.http.httptools_impl:send:476 - 127.0.0.1:51236 - "GET /api/models HTTP/1.1" 200',
      ]),
    );
    assert.equal(out.length, 2);
    assert.equal(out[0].line.split('\n').length, 5);
    assert.equal(out[0].metadata.level, 'error');
    assert.equal(out[0].metadata.module, 'open_webui.main:process_chat:1320');
    assert.match(out[1].line, /api\/models/);
  });

  it('pgadmin: its healthcheck ping is dropped, other requests kept with their path as metadata', () => {
    const labels = labelsOf(job, 'pgadmin', 'stdout');
    const out = runPipeline(
      job.pipeline_stages,
      lines(
        labels,
        [
          '127.0.0.1 - - [15/Sep/2025:08:06:00 +0000] "GET /misc/ping HTTP/1.1" 200 4 "-" "Wget"',
          '172.18.0.1 - - [15/Sep/2025:08:06:01 +0000] "GET /browser/ HTTP/1.1" 200 5127 "-" "Mozilla/5.0"',
        ],
        5000,
      ),
    );
    assert.equal(out.length, 1);
    assert.equal(out[0].metadata.path, '/browser/');
  });

  it('ollama: successful model listings are sampled (kept at the configured rate), others untouched', () => {
    const labels = labelsOf(job, 'ollama', 'stdout');
    const polls = Array.from({ length: 100 }, () => '[GIN] 2024/07/21 - 15:52:40 | 200 |      6.2826ms |       127.0.0.1 | GET      "/api/tags"');
    let n = 0;
    // Deterministic draws spread over [0, 1): the share kept is the stage's rate.
    const out = runPipeline(
      job.pipeline_stages,
      lines(labels, [...polls, '[GIN] 2024/07/21 - 15:52:51 | 403 |            0s |       127.0.0.1 | POST     "/api/generate"']),
      {
        random: () => (n++ * 0.37) % 1,
      },
    );
    const kept = out.filter((e) => e.line.includes('/api/tags')).length;
    assert.ok(kept >= 5 && kept <= 15, `kept ${kept} of 100`);
    assert.ok(out.some((e) => e.line.includes('/api/generate')));
  });

  it('a line the logfmt decoder would reject never reaches the logfmt stage (Promtail would log an error for it)', () => {
    const logfmtMatches = (job.pipeline_stages as Doc[]).flatMap((m) => (m.match.stages as Doc[]).filter((s) => s.match?.stages?.[0]?.logfmt));
    assert.ok(logfmtMatches.length >= 5);
    const gin: ModelEntry = {
      labels: labelsOf(job, 'ollama'),
      line: '[GIN] 2024/07/21 - 15:52:51 | 403 | 0s | 127.0.0.1 | POST "/api/generate"',
      time: T0,
      extracted: {},
      metadata: {},
    };
    for (const m of logfmtMatches) assert.equal(selects(m.match.selector.replace(/compose_service="[^"]+"/, 'compose_service="ollama"'), gin), false);
  });

  it("a user's own service with LogFormat.json() gets the same treatment", () => {
    const app = new App();
    const stack = new Stack(app, 'shop');
    const loki = new Loki(stack, 'loki');
    new Promtail(stack, 'promtail', { loki });
    new Service(stack, 'api', {
      image: 'shop/api:1.0',
      logFormat: LogFormat.json({
        level: 'severity',
        levels: { '50': LogLevel.ERROR },
        timestamp: { field: 'ts', format: 'RFC3339Nano' },
        metadata: ['req.id'],
      }),
    });
    const j = (Testing.synthDocuments(stack)['promtail/promtail-config.yml'] as Doc).scrape_configs[0];
    assert.deepEqual(checkPromtailConfig({ clients: [{ url: 'http://loki:3100/loki/api/v1/push' }], scrape_configs: [j] }), []);
    const labels = labelsOf(j, 'api', 'stdout', 'shop');
    const out = runPipeline(
      j.pipeline_stages,
      lines(labels, [
        '{"severity":"WARNING","ts":"2025-11-29T08:00:01.5Z","msg":"slow","req":{"id":"r-1"}}',
        '{"severity":50,"ts":"2025-11-29T08:00:02Z","msg":"boom"}',
        'not json at all',
      ]),
    );
    assert.equal(out.length, 3);
    const warn = out.find((e) => e.line.includes('slow'))!;
    assert.equal(warn.metadata.level, 'warn');
    assert.equal(warn.metadata.req_id, 'r-1');
    assert.equal(iso(warn.time), '2025-11-29T08:00:01.500Z');
    assert.equal(out.find((e) => e.line.includes('boom'))!.metadata.level, 'error');
    assert.equal(out.find((e) => e.line.startsWith('not json'))!.metadata.level, undefined);
  });
});

describe('line times and the container clock (TZ)', () => {
  const stageOf = (svcEnv: Record<string, unknown> | undefined, layout: string, fallbacks: string[] = [], override?: [string, unknown]) => {
    const app = new App();
    const stack = new Stack(app, 'shop');
    const loki = new Loki(stack, 'loki');
    new Promtail(stack, 'promtail', { loki });
    const svc = new Service(stack, 'api', {
      image: 'shop/api:1',
      environment: svcEnv as never,
      logFormat: LogFormat.json({ timestamp: { field: 'ts', format: layout, fallbackFormats: fallbacks } }),
    });
    if (override) svc.addOverride(...override);
    const doc = Testing.synthDocuments(stack)['promtail/promtail-config.yml'] as Doc;
    const match = (doc.scrape_configs[0].pipeline_stages as Doc[]).find((s) => s.match?.selector === '{compose_service="api"}');
    return (match!.match.stages as Doc[]).find((s) => s.timestamp)?.timestamp as Doc | undefined;
  };
  const local = '2006-01-02 15:04:05.000';

  it('no TZ, or a UTC one: a layout without an offset is read (the clock is UTC)', () => {
    assert.equal(stageOf(undefined, local)?.format, local);
    assert.equal(stageOf({ TZ: 'Etc/UTC' }, local)?.format, local);
  });
  it("TZ Europe/Berlin: only layouts with a numeric offset are read; with none left, Docker's time is kept", () => {
    assert.equal(stageOf({ TZ: 'Europe/Berlin' }, local), undefined);
    assert.equal(stageOf({ TZ: 'Europe/Berlin' }, '2006-01-02 15:04:05 MST'), undefined, 'an abbreviation is read as offset 0 by Go');
    assert.equal(stageOf({ TZ: 'Europe/Berlin' }, 'RFC3339Nano')?.format, 'RFC3339Nano');
    assert.deepEqual(stageOf({ TZ: 'Europe/Berlin' }, local, ['02/Jan/2006:15:04:05 -0700', 'Jan _2 15:04:05']), {
      source: 'ts',
      format: '02/Jan/2006:15:04:05 -0700',
      action_on_failure: 'skip',
    });
  });
  it('a TZ not known at synth time (a variable, an override of the environment) counts as not UTC', () => {
    assert.equal(stageOf({ TZ: EnvRef.of('TZ', { default: 'UTC' }) }, local), undefined);
    assert.equal(stageOf(undefined, local, [], ['environment.TZ', 'Asia/Tokyo']), undefined);
    assert.equal(stageOf(undefined, local, [], ['environment.OTHER', 'x'])?.format, local, 'another variable changes nothing');
  });
  it("open-webui with TZ set: a line's local time never moves the entry off Docker's time", () => {
    const app = new App();
    const stack = new AixclStack(app, 'aixcl', { collector: CollectorKind.PROMTAIL });
    stack.openWebUI.service.addEnvironment('TZ', 'Europe/Berlin');
    const job = (Testing.synthDocuments(stack)['promtail/promtail-config.yml'] as Doc).scrape_configs[0] as Doc;
    const out = runPipeline(
      job.pipeline_stages,
      lines(labelsOf(job, 'open-webui', 'stdout'), ['2025-10-01 14:00:03.004 | ERROR    | open_webui.main:process_chat:1320 - Error processing chat payload']),
    );
    assert.deepEqual([out[0].metadata.level, out[0].time], ['error', T0]);
  });
});

describe('Loki for Logs Drilldown, and the footprint settings', () => {
  const loki = () => Testing.synthDocuments(new AixclStack(new App(), 'aixcl'))['loki/loki-config.yml'] as Doc;

  it('has what Drilldown needs, as Loki 3.7 documents it', () => {
    const c = loki();
    assert.equal(c.pattern_ingester.enabled, true);
    assert.equal(c.limits_config.volume_enabled, true);
    assert.equal(c.limits_config.allow_structured_metadata, true);
    assert.equal(c.limits_config.discover_log_levels, true);
    assert.equal(c.limits_config.discover_service_name[0], 'compose_service');
  });

  it('the blocks it adds are checked key by key (a typo in them fails synthesis)', () => {
    for (const [path, value] of [
      ['pattern_ingester.enabeld', true],
      ['ingester.chunk_idle_periode', '5m'],
      ['query_range.results_cache.cache.embedded_cache.max_size', 8],
      ['chunk_store_config.chunk_cache_config.embedded_cache.enable', true],
    ] as const) {
      const stack = new AixclStack(new App(), 'aixcl');
      const l = stack.node.findAll().find(Loki.isLoki)!;
      l.config.addOverride(path, value);
      assert.throws(() => Testing.synth(stack), new RegExp(path.split('.').pop()!), path);
    }
  });
});

describe('LogFormat validation', () => {
  it('reports a regex without the named fields, bad rules and bad level words, one message each', () => {
    const f = LogFormat.regex('^(?P<when>\\S+) (?P<msg>.*)$', {
      timestamp: { field: 'time', format: 'RFC3339' },
      rules: [
        { pattern: '', reason: 'health check' },
        { pattern: 'x', reason: 'ok', keep: 1.5 },
      ],
      levels: { boom: 'fatal' as LogLevel },
      multiline: { firstLine: '^\\d', maxLines: 0 },
    });
    const p = f.validate();
    assert.ok(
      p.some((m) => /field 'level' is not a named group/.test(m)),
      p.join('\n'),
    );
    assert.ok(p.some((m) => /field 'time' is not a named group/.test(m)));
    assert.ok(p.some((m) => /rules\[0\]\.pattern/.test(m)));
    assert.ok(p.some((m) => /rules\[0\]\.reason/.test(m)));
    assert.ok(p.some((m) => /rules\[1\]\.keep/.test(m)));
    assert.ok(p.some((m) => /'boom' maps to 'fatal'/.test(m)));
    assert.ok(p.some((m) => /maxLines/.test(m)));
  });

  it('a stack whose service has a broken format fails synthesis with the service path', () => {
    const app = new App();
    const stack = new Stack(app, 'v');
    new Loki(stack, 'loki');
    new Promtail(stack, 'promtail', { loki: stack.node.findChild('loki') as Loki });
    new Service(stack, 'api', { image: 'x:1', logFormat: { json: true } as unknown as LogFormat });
    assert.throws(
      () => Testing.synth(stack),
      /\[v\/api\] logFormat must be a LogFormat, got an object \(\{"json":true\}\): write LogFormat\.json\(\), LogFormat\.logfmt\(\) or LogFormat\.regex\(\.\.\.\)/,
    );
  });
});

/** Every problem synthesis reports for a stack whose service 'web' uses the format made by `make`, as `[path] message`. */
function problemsOf(make: () => LogFormat): string[] {
  const app = new App();
  const stack = new Stack(app, 'shop');
  new Service(stack, 'web', { image: 'nginx:1.27', logFormat: make() });
  new Logging(stack, 'logging');
  try {
    Testing.synth(stack);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

// What a stack file in plain JavaScript (or one run through tsx) can pass: no type checker stops it.
const js = <T>(v: unknown) => v as T;

describe('LogFormat arguments, checked like props (one message each, at the service)', () => {
  const cases: Array<[string, () => LogFormat, string[]]> = [
    [
      'unknown keys, with did-you-mean',
      () => LogFormat.json(js({ levle: 'severity', multline: { firstLine: '^x' } })),
      [
        '[shop/web] logFormat: levle is not a prop of LogFormat.json(): did you mean level?',
        '[shop/web] logFormat: multline is not a prop of LogFormat.json(): did you mean multiline?',
      ],
    ],
    [
      'a key inside timestamp',
      () => LogFormat.logfmt(js({ timestamp: { field: 'ts', fromat: 'RFC3339' } })),
      [
        "[shop/web] logFormat: timestamp.format must be one of Promtail's named formats or a Go layout string (e.g. 'RFC3339Nano' or '2006-01-02 15:04:05.000'), got undefined",
        '[shop/web] logFormat: timestamp.fromat is not a prop of LogFormat.logfmt() timestamp: did you mean format?',
      ],
    ],
    [
      'metadata as a string (not iterated as characters)',
      () => LogFormat.json(js({ metadata: 'trace_id' })),
      ["[shop/web] logFormat: metadata must be a list ([...]), got the string 'trace_id': write ['trace_id']"],
    ],
    [
      'fallbackFormats as a string',
      () => LogFormat.json(js({ timestamp: { field: 'ts', format: 'RFC3339', fallbackFormats: 'Unix' } })),
      ["[shop/web] logFormat: timestamp.fallbackFormats must be a list ([...]), got the string 'Unix': write ['Unix']"],
    ],
    [
      "maxWait as '1s'",
      () => LogFormat.json(js({ multiline: { firstLine: '^x', maxWait: '1s' } })),
      ["[shop/web] logFormat: multiline.maxWait must be a Duration, got the string '1s': write Duration.seconds(1)"],
    ],
    [
      'maxWait as a number',
      () => LogFormat.json(js({ multiline: { firstLine: '^x', maxWait: 250 } })),
      ['[shop/web] logFormat: multiline.maxWait must be a Duration, got the number 250: write Duration.millis(250) (or Duration.seconds(...))'],
    ],
    [
      "a timestamp format that is no Go layout ('YYYY-MM-DD')",
      () => LogFormat.json({ timestamp: { field: 'ts', format: 'YYYY-MM-DD' } }),
      [
        "[shop/web] logFormat: timestamp.format: 'YYYY-MM-DD' is not a Go layout (Promtail would parse no line with it): did you mean '2006-01-02'? (a Go layout writes the reference time Mon Jan 2 15:04:05 -0700 MST 2006 the way the lines do)",
      ],
    ],
    [
      'timestamp as a field name',
      () => LogFormat.json(js({ timestamp: 'ts' })),
      [
        "[shop/web] logFormat: timestamp must be an object ({ field, format }), got the string 'ts': write { field: 'ts', format: 'RFC3339Nano' } (the format the lines write)",
      ],
    ],
    ['metadata as a number', () => LogFormat.json(js({ metadata: 42 })), ['[shop/web] logFormat: metadata must be a list ([...]), got the number 42']],
    [
      'rules as a string',
      () => LogFormat.json(js({ rules: 'drop health' })),
      ["[shop/web] logFormat: rules must be a list of rules, got the string 'drop health': write [{ pattern: 'drop health', reason: 'healthcheck' }]"],
    ],
    ['a null rule', () => LogFormat.json(js({ rules: [null] })), ['[shop/web] logFormat: rules[0] must be a rule ({ pattern, reason }), got null']],
    ['level as a number', () => LogFormat.json(js({ level: 42 })), ["[shop/web] logFormat: level must be a string, got the number 42: write '42'"]],
    [
      'regex() with a number',
      () => LogFormat.regex(js(42)),
      [
        "[shop/web] logFormat: LogFormat.regex() takes an RE2 expression with named groups (or a list of them), got the number 42: write e.g. LogFormat.regex('^(?P<time>\\\\S+) (?P<level>[A-Z]+) ')",
      ],
    ],
    [
      'json(null)',
      () => LogFormat.json(js(null)),
      ["[shop/web] logFormat: the options of LogFormat.json() must be an object ({ level: 'severity', ... }), got null: leave them out for the defaults"],
    ],
    [
      "keep: '0.5', at the service (not in the Promtail file's words)",
      () => LogFormat.json(js({ rules: [{ pattern: 'x', reason: 'r', keep: '0.5' }] })),
      ["[shop/web] logFormat: rules[0].keep must be a number, got the string '0.5': write 0.5, without quotes"],
    ],
    [
      'maxLines 0, once (not again at the Promtail file)',
      () => LogFormat.json({ multiline: { firstLine: '^x', maxLines: 0 } }),
      ['[shop/web] logFormat: multiline.maxLines must be a whole number of at least 1 (got 0)'],
    ],
    [
      'an unbalanced regex, at the service',
      () => LogFormat.regex('^(?P<time>\\S+) (?P<level>[A-Z]+ '),
      [
        '[shop/web] logFormat: regex "^(?P<time>\\\\S+) (?P<level>[A-Z]+ " does not compile in Go\'s RE2 (error parsing regexp: missing closing ): `^(?P<time>\\S+) (?P<level>[A-Z]+ `): balance the brackets, or escape a literal one with a backslash',
      ],
    ],
    [
      'a misspelt level of a regex format: no follow-on about the default field',
      () => LogFormat.regex('^(?P<lvl>[A-Z]+) ', js({ levl: 'lvl' })),
      ['[shop/web] logFormat: levl is not a prop of LogFormat.regex(): did you mean level?'],
    ],
    [
      'an empty regex: one message, no follow-on about its missing groups',
      () => LogFormat.regex(''),
      ['[shop/web] logFormat: LogFormat.regex() needs at least one non-empty RE2 expression with named groups such as (?P<level>\\w+)'],
    ],
    [
      'options that are a class instance (here a Duration), not an options object',
      () => LogFormat.logfmt(js(Duration.seconds(1))),
      [
        "[shop/web] logFormat: the options of LogFormat.logfmt() must be an object ({ level: 'severity', ... }), got a Duration object: leave them out for the defaults",
      ],
    ],
    [
      'a regex that does not compile: no follow-on about its groups',
      () => LogFormat.regex('^(?P<lev el>\\w+)'),
      ['[shop/web] logFormat: regex "^(?P<lev el>\\\\w+)" does not compile in Go\'s RE2 (error parsing regexp: invalid named capture: `(?P<lev el>`)'],
    ],
    [
      'an empty level field of a regex format: one message',
      () => LogFormat.regex('^(?P<level>\\w+)', { level: '' }),
      ["[shop/web] logFormat: '' is not a usable field name (letters, digits and '_', not starting with a digit)"],
    ],
    [
      'a bad multiline.firstLine and rule pattern',
      () => LogFormat.json({ multiline: { firstLine: '^(x' }, rules: [{ pattern: 'a(?=b)', reason: 'r' }] }),
      [
        '[shop/web] logFormat: multiline.firstLine: regex "^(x" does not compile in Go\'s RE2 (error parsing regexp: missing closing ): `^(x`): balance the brackets, or escape a literal one with a backslash',
        '[shop/web] logFormat: rules[0].pattern: regex "a(?=b)" does not compile in Go\'s RE2 (error parsing regexp: invalid or unsupported Perl syntax: `(?=`): RE2 has no lookahead or lookbehind; match the text itself, or filter with a second stage (!= "..." or !~ "...")',
      ],
    ],
  ];
  for (const [name, make, expected] of cases) {
    it(name, () => assert.deepEqual(problemsOf(make), expected));
  }

  it('a change to the options object after the format was made does not reach it', () => {
    const opts: { level: unknown; metadata: unknown[] } = { level: 'severity', metadata: ['trace_id'] };
    const f = LogFormat.json(js(opts));
    opts.level = 42;
    opts.metadata.push(7);
    assert.equal(f.levelField, 'severity');
    assert.deepEqual(f.metadata, ['trace_id']);
    assert.deepEqual(f.validate(), []);
  });

  it('a format used by two services is reported at each, once', () => {
    const app = new App();
    const stack = new Stack(app, 'shop');
    const f = LogFormat.json({ multiline: { firstLine: '^x', maxLines: 0 } });
    new Service(stack, 'a', { image: 'nginx:1.27', logFormat: f });
    new Service(stack, 'b', { image: 'nginx:1.27' }).setLogFormat(f);
    new Logging(stack, 'logging');
    const e = (() => {
      try {
        Testing.synth(stack);
      } catch (x) {
        return x;
      }
    })();
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(
      e.problems.map((p) => p.path),
      ['shop/a', 'shop/b'],
    );
  });

  it('never crashes: any value in any option is a message at the service (a small fuzz)', () => {
    const values: unknown[] = [undefined, null, 42, -1, 0.5, NaN, '', 'x', true, [], [null], ['x'], [42], {}, { a: 1 }, () => 1, Duration.seconds(1), [{}]];
    const shapes: Array<(v: unknown) => LogFormat> = [
      (v) => LogFormat.json(js(v)),
      (v) => LogFormat.regex(js(v)),
      (v) => LogFormat.regex('^(?P<level>\\w+)', js(v)),
      ...['level', 'levels', 'timestamp', 'metadata', 'multiline', 'rules'].map((k) => (v: unknown) => LogFormat.logfmt(js({ [k]: v }))),
      ...['field', 'format', 'fallbackFormats'].map((k) => (v: unknown) => LogFormat.json(js({ timestamp: { field: 'ts', format: 'RFC3339', [k]: v } }))),
      ...['firstLine', 'maxWait', 'maxLines'].map((k) => (v: unknown) => LogFormat.json(js({ multiline: { firstLine: '^x', [k]: v } }))),
      ...['pattern', 'reason', 'keep'].map((k) => (v: unknown) => LogFormat.json(js({ rules: [{ pattern: 'x', reason: 'r', [k]: v }] }))),
      (v) => LogFormat.json(js({ levels: { boom: v } })),
    ];
    // One stack per shape, a service per value: every problem is at a service, in the format's words.
    let reported = 0;
    for (const shape of shapes) {
      const app = new App();
      const stack = new Stack(app, 'shop');
      values.forEach((v, i) => new Service(stack, `web${i}`, { image: 'nginx:1.27', logFormat: shape(v) }));
      new Logging(stack, 'logging');
      let problems: readonly { path: string; message: string }[] = [];
      try {
        Testing.synth(stack);
      } catch (e) {
        assert.ok(e instanceof ValidationError, `${shape}: ${e}`);
        problems = e.problems;
      }
      for (const p of problems) assert.match(`[${p.path}] ${p.message}`, /^\[shop\/web\d+\] logFormat/, `${shape}`);
      assert.equal(new Set(problems.map(formatProblem)).size, problems.length, `${shape}: a message twice`);
      reported += new Set(problems.map((p) => p.path)).size;
    }
    assert.ok(reported > 150, `${reported} of the inputs reported`);
  });

  it('the formats of the built-in services have no problem', () => {
    const stack = new AixclStack(new App(), 'aixcl');
    for (const s of stack.node.findAll().filter(Service.isService)) assert.deepEqual(s.logFormat?.validate() ?? [], [], s.node.path);
  });
});

describe('timestamp formats as Promtail reads them (stages/util.go convertDateLayout, timestamp.md)', () => {
  it("accepts Promtail's names and Go layouts", () => {
    for (const f of [
      'RFC3339',
      'RFC3339Nano',
      'UnixMs',
      'ANSIC',
      'Jan _2 15:04:05',
      '2006-01-02T15:04:05.000Z07:00',
      '02/Jan/2006:15:04:05 -0700',
      '2006-01-02 15:04:05,000',
      '15:04',
      '3:04PM',
    ]) {
      assert.equal(timeFormatProblem(f), undefined, f);
    }
  });
  it('refuses what would parse no line, with the fix', () => {
    const expect: Array<[string, RegExp]> = [
      ['YYYY-MM-DD', /did you mean '2006-01-02'\?/],
      ['yyyy-MM-dd HH:mm:ss.SSS', /did you mean '2006-01-02 15:04:05\.000'\?/],
      ['%Y-%m-%dT%H:%M:%S%z', /did you mean '2006-01-02T15:04:05-0700'\?/],
      ['dd/MMM/yyyy:HH:mm:ss Z', /did you mean '02\/Jan\/2006:15:04:05 -0700'\?/],
      ['rfc3339nano', /did you mean 'RFC3339Nano'\?/],
      ['ISO8601', /did you mean 'RFC3339'\?/],
      ['Stamp', /not one of Promtail's .*write its layout 'Jan _2 15:04:05'/],
      ['DateTime', /write its layout '2006-01-02 15:04:05'/],
      ['whenever', /neither one of Promtail's named formats nor a Go layout: .*RFC3339Nano, Unix, UnixMs/],
      ['', /must not be empty/],
    ];
    for (const [f, re] of expect) assert.match(timeFormatProblem(f) ?? 'accepted', re, f);
  });
  it("finds the reference time's parts as Go's nextStdChunk does", () => {
    assert.deepEqual(goLayoutParts('2006-01-02T15:04:05.000Z07:00'), ['year', 'month', 'day', 'hour', 'minute', 'second', 'fraction', 'zone']);
    assert.deepEqual(goLayoutParts('Mon Jan _2 3:04PM MST'), ['weekday', 'month', 'day', 'hour', 'minute', 'ampm', 'zone']);
    assert.deepEqual(goLayoutParts('YYYY-MM-DD'), []);
  });
});

describe('Promtail stage schema (strict)', () => {
  const ok = (s: unknown) => PipelineStageSchema.safeParse(s).success;
  it('accepts the stages as Promtail 3.6 documents them', () => {
    assert.ok(ok({ multiline: { firstline: '^x', max_wait_time: '250ms', max_lines: 10 } }));
    assert.ok(ok({ match: { selector: '{a="b"}', stages: [{ regex: { expression: '(?P<x>.)' } }] } }));
    assert.ok(ok({ match: { selector: '{a="b"}', action: 'drop', drop_counter_reason: 'noise' } }));
    assert.ok(ok({ timestamp: { source: 't', format: 'RFC3339', action_on_failure: 'skip' } }));
  });
  it('rejects unknown stages, unknown keys and bad values', () => {
    assert.ok(!ok({ multilines: { firstline: '^x' } }));
    assert.ok(!ok({ multiline: { firstline: '^x', max_wait: '1s' } }));
    assert.ok(!ok({ regex: { expression: 'x' }, json: { expressions: { a: 'a' } } }));
    assert.ok(!ok({ timestamp: { source: 't', format: 'RFC3339', action_on_failure: 'ignore' } }));
    assert.ok(!ok({ sampling: { rate: 2 } }));
    assert.ok(!ok({ match: { selector: '{a="b"}' } }), 'keep without stages');
    assert.ok(!ok({ match: { selector: '{a="b"}', stages: [{ drop: {} }] } }), 'nested stages are checked too');
    assert.ok(!ok({ structured_metadata: { 'bad-name': 'x' } }));
  });
});

describe('the Promtail model itself', () => {
  it('Go time layouts as Go parses them', () => {
    assert.equal(iso(parseGoTime('2023-10-06 18:27:51.235 UTC', '2006-01-02 15:04:05.000 MST')!), '2023-10-06T18:27:51.235Z');
    assert.equal(iso(parseGoTime('15/Sep/2025:08:06:00 +0200', '02/Jan/2006:15:04:05 -0700')!), '2025-09-15T06:06:00.000Z');
    assert.equal(parseGoTime('2024-07-21T16:05:17.327-07:00', 'RFC3339Nano'), 1721603117327000000n);
    assert.equal(parseGoTime('2023-10-06 18:27:51 UTC', '2006-01-02 15:04:05.000 MST'), undefined, '.000 needs its three digits');
  });
  it('the level template maps words and leaves unknown ones out, as text/template would', () => {
    const tpl = '{{ $l := ToLower .Value }}{{ if eq $l "error" "fatal" }}error{{ else if eq $l "warning" }}warn{{ end }}';
    assert.equal(goTemplate(tpl, { Value: 'FATAL' }), 'error');
    assert.equal(goTemplate(tpl, { Value: 'Warning' }), 'warn');
    assert.equal(goTemplate(tpl, { Value: 'chatty' }), '');
    assert.throws(() => goTemplate(tpl, {}), /expected string/);
  });
  it("zone abbreviations as Go's parseTimeZone takes them: 3 letters, 4-5 ending in T, GMT+h, numeric", () => {
    const layout = '2006-01-02 15:04:05 MST';
    assert.equal(iso(parseGoTime('2024-03-01 11:00:00 AEST', layout)!), '2024-03-01T11:00:00.000Z');
    // GMT+3 is read, and the instant stays the wall clock read as UTC: time.Parse relabels it with a
    // fabricated zone of offset +3 without moving it (as Go itself answers: go-parity.test.ts).
    assert.equal(iso(parseGoTime('2024-03-01 11:00:00 GMT+3', layout)!), '2024-03-01T11:00:00.000Z');
    assert.equal(iso(parseGoTime('2024-03-01 11:00:00 -03', layout)!), '2024-03-01T11:00:00.000Z');
    assert.equal(parseGoTime('2024-03-01 11:00:00 +0530', layout), undefined, 'a signed number above 23 is no zone (parseSignedOffset)');
    assert.equal(parseGoTime('2024-03-01 11:00:00 ABCD', layout), undefined, '4 letters not ending in T');
  });
  it("a match selector with a backtick string fails as Promtail's own selector lexer does", () => {
    const e = { labels: { compose_service: 'x' }, line: 'a', time: 0n, extracted: {}, metadata: {} };
    assert.throws(() => selects('{compose_service=`x`}', e), /invalid selector syntax for match stage/);
    assert.equal(selects('{compose_service="x"} |~ "`"', e), false, 'a backtick inside a double-quoted string is text');
  });
  it('stages read labels (each pipeline copies them into the extracted map); a label turned metadata leaves the labels', () => {
    const out = runPipeline(
      [{ template: { source: 'tier', template: '{{ ToUpper .Value }}' } }, { structured_metadata: { tier: null } }],
      [{ labels: { tier: 'web', job: 'j' }, line: 'x', time: 0n }],
    );
    assert.deepEqual(out[0].metadata, { tier: 'WEB' });
    assert.deepEqual(out[0].labels, { tier: 'web', job: 'j' }, 'a different value: the label stays');
    const moved = runPipeline([{ structured_metadata: { tier: null } }], [{ labels: { tier: 'web', job: 'j' }, line: 'x', time: 0n }]);
    assert.deepEqual([moved[0].metadata, moved[0].labels], [{ tier: 'web' }, { job: 'j' }]);
  });
  it('an unmodeled stage is refused, not guessed', () => {
    assert.throws(() => runPipeline([{ pack: { labels: ['a'] } }], []), /not modeled/);
  });
});
