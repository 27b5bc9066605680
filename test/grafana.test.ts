import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdkDashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as sdkLogs from '@grafana/grafana-foundation-sdk/logs';
import * as sdkLoki from '@grafana/grafana-foundation-sdk/loki';
import { parse } from 'yaml';
import { formatProblem, NetworkMode, Secret, Service, Stack, Testing, ValidationError, type StackProps } from '../src/index.js';
import {
  checkLogQL,
  ContainerMetricsDashboard,
  Dashboard,
  Grafana,
  LogsDashboard,
  LokiDatasource,
  PrometheusDatasource,
  type GrafanaProps,
} from '../src/grafana/index.js';
import { Loki } from '../src/loki/index.js';
import { Prometheus } from '../src/prometheus/index.js';
import { Promtail } from '../src/promtail/index.js';

type Doc = Record<string, any>;

const DATASOURCES = 'grafana/provisioning/datasources/loki-datasource.yml';
const PROVIDER = 'grafana/provisioning/dashboards/dashboards.yml';
const LOGS = 'grafana/provisioning/dashboards/logs-dashboard.json';
const CONTAINERS = 'grafana/provisioning/dashboards/container-metrics-dashboard.json';

interface Fixture {
  stack: Stack;
  loki: Loki;
  prometheus: Prometheus;
  grafana: Grafana;
}

/** A stack with Loki (and the Promtail it requires), Prometheus and a Grafana with no datasources yet. */
function make(stackProps: StackProps = {}, grafanaProps: GrafanaProps = {}, id = 'aixcl'): Fixture {
  const stack = new Stack(Testing.app(), id, stackProps);
  const loki = new Loki(stack, 'loki');
  new Promtail(stack, 'promtail', { loki });
  const prometheus = new Prometheus(stack, 'prometheus');
  const grafana = new Grafana(stack, 'grafana', grafanaProps);
  return { stack, loki, prometheus, grafana };
}

/** The full setup: both datasources, the logs dashboard and the container metrics dashboard. */
function full(stackProps: StackProps = {}, id = 'aixcl') {
  const f = make(stackProps, {}, id);
  const prometheusDs = f.grafana.addPrometheusDatasource({ prometheus: f.prometheus, isDefault: true });
  const lokiDs = f.grafana.addLokiDatasource({ loki: f.loki, metrics: prometheusDs });
  const logs = f.grafana.addLogsDashboard({ datasource: lokiDs });
  const containers = f.grafana.addContainerMetricsDashboard({ datasource: prometheusDs, logs });
  return { ...f, prometheusDs, lokiDs, logs, containers };
}

function documents(stack: Stack): Doc {
  return Testing.synthDocuments(stack) as Doc;
}

function composeService(stack: Stack, name = 'grafana'): Doc {
  return documents(stack)['docker-compose.yml'].services[name];
}

/** Every target of every panel of a dashboard document. */
function targets(dash: Doc): Doc[] {
  return (dash.panels as Doc[]).flatMap((p) => (p.targets ?? []) as Doc[]);
}

/** Asserts synthesis fails with a problem containing each of `fragments`. */
function assertProblem(stack: Stack, ...fragments: string[]): ValidationError {
  let caught: unknown;
  try {
    Testing.synth(stack);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof ValidationError, `expected a ValidationError, got ${String(caught)}`);
  for (const fr of fragments) assert.ok(caught.message.includes(fr), `expected "${fr}" in:\n${caught.message}`);
  return caught;
}

/** A one-panel Loki dashboard built with the SDK. */
function lokiDashboard(uid: string, expr: string, datasource: { type: string; uid: string } = { type: 'loki', uid: 'loki' }) {
  return new sdkDashboard.DashboardBuilder('Custom')
    .uid(uid)
    .withPanel(new sdkLogs.PanelBuilder().title('Broken').datasource(datasource).withTarget(new sdkLoki.DataqueryBuilder().refId('A').expr(expr)));
}

