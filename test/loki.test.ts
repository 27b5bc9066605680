import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { Duration, NetworkMode, Service, Size, Stack, Testing, ValidationError, type StackProps } from '../src/index.js';
import { checkLokiConfig, createLokiConfigSchema, Loki, LOKI_GRPC_PORT, lokiConfigSchema, type LokiProps } from '../src/loki/index.js';

/** Stands in for Promtail: a log shipper that pushes into a Loki. */
class FakeCollector extends Construct {
  constructor(scope: Construct, id: string, loki: Loki) {
    super(scope, id);
    loki.registerCollector(this);
  }
}

interface Fixture {
  stack: Stack;
  loki: Loki;
}

function make(props: LokiProps = {}, stackProps: StackProps = {}, opts: { collector?: boolean } = {}): Fixture {
  const stack = new Stack(Testing.app(), 'demo', stackProps);
  const loki = new Loki(stack, 'loki', props);
  if (opts.collector ?? true) new FakeCollector(stack, 'collector', loki);
  return { stack, loki };
}

type Doc = Record<string, any>;

function lokiConfig(f: Fixture, path = 'loki/loki-config.yml'): Doc {
  const text = Testing.synth(f.stack)[path];
  assert.ok(text, `${path} was generated`);
  return parse(text) as Doc;
}

function composeService(f: Fixture, name = 'loki'): Doc {
  return (parse(Testing.synth(f.stack)['docker-compose.yml']) as Doc).services[name];
}

