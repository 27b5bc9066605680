// The Alloy collector: what it generates, that it labels and parses lines as Promtail does (so a stack
// can move from one to the other), its OTLP intake, and the collector choice of the compositions.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  AixclStack,
  Alloy,
  App,
  CollectorKind,
  Logging,
  LoggingOnlyStack,
  Loki,
  NetworkMode,
  Promtail,
  Service,
  Stack,
  Target,
  Testing,
} from '../src/index.js';
import { alloyStage } from '../src/alloy/alloy-pipeline.js';
import { pipelineStages } from '../src/collector/log-pipeline.js';
import { stackLogFormats } from '../src/collector/stack-log-formats.js';
import { renderAlloy } from '../src/alloy/alloy-syntax.js';
import { OTLP_PROJECT_ATTRIBUTE, OTLP_SERVICE_ATTRIBUTE } from '../src/alloy/alloy-config-file.js';
import { PROJECT_LOG_LABEL, type CollectedLogLabel } from '../src/collector/collected-labels.js';
import { problemsOf } from './support/problems.js';
import { tempDir } from './support/temp.js';

const compose = (stack: Stack): any => parse(Testing.synth(stack)['docker-compose.yml']);

describe('Alloy', () => {
  it('is the collector of a new Logging, and collects the stack project through the read-only socket', () => {
    const stack = new Stack(new App(), 'shop', { networkMode: NetworkMode.BRIDGE });
    const logging = new Logging(stack, 'logging');
    assert.equal(logging.collector.kind, CollectorKind.ALLOY);
    assert.ok(logging.alloy instanceof Alloy);
    assert.equal(logging.promtail, undefined);
    const files = Testing.synth(stack);
    const config = files['alloy/config.alloy'];
    assert.match(config, /values = \["com\.docker\.compose\.project=shop"\]/);
    assert.match(config, /url *= "http:\/\/loki:3100\/loki\/api\/v1\/push"/);
    const svc = parse(files['docker-compose.yml']).services.alloy;
    assert.deepEqual(svc.command, [
      'run',
      '--server.http.listen-addr=0.0.0.0:12345',
      '--storage.path=/var/lib/alloy/data',
      '--disable-reporting',
      '/etc/alloy/config.alloy',
    ]);
    const socket = svc.volumes.find((v: any) => v.target === '/var/run/docker.sock');
    assert.equal(socket.read_only, true);
    assert.ok(
      svc.volumes.some((v: any) => v.target === '/var/lib/alloy/data' && v.type === 'volume'),
      'positions survive a restart',
    );
    // Only the HTTP server is published, on loopback; the OTLP receivers stay on the stack's network.
    assert.deepEqual(
      svc.ports.map((p: any) => `${p.host_ip}:${p.published}:${p.target}`),
      ['127.0.0.1:12345:12345'],
    );
    assert.deepEqual(svc.healthcheck.test.slice(0, 2), ['CMD', 'bash']);
    assert.match(svc.healthcheck.test[3], /GET \/-\/ready HTTP\/1\.0/);
    assert.doesNotMatch(JSON.stringify(svc.healthcheck), /wget|curl/);
    assert.equal(svc.environment.GOMEMLIMIT, '96MiB');
  });

  it('on the host network listens on the bind address, and the OTLP receivers too', () => {
    const stack = new Stack(new App(), 'shop', { networkMode: NetworkMode.HOST });
    new Logging(stack, 'logging');
    const files = Testing.synth(stack);
    assert.ok(parse(files['docker-compose.yml']).services.alloy.command.includes('--server.http.listen-addr=127.0.0.1:12345'));
    assert.match(files['alloy/config.alloy'], /endpoint = "127\.0\.0\.1:4317"/);
    assert.match(files['alloy/config.alloy'], /endpoint = "127\.0\.0\.1:4318"/);
    assert.match(files['alloy/config.alloy'], /endpoint = "http:\/\/localhost:3100\/otlp"/);
  });

  it('produces the labels and structured metadata Promtail produces for the same stack', () => {
    const withCollector = (collector: CollectorKind) => {
      const stack = new AixclStack(new App(), 'aixcl', { collector });
      Testing.synth(stack);
      return stack.logging.collector.producedLabels;
    };
    const alloy = withCollector(CollectorKind.ALLOY);
    assert.deepEqual(alloy, withCollector(CollectorKind.PROMTAIL));
    assert.deepEqual(alloy.labels, ['compose_project', 'compose_service', 'container', 'image', 'service_name', 'stream']);
    assert.ok(alloy.structuredMetadata.includes('level'));
  });

  it("runs the same stages as Promtail, with Promtail's newlines in multi-line entries", () => {
    const alloyStack = new AixclStack(new App(), 'aixcl');
    const config = Testing.synth(alloyStack)['alloy/config.alloy'];
    // The stages Promtail's file would get for these services (the same function writes both), in the
    // same order, are the blocks of the generated loki.process.
    const expected = renderAlloy(pipelineStages(stackLogFormats(alloyStack)).map(alloyStage));
    const body = expected
      .trim()
      .split('\n')
      .map((l) => `\t${l}`.replace(/^\t$/, ''))
      .join('\n');
    assert.ok(config.includes(body), 'the loki.process stages are the Promtail stages');
    // Postgres writes multi-line statements; Alloy would trim each line's newline where Promtail does not.
    assert.match(config, /stage\.multiline \{\n(\t+[a-z_]+ += [^\n]*\n)*\t+trim_newlines = false\n/);
    assert.match(config, /forward_to = \[loki\.write\.loki\.receiver\]/);
    // Promtail keeps a parsed time that equals the previous line's; Alloy would move it 1 ns (a switch then stores the line twice).
    const timestamps = config.match(/stage\.timestamp \{\n(\t+[a-z_]+ += [^\n]*\n)*\t+\}/g) ?? [];
    assert.ok(timestamps.length > 0);
    for (const t of timestamps) assert.match(t, /action_on_duplicate_timestamp = "keep"/);
  });

  it('has collector alerts on its own metrics (loki_write_*)', () => {
    const files = Testing.synth(new AixclStack(new App(), 'aixcl'));
    const rules = parse(files['prometheus/rules/log-collector.yml']).groups[0].rules;
    const expr = Object.fromEntries(rules.map((r: any) => [r.alert, r.expr]));
    assert.equal(expr.LogCollectorPushFailing, 'sum(rate(loki_write_request_duration_seconds_count{job="alloy", status_code!~"2.."}[5m])) > 0');
    assert.equal(expr.LogCollectorDroppingLogs, 'sum(increase(loki_write_dropped_entries_total{job="alloy"}[10m])) > 0');
    assert.equal(expr.LogCollectorDown, 'up{job="alloy"} == 0');
  });

  it('is one global service per node under Swarm, with the node label', () => {
    const stack = new AixclStack(new App(), 'aixcl', { target: Target.SWARM });
    const files = Testing.synth(stack);
    assert.equal(parse(files['docker-stack.yml']).services.alloy.deploy.mode, 'global');
    assert.match(files['alloy/config.alloy'], /source_labels = \["__meta_docker_container_label_com_docker_swarm_node_id"\]\n\t\ttarget_label  = "node"/);
    assert.ok(stack.logging.collector.producedLabels.labels?.includes('node'));
  });

  it('refuses an Alloy too old for Docker 29, two ports that clash, and a Loki of another stack', () => {
    const app = new App();
    const other = new Loki(new Stack(app, 'other'), 'loki');
    const stack = new Stack(app, 'shop');
    new Loki(stack, 'loki2');
    new Alloy(stack, 'a', { loki: other, image: 'grafana/alloy:v1.13.1', port: 4318 });
    const problems = problemsOf(app).filter((l) => l.startsWith('[shop/a]'));
    assert.ok(
      problems.some((l) => /older than Alloy 1\.14\.0: its Docker discovery asks for an API version Docker Engine 29 refuses/.test(l)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((l) => /port 4318 is also an OTLP port/.test(l)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((l) => /pushes to other\/loki, which is in another stack/.test(l)),
      problems.join('\n'),
    );
  });

  it('the escape hatch: an override is checked as Alloy reads the file', () => {
    const stack = new Stack(new App(), 'shop');
    const logging = new Logging(stack, 'logging');
    logging.alloy!.config.addOverride('loki.write "loki"', 'endpoint.batch_size', '512KiB');
    assert.match(Testing.synth(stack)['alloy/config.alloy'], /batch_size = "512KiB"/);
    logging.alloy!.config.addOverride('loki.write "loki"', 'endpoint.batch_sizee', '1MiB');
    const problems = problemsOf(stack.node.root as App);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^\[shop\/logging\/alloy\/Config\] the Alloy config would not load \(check addOverride\/addComponent\): .*batch_sizee/);
  });
});

describe('OTLP intake', () => {
  it('a service with otlp: true gets the SDK variables of the stack collector; its own values win', () => {
    const stack = new Stack(new App(), 'shop', { networkMode: NetworkMode.BRIDGE });
    new Logging(stack, 'logging');
    new Service(stack, 'api', { image: 'ghcr.io/acme/api:1.0', otlp: true, environment: { OTEL_LOGS_EXPORTER: 'console,otlp' } });
    new Service(stack, 'web', { image: 'nginx:1.27' });
    const services = compose(stack).services;
    assert.deepEqual(services.api.environment, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://alloy:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_LOGS_EXPORTER: 'console,otlp',
      OTEL_RESOURCE_ATTRIBUTES: 'compose.service=api',
      OTEL_SERVICE_NAME: 'api',
    });
    assert.equal(services.web.environment, undefined);
  });

  it('otlp: true with no collector receiving OTLP is refused, with the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'shop');
    new Logging(stack, 'logging', { alloy: { otlp: false } });
    new Service(stack, 'api', { image: 'ghcr.io/acme/api:1.0', otlp: true });
    assert.deepEqual(problemsOf(app), [
      '[shop/api] otlp: true, but no collector of this stack receives OTLP: add Logging (its Alloy receives OTLP unless alloy.otlp is false), or remove otlp',
    ]);
    assert.doesNotMatch(Testing.synth(new AixclStack(new App(), 'x', { collector: CollectorKind.PROMTAIL }))['docker-compose.yml'], /OTEL_/);
  });

  it("every OTLP log carries the project (Alloy sets it) and a service's its service (its SDK does), as the collected logs' labels", () => {
    const files = Testing.synth(new AixclStack(new App(), 'shop', { networkMode: NetworkMode.BRIDGE }));
    const alloy = files['alloy/config.alloy'];
    // receiver -> attributes (upsert on each record) -> groupbyattrs (up to the resource) -> batch -> Loki
    assert.match(alloy, /otelcol\.receiver\.otlp "otlp" \{[^]*?logs = \[otelcol\.processor\.attributes\.otlp\.input\]/);
    assert.match(alloy, /action \{\n\t\tkey {4}= "compose\.project"\n\t\tvalue {2}= "shop"\n\t\taction = "upsert"\n\t\}/);
    assert.match(
      alloy,
      /otelcol\.processor\.groupbyattrs "otlp" \{\n\tkeys = \["compose\.project"\]\n\n\toutput \{\n\t\tlogs = \[otelcol\.processor\.batch\.otlp\.input\]/,
    );
    const limits = parse(files['loki/loki-config.yml']).limits_config;
    assert.deepEqual(limits.otlp_config, {
      resource_attributes: { attributes_config: [{ action: 'index_label', attributes: ['compose.project', 'compose.service'] }] },
    });
    // Loki's label namer makes dots underscores: the same labels as every collected line's.
    assert.equal(OTLP_PROJECT_ATTRIBUTE.replaceAll('.', '_'), PROJECT_LOG_LABEL);
    assert.equal(OTLP_SERVICE_ATTRIBUTE.replaceAll('.', '_'), 'compose_service' satisfies CollectedLogLabel);
    // No OTLP intake, no Loki setting for it (and Promtail stacks keep their Loki file as it was).
    const off = new Stack(new App(), 'shop');
    new Logging(off, 'logging', { alloy: { otlp: false } });
    assert.equal(parse(Testing.synth(off)['loki/loki-config.yml']).limits_config.otlp_config, undefined);
    const promtail = Testing.synth(new AixclStack(new App(), 'shop', { collector: CollectorKind.PROMTAIL }));
    assert.equal(parse(promtail['loki/loki-config.yml']).limits_config.otlp_config, undefined);
  });

  it('publishes the receivers on the bind address only when asked', () => {
    const stack = new Stack(new App(), 'shop', { networkMode: NetworkMode.BRIDGE });
    new Logging(stack, 'logging', { alloy: { otlp: { publish: true } } });
    const ports = compose(stack).services.alloy.ports.map((p: any) => `${p.host_ip}:${p.published}:${p.target}`);
    assert.deepEqual(ports, ['127.0.0.1:12345:12345', '127.0.0.1:4317:4317', '127.0.0.1:4318:4318']);
  });
});

describe('the collector choice', () => {
  it('Promtail settings keep Promtail; settings of the other collector are refused', () => {
    const a = new Stack(new App(), 'shop');
    assert.equal(new Logging(a, 'logging', { promtail: { port: 9081 } }).collector.kind, CollectorKind.PROMTAIL);
    const app = new App();
    new Logging(new Stack(app, 'shop'), 'logging', { collector: CollectorKind.ALLOY, promtail: { port: 9081 } });
    assert.deepEqual(problemsOf(app), [
      '[shop/logging] promtail settings are given, but the collector is Alloy: give the settings of the collector you use (alloy: {...}), or collector: CollectorKind.PROMTAIL',
    ]);
  });

  it('LoggingOnlyStack: Alloy by default, Promtail where promtailPort was given', () => {
    const alloy = new LoggingOnlyStack(new App(), 'w', { targetProject: 'shop' });
    assert.equal(alloy.logging.collector.kind, CollectorKind.ALLOY);
    assert.equal(alloy.logging.collector.project, 'shop');
    const promtail = new LoggingOnlyStack(new App(), 'w', { targetProject: 'shop', promtailPort: 9081 });
    assert.ok(promtail.logging.collector instanceof Promtail);
    assert.equal(promtail.logging.collector.port, 9081);
    const port = new LoggingOnlyStack(new App(), 'w', { targetProject: 'shop', collectorPort: 12346 });
    assert.equal(port.logging.collector.port, 12346);
  });
});

describe("Alloy's collector alerts, as Prometheus evaluates them (promtool test rules)", () => {
  it('LogCollectorDown, LogCollectorPushFailing and LogCollectorDroppingLogs fire on the series Alloy exposes', () => {
    const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    assert.equal(probe.status, 0, 'promtool is needed (scripts/ensure-docker.sh installs it)');
    const dir = tempDir('alloy-alerts');
    const files = Testing.synth(new AixclStack(new App(), 'aixcl'));
    const rulesFile = join(dir, 'log-collector.yml');
    writeFileSync(rulesFile, files['prometheus/rules/log-collector.yml']);
    const rules: any[] = parse(files['prometheus/rules/log-collector.yml']).groups[0].rules;
    // The alert as Prometheus sends it: the rule's labels, and its annotations with $value filled in.
    const fired = (alert: string, value: string) => {
      const rule = rules.find((r) => r.alert === alert);
      const annotations = Object.fromEntries(Object.entries<string>(rule.annotations).map(([k, v]) => [k, v.replace('{{ $value | humanize }}', value)]));
      return { exp_labels: rule.labels, exp_annotations: annotations };
    };
    const cases = [
      // Alloy stops: its target does not answer.
      {
        input: [{ series: 'up{job="alloy", instance="localhost:12345"}', values: '1 1 0x10' }],
        alertname: 'LogCollectorDown',
        at: '6m',
        exp: [{ ...fired('LogCollectorDown', ''), exp_labels: { ...fired('LogCollectorDown', '').exp_labels, instance: 'localhost:12345', job: 'alloy' } }],
      },
      // Loki answers 500 to every push (60 a minute: one a second).
      {
        input: [{ series: 'loki_write_request_duration_seconds_count{job="alloy", status_code="500", host="localhost:3100", tenant=""}', values: '0+60x20' }],
        alertname: 'LogCollectorPushFailing',
        at: '15m',
        exp: [fired('LogCollectorPushFailing', '1')],
      },
      // Entries given up on: 60 a minute, 600 in 10 minutes.
      {
        input: [{ series: 'loki_write_dropped_entries_total{job="alloy", reason="ingester_error", host="localhost:3100", tenant=""}', values: '0+60x20' }],
        alertname: 'LogCollectorDroppingLogs',
        at: '15m',
        exp: [fired('LogCollectorDroppingLogs', '600')],
      },
      // A healthy Alloy: nothing fires.
      {
        input: [
          { series: 'up{job="alloy", instance="localhost:12345"}', values: '1x20' },
          { series: 'loki_write_request_duration_seconds_count{job="alloy", status_code="204", host="localhost:3100", tenant=""}', values: '0+60x20' },
        ],
        alertname: 'LogCollectorPushFailing',
        at: '15m',
        exp: [],
      },
    ];
    for (const c of cases) {
      const test = join(dir, `${c.alertname}-${c.exp.length}.yml`);
      writeFileSync(
        test,
        JSON.stringify({
          rule_files: [rulesFile],
          evaluation_interval: '1m',
          tests: [{ interval: '1m', input_series: c.input, alert_rule_test: [{ eval_time: c.at, alertname: c.alertname, exp_alerts: c.exp }] }],
        }),
      );
      const r = spawnSync('promtool', ['test', 'rules', test], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${c.alertname}: ${r.stdout}${r.stderr}`);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("the collectors' match selectors", () => {
  it('a selector no stream of the stack satisfies is refused, in Alloy and in Promtail, with did-you-mean', () => {
    const alloyStack = new AixclStack(new App(), 'aixcl');
    alloyStack.logging.alloy!.config.addOverride('loki.process "formats"', 'stage.match.selector', '{compose_service="postgress"}');
    const alloy = problemsOf(alloyStack.node.root as App);
    assert.equal(alloy.length, 1, alloy.join('\n'));
    assert.match(
      alloy[0],
      /^\[aixcl\/logging\/alloy\/Config\] .*loki\.process "formats" > stage\.match > selector: .*compose_service="postgress" selects nothing.*did you mean "postgres"\?/,
    );
    const promtailStack = new AixclStack(new App(), 'aixcl', { collector: CollectorKind.PROMTAIL });
    promtailStack.logging.promtail!.config.addOverride('scrape_configs.0.pipeline_stages.0.match.selector', '{compose_service="postgress"}');
    const promtail = problemsOf(promtailStack.node.root as App);
    assert.equal(promtail.length, 1, promtail.join('\n'));
    assert.match(
      promtail[0],
      /^\[aixcl\/logging\/promtail\/Config\] .*scrape_configs\.0\.pipeline_stages\.0\.match\.selector: .*compose_service="postgress" selects nothing.*did you mean "postgres"\?/,
    );
  });
});