describe('Grafana service', () => {
  it('has secure defaults: pinned image, secret admin password, no sign-up, no phoning home', () => {
    const { stack } = make();
    const svc = composeService(stack);
    assert.equal(svc.image, 'grafana/grafana:13.0.0');
    assert.deepEqual(svc.environment, {
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
      GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      GF_ANALYTICS_REPORTING_ENABLED: 'false',
      GF_SECURITY_ADMIN_PASSWORD: '${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD (the Grafana admin password) in the environment or a .env file}',
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SERVER_HTTP_ADDR: '0.0.0.0',
      GF_SERVER_HTTP_PORT: '3000',
      GF_USERS_ALLOW_SIGN_UP: 'false',
    });
    assert.equal(svc.mem_limit, '512m');
    assert.deepEqual(svc.ports, [{ target: 3000, published: '3000', host_ip: '127.0.0.1', protocol: 'tcp' }]);
  });

  it('takes the admin password from the given secret', () => {
    const { stack } = make({}, { adminPassword: Secret.fromEnv('MY_GF_PASS') });
    assert.match(composeService(stack).environment.GF_SECURITY_ADMIN_PASSWORD, /^\$\{MY_GF_PASS:\?/);
  });

  it('keeps its data on a named volume and mounts the provisioning directory read-only', () => {
    const { stack } = make();
    const docs = documents(stack);
    assert.deepEqual(docs['docker-compose.yml'].services.grafana.volumes, [
      { type: 'volume', source: 'grafana-data', target: '/var/lib/grafana' },
      { type: 'bind', source: './grafana/provisioning', target: '/etc/grafana/provisioning', read_only: true },
    ]);
    assert.ok('grafana-data' in docs['docker-compose.yml'].volumes);
  });

  it('checks its health with wget on /api/health and exposes /metrics', () => {
    const { stack, grafana } = make();
    const hc = composeService(stack).healthcheck;
    assert.deepEqual(hc.test, ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:3000/api/health']);
    assert.deepEqual(grafana.service.metrics, { port: 3000, path: '/metrics' });
    assert.equal(grafana.url, 'http://grafana:3000');
    assert.equal(grafana.hostUrl, 'http://localhost:3000');
  });

  it('listens on, and probes, the bind address on host networking', () => {
    const { stack, grafana } = make({ networkMode: NetworkMode.HOST, bindAddress: '10.1.2.3' }, { port: 3300 });
    const svc = composeService(stack);
    assert.equal(svc.environment.GF_SERVER_HTTP_ADDR, '10.1.2.3');
    assert.equal(svc.environment.GF_SERVER_HTTP_PORT, '3300');
    assert.deepEqual(svc.healthcheck.test, ['CMD', 'wget', '-q', '--spider', 'http://10.1.2.3:3300/api/health']);
    // Listening only on that address, Grafana is reached there, not on localhost.
    assert.equal(grafana.url, 'http://10.1.2.3:3300');
  });

  for (const bindAddress of ['::1', '[::1]']) {
    it(`listens on the bare IPv6 address and probes it in brackets on host networking (bindAddress '${bindAddress}')`, () => {
      const { stack } = make({ networkMode: NetworkMode.HOST, bindAddress });
      const svc = composeService(stack);
      // Grafana joins http_addr and http_port itself: a bracketed address would never parse.
      assert.equal(svc.environment.GF_SERVER_HTTP_ADDR, '::1');
      assert.deepEqual(svc.healthcheck.test, ['CMD', 'wget', '-q', '--spider', 'http://[::1]:3000/api/health']);
    });
  }

  it('listens on the IPv6 wildcard and probes IPv6 loopback on host networking', () => {
    const { stack } = make({ networkMode: NetworkMode.HOST, bindAddress: '[::]' });
    const svc = composeService(stack);
    assert.equal(svc.environment.GF_SERVER_HTTP_ADDR, '::');
    assert.deepEqual(svc.healthcheck.test, ['CMD', 'wget', '-q', '--spider', 'http://[::1]:3000/api/health']);
  });

  it('provisions an empty datasource list and no dashboard provider when nothing is added', () => {
    const { stack } = make();
    const docs = documents(stack);
    assert.deepEqual(docs[DATASOURCES], { apiVersion: 1, prune: true, datasources: [] });
    assert.equal(docs[PROVIDER], undefined);
  });
});

describe('Grafana datasources', () => {
  it('provisions Prometheus and Loki in one file, with fixed uids and URLs derived from the constructs (bridge)', () => {
    const { stack } = full();
    const file = documents(stack)[DATASOURCES];
    assert.equal(file.apiVersion, 1);
    assert.deepEqual(file.datasources[0], {
      name: 'Prometheus',
      type: 'prometheus',
      uid: 'prometheus',
      access: 'proxy',
      url: 'http://prometheus:9090',
      isDefault: true,
      editable: false,
      jsonData: { httpMethod: 'POST', timeInterval: '15s' },
    });
    const loki = file.datasources[1];
    assert.deepEqual(
      { ...loki, jsonData: undefined, correlations: undefined },
      {
        name: 'Loki',
        type: 'loki',
        uid: 'loki',
        access: 'proxy',
        url: 'http://loki:3100',
        isDefault: false,
        editable: false,
        jsonData: undefined,
        correlations: undefined,
      },
    );
    assert.equal(loki.correlations[0].targetUID, 'prometheus');
    assert.equal(loki.jsonData.maxLines, 1000);
    assert.equal(Object.keys(Testing.synth(stack)).filter((p) => p.includes('/datasources/')).length, 1);
  });

  it('uses localhost URLs on host networking', () => {
    const { stack } = full({ networkMode: NetworkMode.HOST });
    const ds = documents(stack)[DATASOURCES].datasources as Doc[];
    assert.deepEqual(
      ds.map((d) => d.url),
      ['http://localhost:9090', 'http://localhost:3100'],
    );
  });

  it("links each log line's container label to the CPU of the same container, with $ escaped as $$", () => {
    const { stack } = full();
    const raw = Testing.synth(stack)[DATASOURCES];
    const field = (parse(raw) as Doc).datasources[1].jsonData.derivedFields;
    assert.deepEqual(field, [
      {
        name: 'container',
        matcherType: 'label',
        matcherRegex: '^container$$',
        url: 'sum(rate(container_cpu_usage_seconds_total{name="$${__value.raw}"}[$$__rate_interval]))',
        datasourceUid: 'prometheus',
        urlDisplayLabel: 'CPU of this container',
      },
    ]);
    // No single `$` is left for Grafana to expand from its environment.
    assert.doesNotMatch(raw.replace(/\$\$/g, ''), /\$/);
  });

  it('attaches the log-to-metrics correlation to the derived field holding the container, with a PromQL expr', () => {
    const { stack } = full();
    const raw = Testing.synth(stack)[DATASOURCES];
    const loki = (parse(raw) as Doc).datasources[1];
    // The file escapes `$` as `$$`: read it back as Grafana does.
    const unescape = (v: string) => v.replace(/\$\$/g, '$');
    const [correlation] = loki.correlations as Doc[];
    assert.equal(loki.correlations.length, 1);
    assert.equal(correlation.targetUID, 'prometheus');
    assert.equal(correlation.label, 'Container metrics in Explore');
    assert.equal(correlation.config.type, 'query');
    // A correlation only attaches to a FIELD of the log frame (a Loki frame has no field per label):
    // it must name the derived field that copies the container label into each line.
    const field = (loki.jsonData.derivedFields as Doc[]).find((f) => f.name === correlation.config.field);
    assert.ok(field, `no derived field named '${correlation.config.field}' for the correlation to attach to`);
    assert.equal(field.name, 'container');
    assert.equal(field.matcherType, 'label');
    assert.equal(unescape(field.matcherRegex), '^container$');
    // Prometheus reads `expr`; its only variable is the value of that field in the same row.
    const expr = unescape(correlation.config.target.expr);
    assert.deepEqual(Object.keys(correlation.config.target), ['expr']);
    assert.equal(expr, 'sum(rate(container_cpu_usage_seconds_total{name="${container}"}[$__rate_interval]))');
    assert.deepEqual(
      [...expr.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]),
      [correlation.config.field],
    );
    assert.ok(raw.includes('{name="$${container}"}[$$__rate_interval]'), raw);
  });

  it('escapes $ in override values too', () => {
    const { stack, grafana } = full();
    grafana.datasourcesFile.addOverride('datasources', [
      { name: 'X', type: 'loki', uid: 'x', access: 'proxy', url: 'http://loki:3100', jsonData: { note: 'a$b' } },
    ]);
    assert.equal(documents(stack)[DATASOURCES].datasources[0].jsonData.note, 'a$$b');
  });

  it('has no derived field without a metrics datasource, and honours uid and name', () => {
    const { stack, grafana, loki } = make();
    const ds = grafana.addLokiDatasource({ loki, uid: 'logs', maxLines: 500 });
    assert.deepEqual(ds.ref, { type: 'loki', uid: 'logs' });
    const entry = documents(stack)[DATASOURCES].datasources[0];
    assert.equal(entry.uid, 'logs');
    assert.equal(entry.name, 'Loki (logs)');
    assert.deepEqual(entry.jsonData, { maxLines: 500 });
  });

  it('makes Grafana depend on Loki and Prometheus without being blocked by them', () => {
    const { stack } = full();
    assert.deepEqual(composeService(stack).depends_on, {
      loki: { condition: 'service_started', required: false },
      prometheus: { condition: 'service_started', required: false },
    });
  });

  it('exposes typed references to what each datasource points at', () => {
    const f = full();
    assert.equal(f.lokiDs.loki, f.loki);
    assert.equal(f.lokiDs.metrics, f.prometheusDs);
    assert.equal(f.prometheusDs.prometheus, f.prometheus);
    assert.ok(f.lokiDs instanceof LokiDatasource && f.prometheusDs instanceof PrometheusDatasource);
    assert.deepEqual(
      f.grafana.datasources.map((d) => d.uid),
      ['prometheus', 'loki'],
    );
  });
});

describe('Grafana datasources: bad input', () => {
  // Each problem is recorded on the Grafana (every one reported at once, nothing written) and the
  // datasource goes on as a stand-in, from which no other problem follows.
  const problems = (stack: Stack) => assertProblem(stack).problems.map(formatProblem);

  it('records a duplicate uid; the stand-in keeps its uid for dashboards, out of the provisioning file', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    const second = grafana.addLokiDatasource({ loki, name: 'Other' });
    assert.equal(second.uid, 'loki');
    // The same datasource added twice (its default name taken too) is one mistake, one message.
    grafana.addLokiDatasource({ loki });
    grafana.addLogsDashboard({ datasource: second });
    assert.deepEqual(problems(stack), [
      "[aixcl/grafana] datasource uid 'loki' is already used by aixcl/grafana/Datasource-loki: give each datasource of a Grafana its own uid",
    ]);
  });

  it('records a duplicate name and an invalid uid, and a later valid datasource still gets its own', () => {
    const { stack, grafana, loki, prometheus } = make();
    grafana.addLokiDatasource({ loki });
    grafana.addLokiDatasource({ loki, uid: 'loki2', name: 'Loki' });
    const invalid = grafana.addLokiDatasource({ loki, uid: 'has space' });
    // Dashboards on the stand-in find it by its uid: nothing to report there.
    grafana.addLogsDashboard({ datasource: invalid });
    grafana.addPrometheusDatasource({ prometheus });
    assert.deepEqual(problems(stack), [
      "[aixcl/grafana] datasource name 'Loki' is already used by aixcl/grafana/Datasource-loki: give each datasource of a Grafana its own name",
      "[aixcl/grafana] datasource uid 'has space' is invalid: use 1 to 40 letters, digits, '-' and '_' (dashboards reference it)",
    ]);
  });

  it('records a Loki or Prometheus of another stack; the stand-in depends on nothing', () => {
    const a = make({}, {}, 'a');
    const b = make({}, {}, 'b');
    const lokiDs = b.grafana.addLokiDatasource({ loki: a.loki });
    const prometheusDs = b.grafana.addPrometheusDatasource({ prometheus: a.prometheus });
    assert.equal(lokiDs.loki, undefined);
    assert.equal(prometheusDs.prometheus, undefined);
    assert.deepEqual(b.grafana.service.dependsOn, []);
    b.grafana.addLogsDashboard({ datasource: lokiDs });
    b.grafana.addContainerMetricsDashboard({ datasource: prometheusDs });
    assert.deepEqual(problems(b.stack), [
      "[b/grafana] cannot use Loki a/loki: it is in another stack, whose services this Grafana cannot reach; create it in this Grafana's stack",
      "[b/grafana] cannot use Prometheus a/prometheus: it is in another stack, whose services this Grafana cannot reach; create it in this Grafana's stack",
    ]);
  });

  it('records a metrics datasource of another Grafana, and goes on without the link', () => {
    const f = make();
    const other = new Grafana(f.stack, 'grafana2', { serviceName: 'grafana2', port: 3001 });
    const foreign = other.addPrometheusDatasource({ prometheus: f.prometheus });
    const ds = f.grafana.addLokiDatasource({ loki: f.loki, metrics: foreign });
    assert.equal(ds.metrics, undefined);
    assert.deepEqual(ds.derivedFields, []);
    assert.deepEqual(problems(f.stack), [
      '[aixcl/grafana] the metrics datasource aixcl/grafana2/Datasource-prometheus belongs to another Grafana (aixcl/grafana2): ' +
        'a derived field can only use a datasource this Grafana provisions; add a Prometheus datasource to this Grafana',
    ]);
  });

  it('records a derived field on a datasource of another Grafana, or of a name already used, and leaves it out', () => {
    const f = make();
    const other = new Grafana(f.stack, 'grafana2', { serviceName: 'grafana2', port: 3001 });
    const foreign = other.addPrometheusDatasource({ prometheus: f.prometheus });
    const ds = f.grafana.addLokiDatasource({ loki: f.loki });
    ds.addDerivedField({ name: 'cpu', matcherType: 'label', matcherRegex: '^container$', url: 'up', datasource: foreign });
    ds.addDerivedField({ name: 'trace', matcherType: 'regex', matcherRegex: 'trace=(\\w+)', url: 'https://example.com/${__value.raw}' });
    ds.addDerivedField({ name: 'trace', matcherType: 'regex', matcherRegex: 'id=(\\w+)', url: 'https://example.com/${__value.raw}' });
    assert.deepEqual(
      ds.derivedFields.map((d) => d.matcherRegex),
      ['trace=(\\w+)'],
    );
    assert.deepEqual(problems(f.stack), [
      "[aixcl/grafana/Datasource-loki] derived field 'cpu' uses datasource aixcl/grafana2/Datasource-prometheus of another Grafana: use one this Grafana provisions",
      "[aixcl/grafana/Datasource-loki] a derived field named 'trace' already exists: give each its own name",
    ]);
  });

  it('records a maxLines that is not a whole number of at least 1; its default is not checked against the limit', () => {
    const { stack, grafana, loki } = make();
    loki.config.addOverride('limits_config.max_entries_limit_per_query', 500);
    const direct = new LokiDatasource(grafana, { loki, maxLines: 0 });
    assert.equal(direct.maxLines, 1000);
    grafana.addLokiDatasource({ loki, uid: 'loki2', maxLines: 2.5 });
    assert.deepEqual(problems(stack), [
      '[aixcl/grafana] maxLines 0 must be a whole number of at least 1',
      '[aixcl/grafana] addLokiDatasource(): maxLines must be a whole number, got the number 2.5',
    ]);
  });

  it('rejects two default datasources', () => {
    const { stack, grafana, prometheus } = make();
    grafana.addPrometheusDatasource({ prometheus, isDefault: true });
    grafana.addPrometheusDatasource({ prometheus, uid: 'prom2', isDefault: true });
    assertProblem(stack, '[aixcl/grafana/DatasourcesFile] datasources prometheus and prom2 are all marked isDefault');
  });
});