/** Asserts synthesis fails with a problem containing each of `fragments`. */
function assertProblem(f: Fixture, ...fragments: string[]): ValidationError {
  let caught: unknown;
  try {
    Testing.synth(f.stack);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError, got ${String(caught)}`);
  for (const fr of fragments) assert.ok(caught.message.includes(fr), `expected "${fr}" in:\n${caught.message}`);
  return caught;
}

describe('Loki defaults', () => {
  it('renders the single-binary configuration the facts require', () => {
    const doc = lokiConfig(make());
    assert.equal(doc.auth_enabled, false);
    assert.deepEqual(doc.server, {
      http_listen_address: '0.0.0.0',
      http_listen_port: 3100,
      grpc_listen_address: '0.0.0.0',
      grpc_listen_port: 9096,
      log_level: 'info',
    });
    assert.deepEqual(doc.common, {
      instance_addr: '127.0.0.1',
      path_prefix: '/loki',
      storage: { filesystem: { chunks_directory: '/loki/chunks', rules_directory: '/loki/rules' } },
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    });
    assert.deepEqual(doc.schema_config, {
      configs: [{ from: '2024-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    });
    assert.equal(doc.compactor.working_directory, '/loki/compactor');
    assert.equal(doc.compactor.retention_enabled, true);
    assert.equal(doc.compactor.delete_request_store, 'filesystem');
    assert.equal(doc.compactor.retention_delete_delay, '2h');
    assert.equal(doc.compactor.compaction_interval, '10m');
    assert.equal(doc.limits_config.retention_period, '168h');
    assert.equal(doc.limits_config.max_query_lookback, '168h');
    assert.equal(doc.limits_config.reject_old_samples, true);
    assert.equal(doc.limits_config.reject_old_samples_max_age, '168h');
    assert.equal(doc.limits_config.allow_structured_metadata, true);
    assert.deepEqual(doc.analytics, { reporting_enabled: false });
  });

  it('renders a document that passes its own schema', () => {
    const doc = lokiConfig(make());
    assert.equal(lokiConfigSchema.safeParse(doc).success, true);
    assert.deepEqual(checkLokiConfig(doc), []);
  });

  it('renders the compose service: command, mounts, volume, memory, healthcheck, restart, ports', () => {
    const f = make();
    const svc = composeService(f);
    assert.equal(svc.image, 'grafana/loki:3.7.6');
    assert.deepEqual(svc.command, ['-config.file=/etc/loki/config.yml']);
    assert.deepEqual(svc.volumes, [
      { type: 'bind', source: './loki/loki-config.yml', target: '/etc/loki/config.yml', read_only: true },
      { type: 'volume', source: 'loki-data', target: '/loki' },
    ]);
    assert.equal(svc.mem_limit, '512m');
    assert.equal(svc.environment.GOMEMLIMIT, '64MiB');
    assert.equal(svc.restart, 'unless-stopped');
    assert.deepEqual(svc.healthcheck, {
      test: ['CMD', '/usr/bin/loki', '-health'],
      interval: '10s',
      timeout: '5s',
      retries: 5,
      start_period: '30s',
    });
    // gRPC is declared but not published.
    assert.deepEqual(svc.ports, [{ target: 3100, published: '3100', host_ip: '127.0.0.1', protocol: 'tcp' }]);
    assert.deepEqual(
      f.loki.service.ports.map((p) => [p.containerPort, p.publish]),
      [
        [3100, undefined],
        [LOKI_GRPC_PORT, false],
      ],
    );
    const compose = parse(Testing.synth(f.stack)['docker-compose.yml']) as Doc;
    assert.deepEqual(compose.volumes, { 'loki-data': {} });
  });

  it('exposes metrics, URLs and the contract fields', () => {
    const { loki } = make();
    assert.deepEqual(loki.service.metrics, { port: 3100, path: '/metrics' });
    assert.equal(loki.url, 'http://loki:3100');
    assert.equal(loki.pushUrl, 'http://loki:3100/loki/api/v1/push');
    assert.equal(loki.port, 3100);
    assert.equal(loki.retention.toGoString(), '168h');
    assert.equal(loki.config.filePath, 'loki/loki-config.yml');
    assert.equal(loki.dataVolume.volumeName, 'loki-data');
    assert.equal(loki.dataVolume.node.id, 'Data');
  });
});

describe('Loki retention', () => {
  it('writes 7 days as 168h in retention_period and max_query_lookback', () => {
    const doc = lokiConfig(make({ retention: Duration.days(7) }));
    assert.equal(doc.limits_config.retention_period, '168h');
    assert.equal(doc.limits_config.max_query_lookback, '168h');
  });

  it('keeps reject_old_samples_max_age within the retention', () => {
    const long = lokiConfig(make({ retention: Duration.days(30) }));
    assert.equal(long.limits_config.retention_period, '720h');
    assert.equal(long.limits_config.max_query_lookback, '720h');
    assert.equal(long.limits_config.reject_old_samples_max_age, '168h');
    const short = lokiConfig(make({ retention: Duration.hours(36) }));
    assert.equal(short.limits_config.retention_period, '36h');
    assert.equal(short.limits_config.reject_old_samples_max_age, '36h');
  });

  it('rejects a retention below 24h at the Loki path', () => {
    const f = make({ retention: Duration.hours(12) });
    assertProblem(f, "[demo/loki] retention of 12h is below Loki's minimum of 24h", 'Duration.days(1)');
  });
});

describe('Loki healthcheck by image version', () => {
  const healthcheckOf = (image: string, stackProps: StackProps = {}, props: LokiProps = {}) =>
    composeService(make({ image, ...props }, stackProps)).healthcheck;

  it('uses wget through busybox up to 3.5.x', () => {
    for (const image of ['grafana/loki:3.0.0', 'grafana/loki:3.5.7']) {
      const hc = healthcheckOf(image);
      assert.deepEqual(hc.test, ['CMD-SHELL', 'wget -q --spider http://localhost:3100/ready || exit 1'], image);
      assert.equal(hc.start_period, '30s');
      assert.equal(hc.interval, '10s');
    }
  });

  it('uses `loki -health` from 3.6.5 and in 3.7', () => {
    for (const image of ['grafana/loki:3.6.5', 'grafana/loki:3.6.15', 'grafana/loki:3.7.0']) {
      assert.deepEqual(healthcheckOf(image).test, ['CMD', '/usr/bin/loki', '-health'], image);
    }
  });

  it('rejects 3.6.0, whose /loki is owned by root', () => {
    const f = make({ image: 'grafana/loki:3.6.0' });
    assert.equal(f.loki.healthcheck, undefined);
    assertProblem(f, '[demo/loki] Loki 3.6.0 ships /loki owned by root and cannot start as uid 10001: pin 3.6.5 or later');
  });

  it('rejects 3.6.1 to 3.6.4, where no healthcheck can work', () => {
    for (const v of ['3.6.1', '3.6.4']) {
      assertProblem(make({ image: `grafana/loki:${v}` }), `[demo/loki] Loki ${v} has no shell and no 'loki -health' command`, 'pin 3.6.5+ or 3.7.x');
    }
  });

  it('rejects a tag that is not a version', () => {
    for (const image of ['grafana/loki:latest', 'grafana/loki', 'grafana/loki@sha256:' + 'a'.repeat(64)]) {
      assertProblem(make({ image }), `[demo/loki] unknown image version format in '${image}'`, 'pin a version tag, e.g. grafana/loki:3.7.6');
    }
  });

  it('rejects Loki 2', () => {
    assertProblem(make({ image: 'grafana/loki:2.9.8' }), '[demo/loki] Loki 2.9.8 is not supported');
  });

  it('collects version problems with the others instead of throwing at construction', () => {
    let f: Fixture | undefined;
    assert.doesNotThrow(() => {
      f = make({ image: 'grafana/loki:latest', memoryLimit: Size.mebibytes(128) }, {}, { collector: false });
    });
    const e = assertProblem(f!, 'unknown image version format', 'too small', 'no log collector');
    assert.equal(e.problems.filter((p) => p.path === 'demo/loki').length, 3);
  });

  it('points -health at a non-default port', () => {
    assert.deepEqual(healthcheckOf('grafana/loki:3.7.6', {}, { port: 3200 }).test, [
      'CMD',
      '/usr/bin/loki',
      '-health',
      '-health.url=http://localhost:3200/ready',
    ]);
  });

  it('points the probe at the bind address on host networking', () => {
    const host = { networkMode: NetworkMode.HOST };
    assert.deepEqual(healthcheckOf('grafana/loki:3.7.6', host).test, ['CMD', '/usr/bin/loki', '-health', '-health.url=http://127.0.0.1:3100/ready']);
    assert.deepEqual(healthcheckOf('grafana/loki:3.5.7', host).test, ['CMD-SHELL', 'wget -q --spider http://127.0.0.1:3100/ready || exit 1']);
    // Listening on every address: the default localhost URL reaches it.
    assert.deepEqual(healthcheckOf('grafana/loki:3.7.6', { ...host, bindAddress: '0.0.0.0' }).test, ['CMD', '/usr/bin/loki', '-health']);
  });
});

describe('Loki configuration overrides', () => {
  it('accepts a valid override of a modeled block', () => {
    const f = make();
    f.loki.config.addOverride('limits_config.max_streams_per_user', 100);
    assert.equal(lokiConfig(f).limits_config.max_streams_per_user, 100);
  });

  it('accepts valid keys of every block: querier, frontend, ingester, ruler, pattern_ingester, hidden ones', () => {
    const f = make();
    f.loki.config.addOverride('querier.max_concurrent', 2);
    f.loki.config.addOverride('frontend.max_outstanding_per_tenant', 4096);
    f.loki.config.addOverride('ingester.wal.dir', '/loki/wal');
    f.loki.config.addOverride('ruler.storage', { type: 'local', local: { directory: '/loki/rules' } });
    f.loki.config.addOverride('ruler.enable_api', true);
    f.loki.config.addOverride('pattern_ingester.enabled', true);
    f.loki.config.addOverride('limits_config.max_line_size', '512KB');
    // Read by Loki although the reference hides it (doc:"hidden" in pkg/validation/limits.go).
    f.loki.config.addOverride('limits_config.policy_override_limits', {});
    const doc = lokiConfig(f);
    assert.equal(doc.querier.max_concurrent, 2);
    assert.equal(doc.frontend.max_outstanding_per_tenant, 4096);
    assert.equal(doc.ruler.storage.local.directory, '/loki/rules');
  });

  it('rejects an unknown or removed key in every block, with did-you-mean', () => {
    const f = make();
    f.loki.config.addOverride('ingester.max_transfer_retries', 0);
    f.loki.config.addOverride('querier.max_concurent', 2);
    f.loki.config.addOverride('pattern_ingester.enabeld', true);
    f.loki.config.addOverride('ruler.storage.local.directroy', '/loki/rules');
    f.loki.config.addOverride('frontend.max_outstanding_per_tenat', 10);
    const e = assertProblem(
      f,
      '`ingester.max_transfer_retries` is not a setting of Loki 3.7 (Loki refuses to start on an unknown key): removed in Loki 3.0 in favour of the write-ahead log',
      '`querier.max_concurent` is not a setting of Loki 3.7',
      'did you mean `max_concurrent`?',
      '`pattern_ingester.enabeld` is not a setting of Loki 3.7',
      'did you mean `enabled`?',
      '`ruler.storage.local.directroy` is not a setting of Loki 3.7',
      'did you mean `directory`?',
      'did you mean `max_outstanding_per_tenant`?',
    );
    assert.equal(e.problems.length, 1, 'one problem for the file, listing each key');
  });

  it('rejects values of the wrong kind: a quoted int, a float as string, a bad size, a list for a block', () => {
    const f = make();
    f.loki.config.addOverride('limits_config.max_entries_limit_per_query', '1000');
    f.loki.config.addOverride('ingester.concurrent_flushes', 1.5);
    f.loki.config.addOverride('limits_config.ingestion_rate_mb', '4');
    f.loki.config.addOverride('limits_config.max_line_size', 'lots');
    f.loki.config.addOverride('querier', ['max_concurrent']);
    assertProblem(
      f,
      '`limits_config.max_entries_limit_per_query` must be a whole number, unquoted (Loki refuses a string here, even "1000")',
      '`ingester.concurrent_flushes` must be a whole number',
      '`limits_config.ingestion_rate_mb` must be a number, unquoted',
      '`limits_config.max_line_size` must be a number of bytes or a size with a unit, such as 64MB',
      '`querier` must be a mapping of settings',
    );
  });

  it('rejects an unknown key with its path and a suggestion', () => {
    const f = make();
    f.loki.config.addOverride('limits_config.max_stream_per_user', 100);
    assertProblem(
      f,
      '[demo/loki/Config] the Loki configuration would not load in Loki 3.7',
      '`limits_config.max_stream_per_user` is not a setting of Loki 3.7',
      'did you mean `max_streams_per_user`?',
    );
  });

  it('rejects shared_store, removed in Loki 3.0', () => {
    const f = make();
    f.loki.config.addOverride('storage_config.boltdb_shipper.shared_store', 'filesystem');
    assertProblem(f, '[demo/loki/Config]', '`storage_config.boltdb_shipper.shared_store` is not a setting', 'removed in Loki 3.0');
  });

  it('rejects a top-level typo', () => {
    const f = make();
    f.loki.config.addOverride('limit_config.retention_period', '24h');
    assertProblem(f, '`limit_config` is not a setting of Loki 3.7', 'did you mean `limits_config`?');
  });

  it('rejects a wrongly typed value', () => {
    const f = make();
    f.loki.config.addOverride('compactor.retention_enabled', 'yes');
    assertProblem(f, '`compactor.retention_enabled` must be true or false');
  });

  it('rejects an override that removes delete_request_store while retention is on', () => {
    const f = make();
    f.loki.config.addOverride('compactor.delete_request_store', undefined);
    assertProblem(f, '[demo/loki/Config]', '`compactor.delete_request_store` is required when compactor.retention_enabled is true');
  });

  it('knows which top-level blocks the pinned version reads', () => {
    // block_builder existed in 3.4 and 3.5 only.
    const old = make({ image: 'grafana/loki:3.5.7' });
    old.loki.config.addOverride('block_builder', {});
    assert.deepEqual(lokiConfig(old).block_builder, {});
    const current = make();
    current.loki.config.addOverride('block_builder', {});
    assertProblem(current, '`block_builder` is not a setting of Loki 3.7');
  });
});

describe('Loki configuration schema', () => {
  const valid = (): Doc => lokiConfig(make());

  it('rejects retention without delete_request_store, at that key', () => {
    const doc = valid();
    delete doc.compactor.delete_request_store;
    const r = lokiConfigSchema.safeParse(doc);
    assert.equal(r.success, false);
    assert.deepEqual(
      r.error!.issues.map((i) => i.path),
      [['compactor', 'delete_request_store']],
    );
  });

  it('requires a 24h index period for tsdb and for retention', () => {
    const doc = valid();
    doc.schema_config.configs[0].index.period = '168h';
    assert.equal(checkLokiConfig(doc).length, 1);
    assert.match(checkLokiConfig(doc)[0], /^`schema_config\.configs\[0\]\.index\.period` must be 24h \(Loki requires it for the tsdb store\)/);
    const bolt = valid();
    bolt.limits_config.allow_structured_metadata = false;
    bolt.schema_config.configs[0] = { ...bolt.schema_config.configs[0], store: 'boltdb-shipper', schema: 'v12', index: { prefix: 'index_', period: '48h' } };
    assert.match(checkLokiConfig(bolt).join('\n'), /index\.period` must be 24h \(retention only works with daily index tables\)/);
  });

  it('requires tsdb and v13 in the newest period while structured metadata is allowed', () => {
    const doc = valid();
    doc.schema_config.configs[0].schema = 'v12';
    assert.match(checkLokiConfig(doc).join('\n'), /`schema_config\.configs\[0\]` structured metadata .* needs store tsdb and schema v13/);
    doc.limits_config.allow_structured_metadata = false;
    assert.deepEqual(checkLokiConfig(doc), []);
  });

  it('checks the schema periods: at least one, dates in order', () => {
    const empty = valid();
    empty.schema_config.configs = [];
    assert.match(checkLokiConfig(empty)[0], /`schema_config\.configs` must hold at least one period/);
    const unordered = valid();
    unordered.schema_config.configs.push({ ...unordered.schema_config.configs[0], from: '2023-06-01' });
    assert.match(checkLokiConfig(unordered).join('\n'), /configs\[1\]\.from` must come after the previous period's 2024-01-01/);
  });

  it('rejects a retention_period below 24h and malformed durations', () => {
    const doc = valid();
    doc.limits_config.retention_period = '12h';
    assert.match(checkLokiConfig(doc).join('\n'), /`limits_config\.retention_period` is below Loki's minimum retention of 24h/);
    doc.limits_config.retention_period = '7 days';
    assert.match(checkLokiConfig(doc).join('\n'), /`limits_config\.retention_period` must be a duration/);
  });

  it('applies version-dependent top-level keys', () => {
    const doc = { ...valid(), ui: { enabled: true } };
    assert.equal(lokiConfigSchema.safeParse(doc).success, true);
    const v34 = createLokiConfigSchema({ version: { major: 3, minor: 4, patch: 6 } });
    assert.equal(v34.safeParse(doc).success, false);
    assert.match(checkLokiConfig(doc, { version: { major: 3, minor: 4, patch: 6 } }).join('\n'), /`ui` is not a setting of Loki 3\.4/);
  });
});

describe('Loki networking', () => {
  it('listens on the bind address and is reached on localhost with host networking', () => {
    const f = make({}, { networkMode: NetworkMode.HOST });
    const doc = lokiConfig(f);
    assert.equal(doc.server.http_listen_address, '127.0.0.1');
    assert.equal(doc.server.grpc_listen_address, '127.0.0.1');
    assert.equal(doc.common.instance_addr, '127.0.0.1');
    assert.equal(f.loki.url, 'http://localhost:3100');
    assert.equal(f.loki.pushUrl, 'http://localhost:3100/loki/api/v1/push');
    const svc = composeService(f);
    assert.equal(svc.network_mode, 'host');
    assert.equal(svc.ports, undefined);
  });

  it('puts a specific bind address in the ring so Loki can dial itself', () => {
    const doc = lokiConfig(make({}, { networkMode: NetworkMode.HOST, bindAddress: '192.168.1.10' }));
    assert.equal(doc.server.http_listen_address, '192.168.1.10');
    assert.equal(doc.common.instance_addr, '192.168.1.10');
  });

  it('is reached by service name on a bridge, with its own names for another service name', () => {
    const f = make({ serviceName: 'logs', port: 3200 });
    assert.equal(f.loki.url, 'http://logs:3200');
    assert.equal(f.loki.config.filePath, 'logs/loki-config.yml');
    assert.equal(f.loki.dataVolume.volumeName, 'logs-data');
    const doc = lokiConfig(f, 'logs/loki-config.yml');
    assert.equal(doc.server.http_listen_port, 3200);
    assert.deepEqual(f.loki.service.metrics, { port: 3200, path: '/metrics' });
  });

  it('declares the gRPC port so host networking sees a conflict on it', () => {
    const host = make({}, { networkMode: NetworkMode.HOST });
    new Service(host.stack, 'other', { image: 'busybox:1.36', ports: [{ containerPort: 9096 }] });
    assertProblem(host, '[demo] host port 9096/tcp is used by demo/loki/Service and demo/other');
    // On a bridge the unpublished gRPC port takes nothing on the host.
    const bridge = make();
    new Service(bridge.stack, 'other', { image: 'busybox:1.36', ports: [{ containerPort: 9096 }] });
    assert.doesNotThrow(() => Testing.synth(bridge.stack));
  });

  it('rejects the gRPC port as HTTP port', () => {
    assertProblem(make({ port: 9096 }), "[demo/loki] port 9096 is Loki's gRPC port");
  });
});

describe('Loki memory', () => {
  it('sets GOMEMLIMIT to the footprint target, never above 80% of the limit', () => {
    const svc = composeService(make({ memoryLimit: Size.gibibytes(1) }));
    assert.equal(svc.mem_limit, '1g');
    assert.equal(svc.environment.GOMEMLIMIT, '64MiB');
    assert.equal(composeService(make({ memoryTarget: Size.mebibytes(128) })).environment.GOMEMLIMIT, '128MiB');
    assert.equal(composeService(make({ memoryLimit: Size.mebibytes(256), memoryTarget: Size.gibibytes(1) })).environment.GOMEMLIMIT, '204MiB');
  });

  it('rejects a limit below 256 MiB, saying why', () => {
    assertProblem(
      make({ memoryLimit: Size.mebibytes(128) }),
      '[demo/loki] memoryLimit of 128m is too small: Loki idles near 90 MiB and gets OOM-killed under load',
    );
  });
});

describe('Loki collectors', () => {
  it('is an error when nothing pushes to Loki', () => {
    assertProblem(make({}, {}, { collector: false }), '[demo/loki] Loki has no log collector pushing to it: add a Promtail with { loki: <this> }');
  });

  it('records each collector once', () => {
    const { stack, loki } = make({}, {}, { collector: false });
    const c = new FakeCollector(stack, 'c1', loki);
    loki.registerCollector(c);
    assert.deepEqual(loki.collectors, [c]);
    assert.doesNotThrow(() => Testing.synth(stack));
  });

  it('rejects a collector from another stack, at the collector', () => {
    const f = make();
    const other = new Stack(f.stack.node.root as Construct, 'other');
    new Service(other, 'svc', { image: 'busybox:1.36' });
    new FakeCollector(other, 'shipper', f.loki);
    assertProblem(f, '[other/shipper] pushes to demo/loki, which is in another stack');
  });
});

describe('Loki: one report per mistake', () => {
  it('reports a wrong service name at its Service only: not again as the file path, the volume name or Promtail push URL', async () => {
    const { App, Logging } = await import('../src/index.js');
    const { problemsOf } = await import('./support/problems.js');
    const app = new App();
    new Logging(new Stack(app, 'shop'), 'logging', { loki: { serviceName: 'my loki' } });
    // The compose file's own schema report of the name is the compose checks' concern.
    const lines = problemsOf(app).filter((l) => !l.startsWith('[shop/ComposeFile]'));
    assert.deepEqual(lines, ["[shop/logging/loki/Service] service name 'my loki' is invalid: use letters, digits, '.', '_' and '-'"]);
  });

  it('still reports a Promtail push URL an override made wrong', async () => {
    const { App, CollectorKind, Logging } = await import('../src/index.js');
    const { problemsOf } = await import('./support/problems.js');
    const app = new App();
    const logging = new Logging(new Stack(app, 'shop'), 'logging', { collector: CollectorKind.PROMTAIL });
    logging.promtail!.config.addOverride('clients.0.url', 'loki:3100');
    const lines = problemsOf(app);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0],
      /^\[shop\/logging\/promtail\/Config\] the Promtail config would not load \(check overrides\): clients\.0\.url: expected an http\(s\) URL/,
    );
  });
});
