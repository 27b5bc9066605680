// The Swarm target: the same constructs synthesize a stack file for `docker stack deploy`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  AixclStack,
  CollectorKind,
  App,
  checkComposeSchema,
  ComposeFile,
  checkPromtailConfig,
  checkSwarmSchema,
  configureSwarm,
  Duration,
  Interpolation,
  NetworkMode,
  projectLabelsOf,
  Secret,
  Service,
  Stack,
  SWARM_SECRET_NAME_PREFIX,
  Target,
  Testing,
  unknownVariables,
  writeSynthesis,
} from '../src/index.js';
import { loadApp } from '../src/cli/load-stack.js';
import { swarmTargetsFromSynthesis } from '../src/deploy/swarm/swarm-target.js';
import { assertProblem, problemsOf } from './support/problems.js';
import { deployCli, synthCli } from './support/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STACK_FILE = join(ROOT, 'stacks', 'aixcl.ts');
const SERVICES = ['cadvisor', 'grafana', 'loki', 'node-exporter', 'ollama', 'open-webui', 'pgadmin', 'postgres', 'postgres-exporter', 'prometheus', 'promtail'];

type Doc = Record<string, any>;

function swarmStack(project = 'aixcl', props: { logRetention?: Duration } = {}): { app: App; stack: AixclStack } {
  const app = new App();
  // Promtail under Swarm, as these tests pinned it before Alloy (it stays a collector of Swarm stacks);
  // the default collector, Alloy, under Swarm: test/alloy.test.ts and the CLI test below.
  const stack = new AixclStack(app, 'aixcl', { projectName: project, target: Target.SWARM, collector: CollectorKind.PROMTAIL, ...props });
  return { app, stack };
}

function filesOf(stack: Stack): Record<string, string> {
  return Testing.synth(stack);
}

function stackDoc(stack: Stack): Doc {
  return parse(filesOf(stack)['docker-stack.yml']) as Doc;
}

/** Secret-name variables for `docker stack config` (docker stack deploy interpolates them). */
const SECRET_NAMES = Object.fromEntries(
  ['GRAFANA_ADMIN_PASSWORD', 'PGADMIN_PASSWORD', 'POSTGRES_PASSWORD', 'WEBUI_SECRET_KEY'].map((v) => [
    `${SWARM_SECRET_NAME_PREFIX}${v}`,
    `aixcl_${v.toLowerCase()}_test`,
  ]),
);

/** Whether the docker client has `docker stack config` (CLI 20.10's has not; then the schema is the check). */
function hasStackConfig(): boolean {
  return spawnSync('docker', ['stack', 'config', '--help'], { encoding: 'utf8' }).stdout.includes('Outputs the final config file');
}