describe('add methods: a wrong or missing required reference (from JavaScript)', () => {
  // What a JavaScript stack can pass, which the types would refuse.
  const js = (props: unknown) => props as never;

  it("linkToService takes a Service or the name of one of the project's services (a typo is reported), and leaves a data-link expression to Grafana", () => {
    const { stack, logs } = full();
    const api = new Service(stack, 'api', { image: 'nginx:1.27' });
    assert.equal(logs.linkToService(api), '/d/aixcl-logs?var-service=api&${__url_time_range}');
    assert.equal(logs.linkToService('${__field.labels.compose_service}'), '/d/aixcl-logs?var-service=${__field.labels.compose_service}&${__url_time_range}');
    logs.linkToService('apii');
    logs.linkToService(42 as never);
    const err = assertProblem(stack);
    assert.deepEqual(err.problems.map(formatProblem), [
      '[aixcl/grafana/LogsDashboard] linkToService(): service must be a Service or a service name, got the number 42: pass the Service (or its serviceName)',
      "[aixcl/grafana/LogsDashboard] linkToService('apii'): no service of project 'aixcl' is named 'apii', so the link would open an empty filter; did you mean 'api'?",
    ]);
  });

  it('is recorded on the Grafana with its fix; each returns a stand-in the program goes on with, and nothing follows from it', () => {
    const { stack, grafana } = make();
    const prometheusDs = grafana.addPrometheusDatasource(js({ prometheus: 'prometheus' }));
    const lokiDs = grafana.addLokiDatasource(js({ metrics: prometheusDs }));
    grafana.addAlertmanagerDatasource(js({}));
    const logs = grafana.addLogsDashboard(js({ datasource: 'loki' }));
    grafana.addContainerMetricsDashboard(js({ logs }));
    grafana.addDashboard('Mine', js({ dashbord: lokiDashboard('mine', '{a="b"}') }));
    // The stand-in datasources are provisioned under their uids: a dashboard on them has nothing to report.
    assert.deepEqual(lokiDs.ref, { type: 'loki', uid: 'loki' });
    grafana.addDashboard('Other', { dashboard: lokiDashboard('other', '{compose_service="x"}') });
    assert.match(logs.linkToService('x'), /^\/d\/aixcl-logs\?/);
    // A stand-in depends on nothing (not on the Grafana itself).
    assert.deepEqual(grafana.service.dependsOn, []);
    const err = assertProblem(stack);
    assert.deepEqual(err.problems.map(formatProblem), [
      "[aixcl/grafana] addPrometheusDatasource(): prometheus must be a Prometheus, got the string 'prometheus': pass the Prometheus construct itself (the object that `new Prometheus(...)` returned), not its name or URL",
      '[aixcl/grafana] addLokiDatasource(): loki must be a Loki, got undefined: pass a Loki construct',
      '[aixcl/grafana] addAlertmanagerDatasource(): alertmanager must be an Alertmanager, got undefined: pass an Alertmanager construct',
      "[aixcl/grafana] addLogsDashboard(): datasource must be a LokiDatasource, got the string 'loki': pass the datasource object that grafana.addLokiDatasource() returned, not its uid or name",
      '[aixcl/grafana] addContainerMetricsDashboard(): datasource must be a PrometheusDatasource, got undefined: pass the object that grafana.addPrometheusDatasource() returned',
      "[aixcl/grafana] addDashboard(): dashboard must be a dashboard of @grafana/grafana-foundation-sdk (a DashboardBuilder, or what it built), got undefined: build it with new dashboard.DashboardBuilder('Title').uid('...') from @grafana/grafana-foundation-sdk/dashboard",
      '[aixcl/grafana] addDashboard(): dashbord is not a prop of addDashboard(): did you mean dashboard?',
    ]);
  });

  it('no props, or props that are not an object, are one problem each, and give a stand-in too', () => {
    const { stack, grafana } = make();
    const ds = grafana.addLokiDatasource(js(undefined));
    assert.ok(ds instanceof LokiDatasource);
    grafana.addLogsDashboard({ datasource: ds });
    grafana.addPrometheusDatasource(js('prometheus'));
    const err = assertProblem(stack);
    assert.deepEqual(err.problems.map(formatProblem), [
      '[aixcl/grafana] addLokiDatasource(): loki must be a Loki, got undefined: pass a Loki construct',
      "[aixcl/grafana] addPrometheusDatasource(): the props of addPrometheusDatasource() must be an object ({ ... }), got the string 'prometheus'",
    ]);
  });
});

