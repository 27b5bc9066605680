import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { AixclStack, App, checkLogQL, Image, checkLokiConfig, checkPromtailConfig, NetworkMode, Receiver, Testing, writeSynthesis } from '../src/index.js';
import { alloyConfigIssues } from '../src/alloy/alloy-config-check.js';
import { loadApp } from '../src/cli/load-stack.js';
import { tempDir } from './support/temp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STACK = join(ROOT, 'stacks', 'aixcl.ts');
const SNAPSHOTS = join(ROOT, 'test', '__snapshots__');

async function filesOf(context: Record<string, string> = {}): Promise<{ app: App; files: Record<string, string> }> {
  const app = await loadApp(STACK, context);
  return { app, files: Testing.synth(app.stacks[0]) };
}
const docsOf = (files: Record<string, string>): Record<string, any> =>
  Object.fromEntries(Object.entries(files).map(([p, c]) => [p, p.endsWith('.json') ? JSON.parse(c) : p.endsWith('.alloy') ? c : parse(c)]));

const VARIANTS: Array<Record<string, string>> = [{}, { network: 'bridge' }];

const EXPECTED_FILES = [
  'docker-compose.yml',
  'grafana/provisioning/dashboards/container-metrics-dashboard.json',
  'grafana/provisioning/dashboards/dashboards.yml',
  'grafana/provisioning/dashboards/logs-dashboard.json',
  'grafana/provisioning/datasources/loki-datasource.yml',
  'loki/loki-config.yml',
  'loki/rules/log-volume.yml',
  'loki/rules/service-errors.yml',
  'prometheus/prometheus.yml',
  'prometheus/rules/log-collector.yml',
];
const SERVICES = ['alloy', 'cadvisor', 'grafana', 'loki', 'node-exporter', 'ollama', 'open-webui', 'pgadmin', 'postgres', 'postgres-exporter', 'prometheus'];