describe('Swarm target: synthesis', () => {
  test('the default stack writes docker-stack.yml (and no docker-compose.yml), valid for docker stack deploy', () => {
    const { stack } = swarmStack();
    const files = filesOf(stack);
    assert.ok(files['docker-stack.yml']);
    assert.equal(files['docker-compose.yml'], undefined);
    const doc = parse(files['docker-stack.yml']) as Doc;
    assert.equal(doc.version, '3.9');
    assert.equal(doc.name, undefined, 'format 3.9 has no top-level name');
    assert.deepEqual(Object.keys(doc.services), SERVICES);
    assert.deepEqual(checkSwarmSchema(doc), []);
    assert.deepEqual(checkComposeSchema(doc), []);
    // The schema check can fail: a Compose-only key is refused, as docker stack deploy refuses it.
    assert.match(checkSwarmSchema({ ...doc, name: 'aixcl' }).join('\n'), /name/);
    assert.match(
      checkSwarmSchema({ ...doc, services: { ...doc.services, loki: { ...doc.services.loki, mem_limit: '1g', restrat: 'always' } } }).join('\n'),
      /restrat/,
    );
  });

  test('docker stack config (the CLI that deploys it) reads the stack file as written', () => {
    const { stack } = swarmStack();
    const dir = mkdtempSync(join(tmpdir(), 'aixcl-swarm-synth-'));
    try {
      writeSynthesis(dir, (stack.node.root as App).synthesize());
      if (!hasStackConfig()) {
        // The Docker 20.10 client has no `docker stack config`: the 3.9 schema above is then the check.
        process.stderr.write('docker stack config is not available in this client; the stack file was checked against the 3.9 schema\n');
        return;
      }
      const ok = spawnSync('docker', ['stack', 'config', '-c', 'docker-stack.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...SECRET_NAMES } });
      assert.equal(ok.status, 0, ok.stderr);
      const resolved = parse(ok.stdout) as Doc;
      assert.equal(resolved.secrets.grafana_admin_password.name, 'aixcl_grafana_admin_password_test');
      assert.equal(resolved.services.promtail.deploy.mode, 'global');
      // Without the secret names it refuses, naming the variable.
      const missing = spawnSync('docker', ['stack', 'config', '-c', 'docker-stack.yml'], { cwd: dir, encoding: 'utf8' });
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /AIXCL_SWARM_SECRET_\w+ is missing a value/);
      // And it refuses what the schema refuses.
      writeFileSync(join(dir, 'bad.yml'), files(dir).replace('version: "3.9"', 'version: "3.9"\nname: aixcl'));
      const bad = spawnSync('docker', ['stack', 'config', '-c', 'bad.yml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...SECRET_NAMES } });
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /name/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the log collector runs on every node and labels lines with their node; the others are one replica', () => {
    const doc = stackDoc(swarmStack().stack);
    const global = Object.entries(doc.services)
      .filter(([, s]: [string, any]) => s.deploy.mode === 'global')
      .map(([n]) => n);
    assert.deepEqual(global, ['cadvisor', 'node-exporter', 'promtail']);
    for (const [name, s] of Object.entries(doc.services) as Array<[string, any]>) {
      if (!global.includes(name)) assert.deepEqual([s.deploy.mode, s.deploy.replicas], ['replicated', 1], name);
    }
    const promtail = parse(filesOf(swarmStack().stack)['promtail/promtail-config.yml']) as Doc;
    assert.deepEqual(checkPromtailConfig(promtail), []);
    const job = promtail.scrape_configs[0];
    // Each collector reads its own node's socket, filtered to the stack's containers.
    assert.deepEqual(job.docker_sd_configs[0].filters, [{ name: 'label', values: ['com.docker.stack.namespace=aixcl'] }]);
    const rules = job.relabel_configs as Array<{ source_labels: string[]; target_label: string; regex?: string; replacement?: string }>;
    const rule = (target: string) => rules.find((r) => r.target_label === target)!;
    assert.deepEqual(rule('node').source_labels, ['__meta_docker_container_label_com_docker_swarm_node_id']);
    assert.deepEqual(rule('compose_project').source_labels, ['__meta_docker_container_label_com_docker_stack_namespace']);
    // A swarm service is named '<stack>_<service>': the label keeps the service's own name.
    assert.deepEqual(rule('compose_service'), {
      source_labels: ['__meta_docker_container_label_com_docker_swarm_service_name'],
      regex: 'aixcl_(.+)',
      target_label: 'compose_service',
      replacement: '$1',
    });
    assert.equal(new RegExp(`^(?:${rule('compose_service').regex})$`).exec('aixcl_postgres-exporter')?.[1], 'postgres-exporter');
  });

  test('Prometheus finds every task of a per-node service through tasks.<service>; promtool accepts the file', () => {
    const { app } = swarmStack();
    const dir = mkdtempSync(join(tmpdir(), 'aixcl-swarm-prom-'));
    try {
      writeSynthesis(join(dir, 'out'), app.synthesize());
      const file = join(dir, 'out', 'prometheus', 'prometheus.yml');
      const prom = parse(spawnSync('cat', [file], { encoding: 'utf8' }).stdout) as Doc;
      const job = (name: string) => prom.scrape_configs.find((j: Doc) => j.job_name === name);
      for (const [name, port] of [
        ['cadvisor', 8081],
        ['node-exporter', 9100],
        ['promtail', 9080],
      ] as const) {
        assert.deepEqual(job(name).dns_sd_configs, [{ names: [`tasks.${name}`], type: 'A', port }], name);
        assert.equal(job(name).static_configs, undefined, name);
      }
      assert.deepEqual(job('loki').static_configs, [{ targets: ['loki:3100'] }]);
      const r = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `promtool (scripts/ensure-docker.sh installs it): ${r.stdout}${r.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("LogCollectorDown fires when a node's collector is not running, which has no up series under DNS discovery (promtool test rules)", () => {
    const { app } = swarmStack();
    const dir = mkdtempSync(join(tmpdir(), 'aixcl-swarm-rules-'));
    try {
      writeSynthesis(join(dir, 'out'), app.synthesize());
      // Two nodes (node-exporter answers on both); promtail answers on one, then on none, then on both.
      const series = (job: string, ip: string, values: string) => ({ series: `up{job="${job}", instance="${ip}"}`, values });
      const at = (minutes: number, firing: boolean) => ({
        eval_time: `${minutes}m`,
        alertname: 'LogCollectorDown',
        exp_alerts: firing
          ? [
              {
                exp_labels: { severity: 'critical', compose_project: 'aixcl', compose_service: 'promtail' },
                exp_annotations: {
                  summary: 'promtail (aixcl): the log collector is down or not answering: no logs are collected',
                  dashboard: 'http://localhost:3000/d/aixcl-logs?var-service=promtail',
                },
              },
            ]
          : [],
      });
      const cases = [
        {
          name: 'one node of two',
          input: [
            series('node-exporter', '10.0.0.2:9100', '1x10'),
            series('node-exporter', '10.0.0.3:9100', '1x10'),
            series('promtail', '10.0.0.2:9080', '1x10'),
          ],
          alerts: [at(1, false), at(5, true)],
        },
        { name: 'no node', input: [series('node-exporter', '10.0.0.2:9100', '1x10')], alerts: [at(5, true)] },
        { name: 'every node', input: [series('node-exporter', '10.0.0.2:9100', '1x10'), series('promtail', '10.0.0.2:9080', '1x10')], alerts: [at(5, false)] },
      ];
      for (const c of cases) {
        const test = join(dir, `${c.name.replace(/ /g, '-')}.yml`);
        writeFileSync(
          test,
          JSON.stringify({
            rule_files: [join(dir, 'out', 'prometheus', 'rules', 'log-collector.yml')],
            evaluation_interval: '1m',
            tests: [{ interval: '1m', input_series: c.input, alert_rule_test: c.alerts }],
          }),
        );
        const r = spawnSync('promtool', ['test', 'rules', test], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${c.name}: ${r.stdout}${r.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a swarm secret from a driver is not held to Compose's file-or-environment rule (docker stack deploy has no environment secrets)", () => {
    const { app, stack } = swarmStack();
    ComposeFile.of(stack).addOverride('secrets.tls', { driver: 'vault' });
    assert.doesNotThrow(() => app.synthesize());
  });

  test('Loki and Grafana (and every one-replica service with a volume) are pinned to the node of their volumes', () => {
    const doc = stackDoc(swarmStack().stack);
    assert.deepEqual(doc.services.loki.deploy.placement, { constraints: ['node.labels.aixcl.loki-data == true'] });
    assert.deepEqual(doc.services.grafana.deploy.placement, { constraints: ['node.labels.aixcl.grafana-data == true'] });
    assert.equal(doc.services.promtail.deploy.placement, undefined, 'a global service has a volume on every node');
    assert.equal(doc.services['postgres-exporter'].deploy.placement, undefined, 'no volume, no constraint');
  });

  test('generated files become configs named by their content: a changed file changes exactly the services that mount it', () => {
    const before = stackDoc(swarmStack().stack);
    // Loki's config, and the rule files its ruler reads (one config each, under the tenant's directory).
    assert.deepEqual(
      before.services.loki.configs.map((c: any) => c.target),
      ['/etc/loki/config.yml', '/etc/loki/rules/fake/log-volume.yml', '/etc/loki/rules/fake/service-errors.yml'],
    );
    assert.match(before.services.loki.configs[0].source, /^loki-config\.yml-[0-9a-f]{12}$/);
    assert.match(before.services.loki.configs[2].source, /^service-errors\.yml-[0-9a-f]{12}$/);
    assert.equal(before.configs[before.services.loki.configs[0].source].file, './loki/loki-config.yml');
    // No bind mount of a generated file: configs reach every node, bind mounts only the one with ./out.
    for (const s of Object.values(before.services) as any[]) for (const v of s.volumes ?? []) assert.ok(!String(v.source).startsWith('./'), JSON.stringify(v));
    // Grafana's provisioning directory is one config per file, under the directory's mount point.
    assert.deepEqual(
      before.services.grafana.configs.map((c: any) => c.target),
      [
        '/etc/grafana/provisioning/dashboards/container-metrics-dashboard.json',
        '/etc/grafana/provisioning/dashboards/dashboards.yml',
        '/etc/grafana/provisioning/dashboards/logs-dashboard.json',
        '/etc/grafana/provisioning/datasources/loki-datasource.yml',
      ],
    );
    // Same stack, same bytes (a no-op redeploy changes nothing).
    assert.equal(filesOf(swarmStack().stack)['docker-stack.yml'], filesOf(swarmStack().stack)['docker-stack.yml']);
    // Another retention changes Loki's config, hence Loki's config name, and no other service.
    const after = stackDoc(swarmStack('aixcl', { logRetention: Duration.days(14) }).stack);
    const changed = SERVICES.filter((s) => JSON.stringify(before.services[s]) !== JSON.stringify(after.services[s]));
    assert.deepEqual(changed, ['loki']);
    assert.notEqual(after.services.loki.configs[0].source, before.services.loki.configs[0].source);
  });

  test('secrets are swarm secrets read from files, never environment variables', () => {
    const { stack } = swarmStack();
    const text = filesOf(stack)['docker-stack.yml'];
    const doc = parse(text) as Doc;
    const env = (s: string) => doc.services[s].environment ?? {};
    // Each image's own way of reading a secret from a file.
    assert.equal(env('grafana').GF_SECURITY_ADMIN_PASSWORD__FILE, '/run/secrets/grafana_admin_password');
    assert.equal(env('postgres').POSTGRES_PASSWORD_FILE, '/run/secrets/postgres_password');
    assert.equal(env('pgadmin').PGADMIN_DEFAULT_PASSWORD_FILE, '/run/secrets/pgadmin_password');
    assert.equal(env('postgres-exporter').DATA_SOURCE_PASS_FILE, '/run/secrets/postgres_password');
    assert.deepEqual(doc.services['open-webui'].secrets, [{ source: 'webui_secret_key', target: '/app/backend/.webui_secret_key' }]);
    for (const [name, s] of Object.entries(doc.services) as Array<[string, any]>) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        assert.ok(!/PASSWORD$|SECRET_KEY$|_PASS$/.test(k), `${name}: ${k} is a secret in the environment`);
        assert.ok(!String(v).includes('${'), `${name}: ${k}=${String(v)} is interpolated from the environment`);
      }
    }
    assert.deepEqual(Object.keys(doc.secrets), ['grafana_admin_password', 'pgadmin_password', 'postgres_password', 'webui_secret_key']);
    for (const s of Object.values(doc.secrets) as any[]) {
      assert.equal(s.external, true);
      assert.match(s.name, /^\$\{AIXCL_SWARM_SECRET_[A-Z_]+:\?[^-}]+\}$/);
    }
  });

  test('memory limits and restart policies move under deploy; Compose-only keys are gone', () => {
    const doc = stackDoc(swarmStack().stack);
    for (const [name, s] of Object.entries(doc.services) as Array<[string, any]>) {
      for (const key of ['mem_limit', 'restart', 'depends_on', 'network_mode', 'container_name']) assert.equal(s[key], undefined, `${name}.${key}`);
      assert.deepEqual(s.deploy.restart_policy, { condition: 'any' }, name);
      // Names resolve to the tasks themselves (no IPVS virtual IP).
      assert.equal(s.deploy.endpoint_mode, 'dnsrr', name);
    }
    assert.deepEqual(doc.services.loki.deploy.resources, { limits: { memory: '512m' } });
    assert.deepEqual(doc.services.promtail.deploy.resources, { limits: { memory: '256m' } });
  });

  test('only Grafana is published; the rest talk over an encrypted overlay network', () => {
    const { stack } = swarmStack();
    const doc = stackDoc(stack);
    const published = Object.entries(doc.services)
      .filter(([, s]: [string, any]) => s.ports)
      .map(([n]) => n);
    assert.deepEqual(published, ['grafana']);
    // Published on Grafana's node (mode host), not through the routing mesh, which needs a VIP.
    assert.deepEqual(doc.services.grafana.ports, [{ target: 3000, published: 3000, protocol: 'tcp', mode: 'host' }]);
    assert.deepEqual(doc.networks, { default: { driver: 'overlay', driver_opts: { encrypted: 'true' } } });
    // URLs between services are service names on the overlay network.
    const promtail = parse(filesOf(stack)['promtail/promtail-config.yml']) as Doc;
    assert.equal(promtail.clients[0].url, 'http://loki:3100/loki/api/v1/push');
    assert.equal(stack.logging.loki.service.hostUrl(3100), undefined);
    assert.equal(stack.grafana.hostUrl, 'http://localhost:3000');
  });

  test('publishing Loki without authentication in front of it is an error naming the fix', () => {
    const { app, stack } = swarmStack();
    stack.logging.loki.service.addOverride('ports', [{ target: 3100, published: 3100 }]);
    const lines = assertProblem(app, /^\[aixcl\/logging\/loki\/Service\] is published under Swarm/);
    const line = lines.find((l) => l.includes('loki/Service'))!;
    assert.match(line, /no authentication/);
    assert.match(line, /remove the published port/);
    assert.match(line, /authenticating reverse proxy/);
  });

  test('a secret that the image cannot read from a file is an error naming the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'shop', { target: Target.SWARM });
    new Service(stack, 'api', { image: 'acme/api:1.0', environment: { API_TOKEN: Secret.fromEnv('API_TOKEN') } });
    assertProblem(
      app,
      /^\[shop\/api\] environment variable API_TOKEN is a secret, and under Swarm secrets are files .*configureSwarm\(service, \{ secretFiles: \{ API_TOKEN: \{ variable: 'API_TOKEN_FILE' \} \} \}\)/,
    );
    const fixed = new App();
    const s2 = new Stack(fixed, 'shop', { target: Target.SWARM });
    configureSwarm(new Service(s2, 'api', { image: 'acme/api:1.0', environment: { API_TOKEN: Secret.fromEnv('API_TOKEN') } }), {
      secretFiles: { API_TOKEN: { variable: 'API_TOKEN_FILE' } },
    });
    assert.equal((parse(Testing.synth(s2)['docker-stack.yml']) as Doc).services.api.environment.API_TOKEN_FILE, '/run/secrets/api_token');
  });

  test('a bad service name is one message under Swarm too (not again from the stack file schema)', () => {
    const app = new App();
    const stack = new Stack(app, 'shop', { target: Target.SWARM });
    new Service(stack, 'web', { image: 'nginx:1.27', serviceName: 'web server' });
    assert.deepEqual(problemsOf(app), ["[shop/web] service name 'web server' is invalid: use letters, digits, '.', '_' and '-'"]);
  });

  test('two secrets whose variables differ only by case would be one swarm secret: an error naming the fix', () => {
    const app = new App();
    const stack = new Stack(app, 'shop', { target: Target.SWARM });
    const api = new Service(stack, 'api', { image: 'acme/api:1.0', environment: { A_PASS: Secret.fromEnv('Db_Pass'), B_PASS: Secret.fromEnv('DB_PASS') } });
    configureSwarm(api, { secretFiles: { A_PASS: { variable: 'A_PASS_FILE' }, B_PASS: { variable: 'B_PASS_FILE' } } });
    assertProblem(
      app,
      "[shop] the secrets Secret.fromEnv('Db_Pass') and Secret.fromEnv('DB_PASS') (shop/api) are one swarm secret, 'db_pass' (a swarm secret's name here is the variable's, lower case): one value would be lost; give the variables names that differ by more than case, or use one variable",
    );
    // One variable used twice is one secret, rightly.
    const fine = new App();
    const s2 = new Stack(fine, 'shop', { target: Target.SWARM });
    const one = Secret.fromEnv('DB_PASS');
    const api2 = new Service(s2, 'api', { image: 'acme/api:1.0', environment: { A_PASS: one, B_PASS: one } });
    configureSwarm(api2, { secretFiles: { A_PASS: { variable: 'A_PASS_FILE' }, B_PASS: { variable: 'B_PASS_FILE' } } });
    assert.deepEqual(Object.keys((parse(Testing.synth(s2)['docker-stack.yml']) as Doc).secrets), ['db_pass']);
  });

  test('a secret inside a command or a composed value is an error under Swarm (the spec would show it); Compose takes it', () => {
    const build = (target: Target) => {
      const app = new App();
      const stack = new Stack(app, 'shop', { target });
      new Service(stack, 'cache', { image: 'redis:7.4', command: ['redis-server', Interpolation.of`--requirepass=${Secret.fromEnv('REDIS_PASSWORD')}`] });
      new Service(stack, 'api', { image: 'acme/api:1.0', environment: { DB_URL: Interpolation.of`postgres://app:${Secret.fromEnv('DB_PASSWORD')}@db/app` } });
      return { app, stack };
    };
    const lines = assertProblem(
      build(Target.SWARM).app,
      /^\[shop\/cache\] the command or entrypoint holds the secret REDIS_PASSWORD, and under Swarm a secret is a file/,
    );
    assert.ok(
      lines.some((l) => /^\[shop\/api\] environment variable DB_URL holds the secret DB_PASSWORD inside a longer value, .*configureSwarm secretFiles/.test(l)),
      lines.join('\n'),
    );
    // The same stack for Compose synthesizes: there the reference is interpolated when the container is created.
    assert.ok(Testing.synth(build(Target.COMPOSE).stack)['docker-compose.yml'].includes('--requirepass=${REDIS_PASSWORD'));
  });

  test("a regex group ('$1') in a dashboard query is not taken for an undeclared variable; '${1}' and '$x' still are", () => {
    assert.deepEqual(unknownVariables('label_replace(up, "s", "$1", "l", "a_(.+)")', []), []);
    assert.equal(unknownVariables('up{a="${1}"}', []).length, 1);
    assert.equal(unknownVariables('up{a="$x1"}', []).length, 1);
  });

  test('host networking under Swarm is an error naming the fix', () => {
    const app = new App();
    new AixclStack(app, 'aixcl', { target: Target.SWARM, networkMode: NetworkMode.HOST });
    assertProblem(app, /^\[aixcl\] host networking does not apply under Swarm .*use NetworkMode\.BRIDGE/);
  });

  test('one source of truth for the project and service labels: collector filter, relabels, cAdvisor and dashboards follow the target', () => {
    for (const target of [Target.COMPOSE, Target.SWARM]) {
      const app = new App();
      const stack = new AixclStack(app, 'aixcl', { target, networkMode: NetworkMode.BRIDGE, collector: CollectorKind.PROMTAIL });
      const files = Testing.synth(stack);
      const labels = projectLabelsOf(target);
      const meta = (l: string) => `__meta_docker_container_label_${l.replace(/[^a-zA-Z0-9_]/g, '_')}`;
      const promtail = parse(files['promtail/promtail-config.yml']) as Doc;
      const job = promtail.scrape_configs[0];
      assert.deepEqual(job.docker_sd_configs[0].filters[0].values, [`${labels.project}=aixcl`], target);
      const sources = (job.relabel_configs as any[]).flatMap((r) => r.source_labels);
      assert.ok(sources.includes(meta(labels.project)) && sources.includes(meta(labels.service)), target);
      const compose = parse(files[target === Target.SWARM ? 'docker-stack.yml' : 'docker-compose.yml']) as Doc;
      assert.ok(compose.services.cadvisor.command.includes(`--whitelisted_container_labels=${labels.project},${labels.service}`), target);
      const metrics = files['grafana/provisioning/dashboards/container-metrics-dashboard.json'];
      const cadvisorProject = `container_label_${labels.project.replace(/[^a-zA-Z0-9_]/g, '_')}`;
      assert.ok(metrics.includes(`${cadvisorProject}=\\"aixcl\\"`), target);
      const other = projectLabelsOf(target === Target.SWARM ? Target.COMPOSE : Target.SWARM);
      assert.ok(!metrics.includes(other.project.replace(/[^a-zA-Z0-9_]/g, '_')), `${target}: the other target's label leaked`);
      // The logs dashboard selects on the collector's own label names, the same under both targets.
      assert.ok(files['grafana/provisioning/dashboards/logs-dashboard.json'].includes('compose_project=\\"aixcl\\"'), target);
    }
  });
});

describe('Swarm target: what the deploy reads of a stack file', () => {
  test('secrets, the node labels of placement constraints and the URLs come from the synthesized stack', () => {
    const { app } = swarmStack('shop');
    const [target] = swarmTargetsFromSynthesis(app.synthesize(), '/tmp/out');
    assert.equal(target.stackFile, '/tmp/out/docker-stack.yml');
    assert.deepEqual(
      target.secrets.map((s) => `${s.key} ${s.variable} ${s.nameVariable}`),
      [
        'grafana_admin_password GRAFANA_ADMIN_PASSWORD AIXCL_SWARM_SECRET_GRAFANA_ADMIN_PASSWORD',
        'pgadmin_password PGADMIN_PASSWORD AIXCL_SWARM_SECRET_PGADMIN_PASSWORD',
        'postgres_password POSTGRES_PASSWORD AIXCL_SWARM_SECRET_POSTGRES_PASSWORD',
        'webui_secret_key WEBUI_SECRET_KEY AIXCL_SWARM_SECRET_WEBUI_SECRET_KEY',
      ],
    );
    assert.deepEqual(target.nodeLabels, [
      'shop.grafana-data',
      'shop.loki-data',
      'shop.ollama-data',
      'shop.open-webui-data',
      'shop.pgadmin-data',
      'shop.postgres-data',
      'shop.prometheus-data',
    ]);
    assert.deepEqual(target.urls.grafana, ['http://localhost:3000']);
    assert.deepEqual(target.urls.loki, []);
    // A stack synthesized for Compose is not a Swarm target.
    assert.throws(
      () => swarmTargetsFromSynthesis(composeApp().synthesize(), '/tmp/out'),
      /was not synthesized for Swarm .*give its Stack \{ target: Target\.SWARM \}/,
    );
  });

  test('aixcl-deploy --target swarm: a missing secret stops before the daemon is asked anything; --dry-run is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aixcl-swarm-cli-'));
    try {
      const env = {
        DOCKER_HOST: 'unix:///tmp/aixcl-swarm-no-docker.sock',
        GRAFANA_ADMIN_PASSWORD: undefined,
        WEBUI_SECRET_KEY: 'k',
        PGADMIN_PASSWORD: 'p',
        POSTGRES_PASSWORD: 'q',
      };
      const r = await deployCli(['--target', 'swarm', '--out', join(dir, 'out')], { cwd: dir, env });
      assert.equal(r.exitCode, 2, r.stderr);
      assert.match(r.stderr, /^error: a required variable is not set \(it becomes a swarm secret\); nothing was changed:\n {2}GRAFANA_ADMIN_PASSWORD: /m);
      const dry = await deployCli(['--target', 'swarm', '--dry-run', '--out', join(dir, 'out')], { cwd: dir, env });
      assert.equal(dry.exitCode, 2);
      assert.match(dry.stderr, /--dry-run and diff are not available with --target swarm: .*docker stack config/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function composeApp(): App {
  const app = new App();
  new AixclStack(app, 'aixcl');
  return app;
}

describe('Swarm target: CLI', () => {
  test('aixcl-synth --target swarm writes docker-stack.yml; a bad target is refused', () => {
    const out = mkdtempSync(join(tmpdir(), 'aixcl-swarm-cli-'));
    try {
      const r = synthCli(['--target', 'swarm', '--out', out, '-q']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok((parse(files(out)) as Doc).services.alloy.deploy.mode === 'global');
      const bad = synthCli(['--target', 'kubernetes', '--out', out]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /^error: --target kubernetes is not one of compose, swarm\n$/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('the stack file receives the target; a stack built for another target is refused', async () => {
    const app = await loadApp(STACK_FILE, {}, Target.SWARM);
    assert.equal(app.stacks[0].target, Target.SWARM);
    assert.equal(app.stacks[0].networkMode, NetworkMode.BRIDGE);
    const fixture = join(ROOT, 'test', 'fixtures', 'tiny-stack.ts');
    await assert.rejects(loadApp(fixture, {}, Target.SWARM), /--target swarm was given, but the stack file .* builds '.*' for compose: pass the target on/);
  });
});

/** The stack file in an output directory. */
function files(dir: string): string {
  return spawnSync('cat', [join(dir, 'docker-stack.yml')], { encoding: 'utf8' }).stdout;
}