describe('dashboard provider', () => {
  it('is created with the first dashboard and loads the provisioned dashboards directory', () => {
    const { stack } = full();
    assert.deepEqual(documents(stack)[PROVIDER], {
      apiVersion: 1,
      providers: [
        {
          name: 'aixcl',
          type: 'file',
          updateIntervalSeconds: 30,
          allowUiUpdates: false,
          disableDeletion: true,
          options: { path: '/etc/grafana/provisioning/dashboards', foldersFromFilesStructure: false },
        },
      ],
    });
  });
});

describe('logs dashboard', () => {
  it('has a uid, title, time, refresh, tags and the SDK schema version, all derived from the project', () => {
    const { stack, logs } = full();
    const dash = documents(stack)[LOGS];
    assert.equal(dash.uid, 'aixcl-logs');
    assert.equal(logs.uid, 'aixcl-logs');
    assert.equal(dash.title, 'Logs');
    assert.deepEqual(dash.time, { from: 'now-1h', to: 'now' });
    assert.equal(dash.refresh, '30s');
    assert.deepEqual(dash.tags, ['logs', 'aixcl']);
    assert.equal(dash.schemaVersion, new sdkDashboard.DashboardBuilder('x').build().schemaVersion);
  });

  it('declares the service variable from Loki label values of the project, and a search textbox', () => {
    const { stack } = full();
    const [service, level, search] = documents(stack)[LOGS].templating.list as Doc[];
    assert.equal(level.name, 'level');
    assert.equal(service.name, 'service');
    assert.equal(service.type, 'query');
    assert.deepEqual(service.datasource, { type: 'loki', uid: 'loki' });
    assert.deepEqual(service.query, {
      type: 1,
      label: 'compose_service',
      stream: '{compose_project="aixcl"}',
      refId: 'LokiVariableQueryEditor-VariableQuery',
    });
    assert.equal(service.multi, true);
    assert.equal(service.includeAll, true);
    assert.equal(service.allValue, '.+');
    assert.equal(search.name, 'search');
    assert.equal(search.type, 'textbox');
  });

  it('has volume and error-rate time series and a logs panel, all on the provisioned Loki uid', () => {
    const { stack } = full();
    const dash = documents(stack)[LOGS];
    const panels = dash.panels as Doc[];
    assert.deepEqual(
      panels.map((p) => [p.type, p.title]),
      [
        ['timeseries', 'Log volume by service'],
        ['timeseries', 'Error rate by service'],
        ['logs', 'Logs'],
      ],
    );
    for (const p of panels) assert.deepEqual(p.datasource, { type: 'loki', uid: 'loki' });
    for (const t of targets(dash)) assert.deepEqual(t.datasource, { type: 'loki', uid: 'loki' });
    const [volume, errors, lines] = targets(dash).map((t) => t.expr as string);
    assert.equal(
      volume,
      'sum by (compose_service) (count_over_time({compose_project="aixcl", compose_service=~"$service"} |~ "(?i)$search" | level=~"$level" [$__auto]))',
    );
    // Errors counted by the level the collector parsed, not by a regex over the text.
    assert.equal(errors, 'sum by (compose_service) (rate({compose_project="aixcl", compose_service=~"$service"} | level="error" [$__auto]))');
    assert.equal(lines, '{compose_project="aixcl", compose_service=~"$service"} |~ "(?i)$search" | level=~"$level"');
    const levelVar = (dash.templating.list as Doc[]).find((v) => v.name === 'level')!;
    assert.equal(levelVar.query, 'error,warn,info,debug');
    assert.equal(levelVar.allValue, '.*');
    const logsPanel = panels[2];
    assert.equal(logsPanel.options.showTime, true);
    assert.equal(logsPanel.options.wrapLogMessage, true);
    assert.equal(logsPanel.options.enableLogDetails, true);
  });

  it('has only queries that parse, with its declared variables', () => {
    const { stack } = full();
    const dash = documents(stack)[LOGS];
    const vars = (dash.templating.list as Doc[]).map((v) => v.name as string);
    for (const t of targets(dash)) assert.equal(checkLogQL(t.expr, { variables: vars }), undefined, t.expr);
    assert.equal(checkLogQL(dash.templating.list[0].query.stream), undefined);
  });

  it('follows a renamed project in every query', () => {
    const before = documents(full({}, 'aixcl').stack)[LOGS];
    const after = documents(full({ projectName: 'mystack' }, 'aixcl').stack)[LOGS];
    assert.equal(after.uid, 'mystack-logs');
    assert.equal(after.templating.list[0].query.stream, '{compose_project="mystack"}');
    const exprs = targets(after).map((t) => t.expr as string);
    assert.equal(exprs.length, 3);
    for (const e of exprs) {
      assert.ok(e.includes('compose_project="mystack"'), e);
      assert.ok(!e.includes('aixcl'), e);
    }
    assert.notDeepEqual(targets(before), targets(after));
  });

  it('references the uid the Loki datasource was given', () => {
    const { stack, grafana, loki } = make();
    const ds = grafana.addLokiDatasource({ loki, uid: 'central-logs' });
    grafana.addLogsDashboard({ datasource: ds });
    const dash = documents(stack)[LOGS];
    for (const t of targets(dash)) assert.deepEqual(t.datasource, { type: 'loki', uid: 'central-logs' });
    assert.deepEqual(dash.templating.list[0].datasource, { type: 'loki', uid: 'central-logs' });
  });
});