describe('the default stack (stacks/aixcl.ts)', () => {
  for (const [name, context] of [
    ['host', {}],
    ['bridge', { network: 'bridge' }],
  ] as const) {
    test(`${name} networking matches the reviewed snapshot`, async () => {
      const { files } = await filesOf(context);
      Testing.matchSnapshot(files, join(SNAPSHOTS, `aixcl-${name}.snap`));
    });
    // The snapshots of the stack as it was before Alloy (Promtail was its collector): a deployment that
    // keeps Promtail gets the same files, but for Promtail's GOMEMLIMIT (24 -> 48 MiB, measured in LOGGING.md).
    test(`${name} networking with -c collector=promtail synthesizes as before Alloy`, async () => {
      const { files } = await filesOf({ ...context, collector: 'promtail' });
      Testing.matchSnapshot(files, join(SNAPSHOTS, `aixcl-${name}-promtail.snap`));
      assert.deepEqual(checkPromtailConfig(parse(files['promtail/promtail-config.yml'])), []);
    });
  }

  test('generates every file the feature asks for, and all eleven services', async () => {
    const { files } = await filesOf();
    assert.deepEqual(Object.keys(files).sort(), [...EXPECTED_FILES, 'alloy/config.alloy'].sort());
    const compose = docsOf(files)['docker-compose.yml'];
    assert.deepEqual(Object.keys(compose.services).sort(), SERVICES);
  });

  test('every service has a healthcheck, and none needs a shell its image lacks', async () => {
    const compose = docsOf((await filesOf()).files)['docker-compose.yml'];
    for (const [name, svc] of Object.entries<any>(compose.services)) {
      assert.ok(svc.healthcheck, `${name} has no healthcheck`);
    }
    // Shell-less images (facts): Loki 3.6+ has no shell, Alloy has bash but no wget/curl.
    assert.deepEqual(compose.services.loki.healthcheck.test.slice(0, 3), ['CMD', '/usr/bin/loki', '-health']);
    assert.equal(compose.services.alloy.healthcheck.test[1], 'bash');
    assert.doesNotMatch(JSON.stringify(compose.services.alloy.healthcheck), /wget|curl/);
  });

  test('the configs pass the strict Loki schema and the Alloy reference', async () => {
    const d = docsOf((await filesOf()).files);
    assert.deepEqual(checkLokiConfig(d['loki/loki-config.yml'], { version: Image.of('grafana/loki:3.7.6').version! }), []);
    const alloy = (await filesOf()).app.stacks[0].node.findAll().find((c) => c.node.id === 'Config' && c.node.scopes.some((s) => s.node.id === 'alloy'));
    assert.deepEqual(alloyConfigIssues((alloy as any).statements()), []);
  });

  test('7-day retention with everything retention needs', async () => {
    const loki = docsOf((await filesOf()).files)['loki/loki-config.yml'];
    assert.equal(loki.limits_config.retention_period, '168h');
    assert.equal(loki.compactor.retention_enabled, true);
    assert.equal(loki.compactor.delete_request_store, 'filesystem');
    assert.equal(loki.schema_config.configs[0].index.period, '24h');
    assert.equal(loki.analytics.reporting_enabled, false);
  });

  test('Grafana is wired to datasources that exist, with uids resolved from the tree', async () => {
    const d = docsOf((await filesOf()).files);
    const uids = new Set(d['grafana/provisioning/datasources/loki-datasource.yml'].datasources.map((x: any) => x.uid));
    for (const f of EXPECTED_FILES.filter((p) => p.endsWith('.json'))) {
      // The variables the dashboard itself declares: a query may use those and no others.
      const variables = (d[f].templating?.list ?? []).map((v: any) => v.name as string);
      for (const panel of d[f].panels) {
        assert.ok(uids.has(panel.datasource.uid), `${f}: ${panel.title} -> ${panel.datasource.uid}`);
        for (const t of panel.targets) {
          if (panel.datasource.type === 'loki') assert.equal(checkLogQL(t.expr, { variables }), undefined, t.expr);
        }
      }
    }
    const loki = d['grafana/provisioning/datasources/loki-datasource.yml'].datasources.find((x: any) => x.type === 'loki');
    const field = loki.jsonData.derivedFields[0];
    assert.equal(field.matcherType, 'label', 'the link reads the container label, not the log text');
    assert.ok(uids.has(field.datasourceUid));
    assert.match(field.url, /^sum\(rate\(container_cpu_usage_seconds_total\{name="\$\$\{__value\.raw\}"\}/, 'a PromQL query, not an Explore URL');
    // The correlation writes Prometheus's own query model (`expr`), on the same label.
    const [corr] = loki.correlations;
    assert.ok(uids.has(corr.targetUID));
    assert.equal(corr.config.field, 'container');
    assert.equal(corr.config.target.expr, 'sum(rate(container_cpu_usage_seconds_total{name="$${container}"}[$$__rate_interval]))');
    const grafana = d['docker-compose.yml'].services.grafana;
    assert.deepEqual(grafana.depends_on.loki, { condition: 'service_started', required: false });
  });

  test('Prometheus scrapes every service that exposes metrics, Loki and the collector included', async () => {
    const prom = docsOf((await filesOf()).files)['prometheus/prometheus.yml'];
    const jobs = prom.scrape_configs.map((j: any) => j.job_name).sort();
    assert.deepEqual(jobs, ['alloy', 'cadvisor', 'grafana', 'loki', 'node-exporter', 'postgres-exporter', 'prometheus']);
  });

  test('renaming the project changes every derived name, and no old name is left behind', async () => {
    const { files } = await filesOf({ project: 'zeta' });
    // Not the project: this tool's own names (aixcl-cdk, the dev.aixcl.* labels) and the database's
    // user and name, which stay 'aixcl' so a renamed project keeps its data and credentials.
    const compose = docsOf(files)['docker-compose.yml'];
    const pgIdentity = JSON.stringify([compose.services.postgres.environment.POSTGRES_USER, compose.services.postgres.environment.POSTGRES_DB]);
    assert.equal(pgIdentity, '["aixcl","aixcl"]');
    const leftovers = Object.entries(files).flatMap(([path, content]) =>
      content
        .split('\n')
        .filter((l) => /aixcl/.test(l.replace(/aixcl-cdk|dev[._]aixcl[._]/g, '')))
        .filter((l) => !/POSTGRES_(DB|USER): aixcl|DATA_SOURCE_(USER: aixcl|URI: .*\/aixcl\?)|^ +- aixcl$/.test(l))
        .map((l) => `${path}: ${l.trim()}`),
    );
    assert.deepEqual(leftovers, []);
    const d = docsOf(files);
    assert.match(d['alloy/config.alloy'], /values = \["com\.docker\.compose\.project=zeta"\]/);
    assert.equal(d['docker-compose.yml'].name, 'zeta');
    assert.equal(d['grafana/provisioning/dashboards/logs-dashboard.json'].uid, 'zeta-logs');
  });

  test('secure by default: loopback only, read-only socket, no secret in clear', async () => {
    for (const context of VARIANTS) {
      const { files } = await filesOf(context);
      const compose = docsOf(files)['docker-compose.yml'];
      for (const [name, svc] of Object.entries<any>(compose.services)) {
        for (const p of svc.ports ?? []) assert.equal(p.host_ip, '127.0.0.1', `${name} publishes on ${p.host_ip}`);
        for (const v of svc.volumes ?? []) {
          if (String(v.source).endsWith('docker.sock')) assert.equal(v.read_only, true, `${name} has a writable socket`);
        }
        for (const [k, val] of Object.entries<string>(svc.environment ?? {})) {
          if (/PASSWORD|SECRET|KEY/.test(k)) assert.match(val, /^\$\{[A-Z_]+:\?/, `${name}.${k} is not a reference`);
        }
      }
      assert.doesNotMatch(files['docker-compose.yml'], /admin\/admin|GF_SECURITY_ADMIN_PASSWORD: admin/);
    }
  });

  test('bridge networking: URLs use service names', async () => {
    const d = docsOf((await filesOf({ network: 'bridge' })).files);
    assert.match(d['alloy/config.alloy'], /url *= "http:\/\/loki:3100\/loki\/api\/v1\/push"/);
    assert.match(d['alloy/config.alloy'], /endpoint = "http:\/\/loki:3100\/otlp"/);
    const ds = d['grafana/provisioning/datasources/loki-datasource.yml'].datasources;
    assert.deepEqual(ds.map((x: any) => x.url).sort(), ['http://loki:3100', 'http://prometheus:9090']);
    // No Alertmanager by default (LOGGING.md, "Alertmanager is opt-in"): the ruler evaluates, and sends nowhere.
    assert.equal(d['loki/loki-config.yml'].ruler.alertmanager_url, undefined);
    assert.equal(d['loki/loki-config.yml'].ruler.remote_write.clients.prometheus.url, 'http://prometheus:9090/api/v1/write');
    assert.equal(d['docker-compose.yml'].services.loki.network_mode, undefined);
  });

  test('promtool accepts the generated prometheus.yml and its rule files', async () => {
    const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    assert.equal(probe.status, 0, 'promtool is needed (scripts/ensure-docker.sh installs it)');
    for (const context of VARIANTS) {
      const app = await loadApp(STACK, context);
      const out = join(tempDir('promtool'), 'out');
      writeSynthesis(out, app.synthesize());
      const r = spawnSync('promtool', ['check', 'config', join(out, 'prometheus', 'prometheus.yml')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /SUCCESS/);
      // The collector's alert rules, as Prometheus loads them (PromQL parsed, templates checked).
      const rules = spawnSync('promtool', ['check', 'rules', join(out, 'prometheus', 'rules', 'log-collector.yml')], { encoding: 'utf8' });
      assert.equal(rules.status, 0, rules.stdout + rules.stderr);
      assert.match(rules.stdout, /SUCCESS: 3 rules found/);
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
  });

  test('with alerting, the stack gets an Alertmanager that Loki and Prometheus send to, and amtool accepts its configuration', () => {
    const probe = spawnSync('amtool', ['--version'], { encoding: 'utf8' });
    assert.equal(probe.status, 0, 'amtool is needed (scripts/ensure-docker.sh installs it)');
    for (const networkMode of [NetworkMode.HOST, NetworkMode.BRIDGE]) {
      const stack = new AixclStack(new App(), 'aixcl', {
        networkMode,
        alerting: { defaultReceiver: Receiver.webhook('ops', { url: 'http://hooks.example.com/alerts' }) },
      });
      const d = docsOf(Testing.synth(stack));
      const am = networkMode === NetworkMode.BRIDGE ? 'alertmanager:9093' : 'localhost:9093';
      assert.ok(d['docker-compose.yml'].services.alertmanager);
      assert.equal(d['loki/loki-config.yml'].ruler.alertmanager_url, `http://${am}`);
      assert.deepEqual(d['prometheus/prometheus.yml'].alerting.alertmanagers[0].static_configs[0].targets, [am]);
      const ds = d['grafana/provisioning/datasources/loki-datasource.yml'].datasources;
      assert.ok(ds.some((x: any) => x.type === 'alertmanager' && x.url === `http://${am}`));
      const file = join(tempDir('amtool'), 'alertmanager.yml');
      writeFileSync(file, Testing.synth(stack)['alertmanager/alertmanager.yml']!);
      const r = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /SUCCESS/);
    }
  });

  test('docker compose config accepts both variants', async () => {
    const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    assert.equal(probe.status, 0, 'the docker compose v2 plugin is needed (scripts/ensure-docker.sh installs it)');
    const env = { ...process.env, GRAFANA_ADMIN_PASSWORD: 'x', POSTGRES_PASSWORD: 'x', PGADMIN_PASSWORD: 'x', WEBUI_SECRET_KEY: 'x' };
    for (const context of VARIANTS) {
      const app = await loadApp(STACK, context);
      const out = join(tempDir('default'), 'out');
      writeSynthesis(out, app.synthesize());
      const r = spawnSync('docker', ['compose', '-f', join(out, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8', env });
      assert.equal(r.status, 0, r.stderr);
    }
  });
});