describe('container metrics dashboard', () => {
  it('selects cAdvisor series by the compose project label and groups them by service (no list of names)', () => {
    const { stack, containers } = full();
    assert.ok(containers instanceof ContainerMetricsDashboard);
    const dash = documents(stack)[CONTAINERS];
    assert.equal(dash.uid, 'aixcl-containers');
    const exprs = targets(dash).map((t) => t.expr as string);
    assert.deepEqual(
      exprs.map((e) => /(container_[a-z_]+?)(?:\{)/.exec(e)?.[1]),
      [
        'container_cpu_usage_seconds_total',
        'container_memory_working_set_bytes',
        'container_network_receive_bytes_total',
        'container_network_transmit_bytes_total',
      ],
    );
    for (const e of exprs) {
      assert.ok(e.startsWith('sum by (container_label_com_docker_compose_service) ('), e);
      assert.ok(e.includes('{container_label_com_docker_compose_project="aixcl"}'), e);
      assert.doesNotMatch(e, /=~/);
    }
    for (const t of targets(dash)) assert.deepEqual(t.datasource, { type: 'prometheus', uid: 'prometheus' });
  });

  it('has CPU, memory and network panels per service on bridge networking', () => {
    const { stack } = full({ networkMode: NetworkMode.BRIDGE });
    assert.deepEqual(
      (documents(stack)[CONTAINERS].panels as Doc[]).map((p) => p.title),
      ['CPU by service (cores)', 'Memory by service (working set)', 'Network received by service', 'Network sent by service'],
    );
  });

  it('leaves out the network panels on host networking, where every container reports the host interfaces', () => {
    const { stack } = full({ networkMode: NetworkMode.HOST });
    const dash = documents(stack)[CONTAINERS];
    assert.deepEqual(
      (dash.panels as Doc[]).map((p) => p.title),
      ['CPU by service (cores)', 'Memory by service (working set)'],
    );
    for (const t of targets(dash)) assert.doesNotMatch(t.expr, /container_network_/);
  });

  it('links each series to the logs dashboard filtered to its service', () => {
    const { stack } = full();
    const dash = documents(stack)[CONTAINERS];
    for (const p of dash.panels as Doc[]) {
      assert.equal(
        p.fieldConfig.defaults.links[0].url,
        '/d/aixcl-logs?var-service=${__field.labels.container_label_com_docker_compose_service}&${__url_time_range}',
      );
    }
  });

  it('has no link without a logs dashboard', () => {
    const { stack, grafana, prometheus } = make();
    grafana.addContainerMetricsDashboard({ datasource: grafana.addPrometheusDatasource({ prometheus }) });
    for (const p of documents(stack)[CONTAINERS].panels as Doc[]) assert.equal(p.fieldConfig.defaults.links, undefined);
  });
});

describe('custom dashboards', () => {
  it('are written from an SDK builder, built at synthesis (later changes included)', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    new Service(stack, 'ollama', { image: 'ollama/ollama:0.5.7' }); // the service the query selects
    const builder = lokiDashboard('custom', '{compose_service="ollama"} |~ "(?i)loading|model|inference"');
    const d = grafana.addDashboard('OllamaLogs', { dashboard: builder });
    builder.tags(['late']);
    assert.equal(d.filePath, 'grafana/provisioning/dashboards/ollama-logs.json');
    const dash = documents(stack)['grafana/provisioning/dashboards/ollama-logs.json'];
    assert.deepEqual(dash.tags, ['late']);
    assert.equal(dash.panels[0].targets[0].expr, '{compose_service="ollama"} |~ "(?i)loading|model|inference"');
  });

  it('accept a built object, and find their Grafana among their scopes', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    new Service(stack, 'postgres', { image: 'postgres:17' }); // the service the query selects
    const d = new Dashboard(grafana, 'Pg', { dashboard: lokiDashboard('pg', '{compose_service="postgres"} |~ "SELECT|INSERT|UPDATE|DELETE"').build() });
    assert.equal(d.grafana, grafana);
    assert.ok(Testing.synth(stack)['grafana/provisioning/dashboards/pg.json']);
  });

  it('must be created in or for a Grafana (recorded: a stand-in, checked for nothing)', () => {
    const { stack } = make();
    new Dashboard(stack, 'Lost', { dashboard: lokiDashboard('x', '{a="b"}', { type: 'loki', uid: 'nowhere' }) });
    assert.deepEqual(assertProblem(stack).problems.map(formatProblem), [
      '[aixcl/Lost] has no Grafana: create the dashboard inside a Grafana, or pass { grafana }',
    ]);
  });

  it('must have a plain file name (recorded: its queries are still checked, and no file clashes)', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    grafana.addDashboard('A', { dashboard: lokiDashboard('a', '{compose_service="loki"}'), fileName: 'my dash.json' });
    grafana.addDashboard('B', { dashboard: lokiDashboard('b', '{compose_service="x"'), fileName: 'my dash.json' });
    const [a, bName, bQuery, ...rest] = assertProblem(stack).problems.map(formatProblem);
    assert.equal(a, "[aixcl/grafana/A] file name 'my dash.json' must be a plain name ending in .json (letters, digits, '.', '_', '-')");
    assert.equal(bName, "[aixcl/grafana/B] file name 'my dash.json' must be a plain name ending in .json (letters, digits, '.', '_', '-')");
    assert.match(bQuery, /^\[aixcl\/grafana\/B\] panel 'Broken', query A: invalid LogQL at line 1, column 21: the query ends too early/);
    assert.deepEqual(rest, []);
  });
});

describe('dashboards: bad input', () => {
  it('fails synthesis on invalid LogQL, naming the panel and the parser message', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    grafana.addDashboard('Bad', { dashboard: lokiDashboard('bad', 'sum(rate({compose_service="loki"}))') });
    const err = assertProblem(
      stack,
      "[aixcl/grafana/Bad] panel 'Broken', query A: invalid LogQL at line 1, column 34: unexpected ')'; a range function such as rate() or count_over_time() needs a range",
    );
    assert.equal(err.problems.length, 1);
  });

  it('fails synthesis when an override breaks a query of the logs dashboard', () => {
    const { stack, logs } = full();
    logs.addOverride('panels', [
      {
        type: 'logs',
        title: 'Overridden',
        datasource: { type: 'loki', uid: 'loki' },
        targets: [{ refId: 'A', expr: '{compose_project="aixcl"' }],
      },
    ]);
    assertProblem(stack, "[aixcl/grafana/LogsDashboard] panel 'Overridden', query A: invalid LogQL at line 1, column 25: the query ends too early");
  });

  it('fails synthesis on a reference to a datasource uid this Grafana does not provision', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    grafana.addDashboard('Bad', { dashboard: lokiDashboard('bad', '{a="b"}', { type: 'loki', uid: 'nope' }) });
    assertProblem(
      stack,
      "[aixcl/grafana/Bad] references datasource uid 'nope', which this Grafana does not provision: panel 'Broken' must use one of {type: 'loki', uid: 'loki'}",
    );
  });

  it('fails synthesis on a reference whose type is not the datasource type', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    grafana.addDashboard('Bad', { dashboard: lokiDashboard('bad', '{a="b"}', { type: 'prometheus', uid: 'loki' }) });
    assertProblem(stack, "[aixcl/grafana/Bad] panel 'Broken' gives type 'prometheus' for datasource uid 'loki', which is a 'loki' datasource");
  });

  it('fails synthesis on datasources referenced by name or import input, or not at all', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    const d = grafana.addDashboard('Bad', { dashboard: lokiDashboard('bad', '{a="b"}') });
    d.addOverride('panels', [
      { type: 'logs', title: 'ByName', datasource: 'Loki', targets: [] },
      { type: 'logs', title: 'Input', datasource: { type: 'loki', uid: '${DS_LOKI}' }, targets: [] },
      { type: 'logs', title: 'None', targets: [{ refId: 'A', expr: '{a="b"}' }] },
    ]);
    assertProblem(
      stack,
      "[aixcl/grafana/Bad] panel 'ByName' references datasource 'Loki' by name",
      "[aixcl/grafana/Bad] panel 'Input' references datasource '${DS_LOKI}', an import input that Grafana does not resolve for provisioned dashboards",
      "[aixcl/grafana/Bad] panel 'None', query A has no datasource",
    );
  });

  it('fails synthesis on an unknown variable', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    grafana.addDashboard('Bad', { dashboard: lokiDashboard('bad', '{compose_service=~"$service"}') });
    assertProblem(
      stack,
      "[aixcl/grafana/Bad] panel 'Broken', query A: invalid LogQL at line 1, column 20: the query references the variable '$service', which the dashboard does not declare (declared: none)",
    );
  });

  it('fails synthesis on a Prometheus query that does not parse', () => {
    const { stack, grafana } = full();
    const d = grafana.addDashboard('BadProm', { dashboard: lokiDashboard('bad-prom', '{a="b"}') });
    d.addOverride('panels', [
      {
        type: 'timeseries',
        title: 'CPU',
        datasource: { type: 'prometheus', uid: 'prometheus' },
        targets: [{ refId: 'A', expr: 'sum(rate(container_cpu_usage_seconds_total[$__rate_interval])' }],
      },
    ]);
    assertProblem(stack, "[aixcl/grafana/BadProm] panel 'CPU', query A: invalid PromQL at line 1, column 62");
  });

  it('fails synthesis on a fixed rate() range under two scrapes of its job, a job no scrape config has, a recorded series nothing writes', () => {
    const { stack, grafana } = full();
    const d = grafana.addDashboard('Ranges', { dashboard: lokiDashboard('ranges', '{compose_service="loki"}') });
    const panel = (title: string, expr: string) => ({
      type: 'timeseries',
      title,
      datasource: { type: 'prometheus', uid: 'prometheus' },
      targets: [{ refId: 'A', expr }],
    });
    d.addOverride('panels', [
      panel('Short', 'rate(loki_request_duration_seconds_count{job="loki"}[20s])'),
      panel('Job', 'up{job="lokki"}'),
      panel('Recorded', 'sum(compose_service:log_lines:rate5m)'),
      panel('Adaptive', 'rate(loki_request_duration_seconds_count{job="loki"}[$__rate_interval])'),
    ]);
    const problems = assertProblem(stack).problems.map(formatProblem);
    assert.ok(
      problems.some((p) =>
        p.startsWith(
          "[aixcl/grafana/Ranges] panel 'Short', query A: rate(loki_request_duration_seconds_count[20s]) covers less than two scrapes of its series (scraped every 15s, aixcl/prometheus's scrapeInterval), so it returns nothing",
        ),
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) =>
        p.includes(
          `panel 'Job', query A: invalid PromQL at line 1, column 8: job="lokki" selects nothing: aixcl/prometheus only has job "grafana", "loki", "prometheus", "promtail"; did you mean "loki"?`,
        ),
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes(`panel 'Recorded', query A: invalid PromQL at line 1, column 5: no rule records 'compose_service:log_lines:rate5m'`)),
      problems.join('\n'),
    );
    assert.ok(!problems.some((p) => p.includes("'Adaptive'")));
  });

  it('fails synthesis on two dashboards with one uid in a Grafana', () => {
    const { stack, grafana } = full();
    grafana.addDashboard('Copy', { dashboard: lokiDashboard('aixcl-logs', '{a="b"}') });
    assertProblem(
      stack,
      "[aixcl/grafana] dashboard uid 'aixcl-logs' is used by aixcl/grafana/LogsDashboard and aixcl/grafana/Copy: give each dashboard of a Grafana its own uid",
    );
  });

  it('fails synthesis on a dashboard without a uid', () => {
    const { stack, grafana, loki } = make();
    grafana.addLokiDatasource({ loki });
    const d = grafana.addDashboard('NoUid', { dashboard: lokiDashboard('x', '{a="b"}') });
    d.addOverride('uid', undefined);
    assertProblem(stack, '[aixcl/grafana/NoUid] the dashboard has no uid');
  });

  it('records a logs dashboard on a datasource of another Grafana, and adding one twice: stand-ins, nothing follows', () => {
    const f = full();
    const other = new Grafana(f.stack, 'grafana2', { serviceName: 'grafana2', port: 3001 });
    const foreign = new LogsDashboard(other, 'Logs', { datasource: f.lokiDs });
    assert.equal(foreign.datasource, undefined);
    const second = f.grafana.addLogsDashboard({ datasource: f.lokiDs, project: 'elsewhere' });
    assert.ok(second instanceof LogsDashboard && second !== f.logs);
    const secondContainers = f.grafana.addContainerMetricsDashboard({ datasource: f.prometheusDs, logs: second });
    assert.ok(secondContainers instanceof ContainerMetricsDashboard && secondContainers !== f.containers);
    assert.deepEqual(assertProblem(f.stack).problems.map(formatProblem), [
      '[aixcl/grafana] already has a logs dashboard: add it once, or create another with new Dashboard(...)',
      '[aixcl/grafana] already has a container metrics dashboard: add it once, or create another with new Dashboard(...)',
      '[aixcl/grafana2/Logs] its datasource aixcl/grafana/Datasource-loki belongs to another Grafana (aixcl/grafana): use a Loki datasource of aixcl/grafana2',
    ]);
  });

  it('records a container metrics dashboard on a datasource, or linking to logs, of another Grafana', () => {
    const f = full();
    const other = new Grafana(f.stack, 'grafana2', { serviceName: 'grafana2', port: 3001 });
    new ContainerMetricsDashboard(other, 'Containers', { datasource: f.prometheusDs });
    const otherDs = other.addPrometheusDatasource({ prometheus: f.prometheus });
    new ContainerMetricsDashboard(other, 'Linked', { datasource: otherDs, logs: f.logs });
    assert.deepEqual(assertProblem(f.stack).problems.map(formatProblem), [
      '[aixcl/grafana2/Containers] its datasource aixcl/grafana/Datasource-prometheus belongs to another Grafana (aixcl/grafana): use a Prometheus datasource of aixcl/grafana2',
      '[aixcl/grafana2/Linked] the logs dashboard aixcl/grafana/LogsDashboard is provisioned by another Grafana: link to one of aixcl/grafana2',
    ]);
  });

  it('records a dashboard whose Grafana is in another stack', () => {
    const a = full({}, 'a');
    const b = make({}, {}, 'b');
    new Dashboard(b.stack, 'Cross', { dashboard: lokiDashboard('x', '{a="b"}'), grafana: a.grafana });
    assert.deepEqual(assertProblem(b.stack).problems.map(formatProblem), [
      "[b/Cross] its Grafana a/grafana is in another stack: create the dashboard in the Grafana's stack",
    ]);
  });
});
