// Deploy logic that needs no Docker daemon: interpolation, .env files, the
// compose model, config hashes and what they say changed, plans, optional
// services, DOCKER_HOST parsing, progress output.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { App, DependencyCondition, Duration, GeneratedFile, Healthcheck, NetworkMode, Secret, Service, Stack, Volume } from '../src/index.js';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { canonicalJson, describeChanges, INTERPOLATED_MARK, INTERPOLATED_SETTING, serviceConfigHash, settingFingerprints } from '../src/deploy/config-hash.js';
import { containerSpec } from '../src/deploy/container-spec.js';
import { connectEngine, dockerOptions } from '../src/deploy/engine.js';
import { DaemonUnreachableError } from '../src/deploy/errors.js';
import { checkOutputDirectory } from '../src/deploy/output-check.js';
import { anonymousVolumes } from '../src/deploy/reconcile.js';
import { readToolVersion, TOOL_VERSION } from '../src/deploy/version.js';
import { CONFIG_HASH_LABEL } from '../src/compose/service.js';
import { parseEnvFile } from '../src/deploy/env-file.js';
import { DeployError, dockerFailure } from '../src/deploy/errors.js';
import { ExitCode } from '../src/deploy/exit-codes.js';
import { interpolateDocument, interpolateString } from '../src/deploy/interpolate.js';
import { makePlan, formatPlan, planHasChanges } from '../src/deploy/plan.js';
import { optionalServices } from '../src/deploy/optional.js';
import { createProgress } from '../src/deploy/progress.js';
import { parseProject, type ProjectModel } from '../src/deploy/project.js';
import { formatUptime } from '../src/deploy/report.js';
import type { ActualState, ContainerState } from '../src/deploy/state.js';
import { targetsFromSynthesis } from '../src/deploy/target.js';
import { tempDir } from './support/temp.js';

const vars = { SET: 'value', EMPTY: '' };

describe('interpolation (Compose rules)', () => {
  it('expands every form of reference', () => {
    const cases: Array<[string, string]> = [
      ['${SET}', 'value'],
      ['$SET/x', 'value/x'],
      ['a$$b', 'a$b'],
      ['$${SET}', '${SET}'],
      ['${UNSET:-dflt}', 'dflt'],
      ['${EMPTY:-dflt}', 'dflt'],
      ['${EMPTY-dflt}', ''],
      ['${UNSET-dflt}', 'dflt'],
      ['${SET:+alt}', 'alt'],
      ['${EMPTY:+alt}', ''],
      ['${EMPTY+alt}', 'alt'],
      ['${UNSET:-${SET}}', 'value'],
      ['${UNSET:-a ${UNSET2:-b} c}', 'a b c'],
      ['${EMPTY?must be set}', ''],
      ['no refs', 'no refs'],
    ];
    for (const [input, want] of cases) assert.equal(interpolateString(input, vars), want, input);
  });

  it('names every missing required variable and the services that use it, at once', () => {
    const doc = {
      services: {
        grafana: { environment: { PW: '${GRAFANA_PW:?set GRAFANA_PW (admin password)}' } },
        db: { environment: { A: '${DB_PW:?set DB_PW}', B: '${EMPTY:?empty is missing too}' } },
        exporter: { environment: { P: '${DB_PW:?set DB_PW}' } },
      },
    };
    assert.throws(
      () => interpolateDocument(doc, vars),
      (e: unknown) => {
        assert.ok(e instanceof DeployError);
        assert.equal(e.exitCode, ExitCode.USER_ERROR);
        assert.match(e.message, /3 required variables are not set; nothing was changed/);
        assert.match(e.message, /GRAFANA_PW: set GRAFANA_PW \(admin password\) \(used by grafana\)/);
        assert.match(e.message, /DB_PW: set DB_PW \(used by db, exporter\)/);
        assert.match(e.message, /EMPTY: empty is missing too \(used by db\)/);
        return true;
      },
    );
  });

  it('interpolates values, not keys, and reports plain references to unset variables', () => {
    const { value, report } = interpolateDocument({ '${SET}': ['$SET', 1, true, { k: '${NOPE}' }] }, vars);
    assert.deepEqual(value, { '${SET}': ['value', 1, true, { k: '' }] });
    assert.deepEqual(report.unset, ['NOPE']);
  });

  it('rejects a malformed reference with the place it is in', () => {
    assert.throws(() => interpolateDocument({ services: { a: { command: ['echo ${oops'] } } }, vars), /invalid interpolation in services\.a\.command\[0\]: 'echo \$\{oops'/);
    assert.throws(() => interpolateString('cost: $5', vars), /write a literal \$ as \$\$/);
  });
});

describe('.env files', () => {
  it('reads KEY=VALUE lines like Compose: comments, export, quotes, escapes, references', () => {
    const env = parseEnvFile(
      [
        '# a comment',
        '',
        'PLAIN=hello world # trailing comment',
        'export EXPORTED=1',
        "SINGLE='lit $PLAIN \\n'",
        'DOUBLE="line1\\nline2 ${PLAIN}"',
        'REF=${FROM_ENV}-x',
        'EMPTY=',
      ].join('\n'),
      { FROM_ENV: 'env' },
    );
    assert.deepEqual(env, {
      PLAIN: 'hello world',
      EXPORTED: '1',
      SINGLE: 'lit $PLAIN \\n',
      DOUBLE: 'line1\nline2 hello world',
      REF: 'env-x',
      EMPTY: '',
    });
  });

  it('says which line is not KEY=VALUE', () => {
    assert.throws(() => parseEnvFile('A=1\nthis is not a pair\n'), /line 2 of \.env is not KEY=VALUE: 'this is not a pair'/);
  });
});

/** A generated file whose content a test sets. */
class TextFile extends GeneratedFile {
  constructor(scope: Stack, id: string, path: string, public text: string) {
    super(scope, id, path);
  }
  public render(): string {
    return this.text;
  }
}

function smallStack(opts: { retention?: string; network?: NetworkMode } = {}) {
  const app = new App();
  const stack = new Stack(app, 'units', { projectName: 'units', networkMode: opts.network ?? NetworkMode.BRIDGE });
  const data = new Volume(stack, 'loki-data');
  const cfg = new TextFile(stack, 'LokiConfig', 'loki/loki-config.yml', `retention: ${opts.retention ?? '168h'}\n`);
  const dash = new TextFile(stack, 'Dash', 'grafana/provisioning/dash.json', '{}\n');
  const loki = new Service(stack, 'loki', {
    image: 'grafana/loki:3.7.6',
    ports: [{ containerPort: 3100, scheme: 'http' }],
    command: ['-config.file=/etc/loki/config.yml'],
    healthcheck: Healthcheck.command(['/usr/bin/loki', '-health'], { interval: Duration.seconds(2) }),
  });
  loki.mountGenerated(cfg, '/etc/loki/config.yml');
  loki.addVolume(data, '/loki');
  const grafana = new Service(stack, 'grafana', {
    image: 'grafana/grafana:13.0.0',
    ports: [{ containerPort: 3000 }],
    environment: { GF_SECURITY_ADMIN_PASSWORD: Secret.fromEnv('GF_PW'), GF_LOG_LEVEL: 'info' },
  });
  grafana.mountGenerated('grafana/provisioning', '/etc/grafana/provisioning');
  grafana.addDependency(loki, { condition: DependencyCondition.HEALTHY, required: false });
  const promtail = new Service(stack, 'promtail', { image: 'grafana/promtail:3.6.15', ports: [{ containerPort: 9080 }] });
  promtail.addDependency(loki, { required: false });
  const ollama = new Service(stack, 'ollama', { image: 'ollama/ollama:0.12.3', ports: [{ containerPort: 11434 }] });
  const webui = new Service(stack, 'open-webui', { image: 'ghcr.io/open-webui/open-webui:v0.6.33', ports: [{ containerPort: 8080 }] });
  webui.addDependency(ollama);
  void dash;
  return { app, stack };
}

function modelOf(opts: { retention?: string; network?: NetworkMode; password?: string } = {}): ProjectModel {
  const { app } = smallStack(opts);
  const [target] = targetsFromSynthesis(app.synthesize(), '/srv/out');
  const { value, report } = interpolateDocument(target.document, { GF_PW: opts.password ?? 'secret' });
  return parseProject(value, { configFile: target.configFile, projectName: target.projectName, generatedFiles: target.generatedFiles, interpolated: report.interpolated });
}

/** Deploy keys (HMAC keys of the `${VAR}` values) for the tests. */
const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);
const DEPLOY_KEY = { key: KEY, isNew: false };

describe('the compose model', () => {
  it('resolves generated-file bind mounts under the output directory and knows which files each service sees', () => {
    const m = modelOf();
    const loki = m.services.find((s) => s.name === 'loki')!;
    assert.deepEqual(
      loki.mounts.map((x) => (x.type === 'bind' ? [x.type, x.source, x.target, x.readOnly] : [x.type, x.type === 'volume' ? x.dockerName : '', x.target])),
      [
        ['bind', '/srv/out/loki/loki-config.yml', '/etc/loki/config.yml', true],
        ['volume', 'units_loki-data', '/loki'],
      ],
    );
    assert.deepEqual(loki.mountedFiles.map((f) => f.path), ['loki/loki-config.yml']);
    assert.deepEqual(m.services.find((s) => s.name === 'grafana')!.mountedFiles.map((f) => f.path), ['grafana/provisioning/dash.json']);
    assert.equal(loki.containerName, 'units-loki-1');
    assert.deepEqual(loki.networks.map((n) => [n.dockerName, n.aliases]), [['units_default', ['units-loki-1', 'loki']]]);
    assert.deepEqual(m.networks.map((n) => n.dockerName), ['units_default']);
    assert.equal(m.services.find((s) => s.name === 'grafana')!.environment.GF_SECURITY_ADMIN_PASSWORD, 'secret');
  });

  it('reads the short syntaxes too', () => {
    const m = parseProject(
      {
        name: 'short',
        services: {
          a: {
            image: 'busybox',
            ports: ['127.0.0.1:8080:80', '9000:9000/udp', '7000'],
            volumes: ['./conf:/etc/conf:ro', 'data:/data', '/var/run/docker.sock:/var/run/docker.sock:ro'],
            environment: ['A=1', 'B=x=y'],
            command: 'sh -c "echo \'hi there\'"',
            depends_on: ['b'],
          },
          b: { image: 'busybox', network_mode: 'host', healthcheck: { test: 'wget -q http://localhost/', interval: '1m30s' } },
        },
        volumes: { data: {} },
      },
      { configFile: '/p/docker-compose.yml' },
    );
    const a = m.services[0];
    assert.deepEqual(a.ports, [
      { containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 },
      { containerPort: 9000, protocol: 'udp', hostIp: '', hostPort: 9000 },
      { containerPort: 7000, protocol: 'tcp', hostIp: '' },
    ]);
    assert.deepEqual(a.mounts, [
      { type: 'bind', source: '/p/conf', target: '/etc/conf', readOnly: true },
      { type: 'volume', key: 'data', dockerName: 'short_data', target: '/data', readOnly: false },
      { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true },
    ]);
    assert.deepEqual(a.environment, { A: '1', B: 'x=y' });
    assert.deepEqual(a.command, ['sh', '-c', "echo 'hi there'"]);
    assert.deepEqual(a.dependsOn, [{ service: 'b', condition: 'service_started', required: true, restart: false }]);
    assert.deepEqual(m.services[1].healthcheck, { test: ['CMD-SHELL', 'wget -q http://localhost/'], intervalNs: 90e9 });
    assert.equal(m.services[1].networkMode, 'host');
  });

  it('lists every setting it cannot deploy, and nothing is changed', () => {
    assert.throws(
      () =>
        parseProject(
          {
            name: 'bad',
            services: {
              a: { image: 'x', build: '.', secrets: ['s'] },
              b: { build: '.' },
              c: { image: 'x', volumes: ['nope:/data'], depends_on: { ghost: { condition: 'service_started' } } },
            },
            secrets: {},
          },
          { configFile: '/p/docker-compose.yml' },
        ),
      (e: unknown) => {
        const m = (e as Error).message;
        assert.match(m, /cannot be deployed; nothing was changed/);
        assert.match(m, /top-level 'secrets' is not supported/);
        assert.match(m, /service 'a' uses 'build', which aixcl-deploy does not support/);
        assert.match(m, /service 'a' uses 'secrets'/);
        assert.match(m, /service 'b' has no image/);
        assert.match(m, /service 'c' mounts volume 'nope', which is not declared under 'volumes'/);
        return true;
      },
    );
  });
});

describe('config hash and what changed', () => {
  it('changes only for the service that mounts a changed generated file, and names the file', () => {
    const before = modelOf({ retention: '168h' });
    const after = modelOf({ retention: '336h' });
    const changed = before.services.filter((s, i) => serviceConfigHash(s, KEY) !== serviceConfigHash(after.services[i], KEY)).map((s) => s.name);
    assert.deepEqual(changed, ['loki']);
    const loki = (m: ProjectModel) => m.services.find((s) => s.name === 'loki')!;
    assert.deepEqual(describeChanges(settingFingerprints(loki(before), KEY), settingFingerprints(loki(after), KEY)), ['generated file loki/loki-config.yml changed']);
  });

  it('names the environment variable or setting that changed, without copying values into labels', () => {
    const m = modelOf();
    const g = m.services.find((s) => s.name === 'grafana')!;
    const fp = settingFingerprints(g, KEY);
    assert.ok(!JSON.stringify(fp).includes('secret'), 'no secret value in the fingerprints');
    const next = { ...fp, 'environment.GF_LOG_LEVEL': 'x', 'environment.GF_NEW': 'y', image: 'z' };
    delete (next as Record<string, string>)['environment.GF_SECURITY_ADMIN_PASSWORD'];
    assert.deepEqual(describeChanges(fp, next), [
      'environment GF_LOG_LEVEL changed',
      'environment GF_NEW added',
      'environment GF_SECURITY_ADMIN_PASSWORD removed',
      'image changed',
    ]);
  });

  it('never records a plain hash of a ${VAR} value (a secret): only one HMAC of them all, under a key kept out of labels', () => {
    const weak = modelOf({ password: 'hunter2' });
    const g = (m: ProjectModel) => m.services.find((s) => s.name === 'grafana')!;
    const fp = settingFingerprints(g(weak), KEY);
    // The unsalted hash a dictionary attack would look for is nowhere in what goes into labels.
    const plain = createHash('sha256').update(canonicalJson('hunter2')).digest('hex');
    const labelText = JSON.stringify(fp) + serviceConfigHash(g(weak), KEY);
    assert.ok(!labelText.includes(plain.slice(0, 12)) && !labelText.includes('hunter2'), labelText);
    assert.equal(fp['environment.GF_SECURITY_ADMIN_PASSWORD'], INTERPOLATED_MARK);
    assert.match(fp[INTERPOLATED_SETTING], /^[0-9a-f]{12}$/);
    // The keyed fingerprint and the config hash depend on the key: without it, a guess cannot be checked.
    assert.notEqual(settingFingerprints(g(weak), OTHER_KEY)[INTERPOLATED_SETTING], fp[INTERPOLATED_SETTING]);
    assert.notEqual(serviceConfigHash(g(weak), OTHER_KEY), serviceConfigHash(g(weak), KEY));
    // A service without ${VAR} values does not depend on the key (a lost key recreates only what has secrets).
    const loki = weak.services.find((s) => s.name === 'loki')!;
    assert.equal(serviceConfigHash(loki, OTHER_KEY), serviceConfigHash(loki, KEY));
    // A changed secret is still detected, and reported without naming a hash.
    const changed = g(modelOf({ password: 'hunter3' }));
    assert.notEqual(serviceConfigHash(changed, KEY), serviceConfigHash(g(weak), KEY));
    assert.deepEqual(describeChanges(fp, settingFingerprints(changed, KEY)), ['a value from a ${VAR} reference changed (environment GF_SECURITY_ADMIN_PASSWORD)']);
    assert.deepEqual(describeChanges(fp, settingFingerprints(changed, OTHER_KEY), { keyIsNew: true }), [
      'values from ${VAR} references (environment GF_SECURITY_ADMIN_PASSWORD) cannot be compared with the recorded ones: the key in the output directory is new, so they count as changed once',
    ]);
  });

  it('the interpolation report says where values came from ${VAR} references', () => {
    const { report } = interpolateDocument({ services: { a: { environment: ['A=${SET}', 'B=$$literal', 'C=plain'], command: ['x', '$SET'] } } }, vars);
    assert.deepEqual(report.interpolated, ['services.a.command[1]', 'services.a.environment[0]']);
  });

  it("leaves the generated-files label out of the fingerprints (the files are named one by one) by the label's own constant", () => {
    const loki = modelOf().services.find((s) => s.name === 'loki')!;
    assert.ok(loki.labels[CONFIG_HASH_LABEL], 'the service carries the label');
    const fp = settingFingerprints(loki, KEY);
    assert.deepEqual(Object.keys(fp).filter((k) => k.includes(CONFIG_HASH_LABEL)), []);
    // A container recorded by an earlier version, with the label among its settings: only the file is named.
    const older = { ...fp, [`labels.${CONFIG_HASH_LABEL}`]: 'aaaaaaaaaaaa', 'file:loki/loki-config.yml': 'bbbbbbbbbbbb' };
    assert.deepEqual(describeChanges(older, fp), ['generated file loki/loki-config.yml changed']);
  });

  it("records the version of package.json, read from the file", () => {
    const dir = tempDir('version');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '9.8.7' }));
    assert.equal(readToolVersion(join(dir, 'package.json')), '9.8.7');
    assert.equal(TOOL_VERSION, (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });

  it('puts the labels Compose sets on the container', () => {
    const m = modelOf();
    const g = m.services.find((s) => s.name === 'grafana')!;
    const spec = containerSpec(m, g, { configHash: 'h', settings: { a: 'b' }, imageId: 'sha256:1' });
    const l = spec.create.Labels!;
    assert.equal(spec.create.name, 'units-grafana-1');
    assert.equal(l['com.docker.compose.project'], 'units');
    assert.equal(l['com.docker.compose.service'], 'grafana');
    assert.equal(l['com.docker.compose.container-number'], '1');
    assert.equal(l['com.docker.compose.oneoff'], 'False');
    assert.equal(l['com.docker.compose.config-hash'], 'h');
    assert.equal(l['com.docker.compose.project.working_dir'], '/srv/out');
    assert.equal(l['com.docker.compose.project.config_files'], '/srv/out/docker-compose.yml');
    assert.equal(l['com.docker.compose.depends_on'], 'loki:service_healthy:false');
    assert.equal(l['com.docker.compose.image'], 'sha256:1');
    assert.match(l['com.docker.compose.version'], /^\d+\.\d+\.\d+$/);
    assert.deepEqual(spec.create.HostConfig!.PortBindings, { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '3000' }] });
    assert.deepEqual(Object.keys(spec.create.NetworkingConfig!.EndpointsConfig!), ['units_default']);
  });
});

function fakeContainer(over: Partial<ContainerState> & { labels: Record<string, string>; name: string }): ContainerState {
  return { id: `id-${over.name}`, status: 'running', exitCode: 0, imageId: 'sha256:img', imageRef: 'x', restartCount: 0, publishedPorts: [], networkMode: '', inspect: {} as never, ...over };
}

describe('plans', () => {
  const images = new Map<string, { ref: string; id: string; pulled: boolean }>();

  it('refuses a container of the same name that the stack did not create, before any change', () => {
    const m = modelOf();
    const foreign = fakeContainer({ name: 'units-loki-1', labels: {} });
    const actual: ActualState = { containers: [], byName: new Map([[foreign.name, foreign]]), networks: [], volumes: [] };
    assert.throws(
      () => makePlan(m, actual, images, DEPLOY_KEY),
      /a container named units-loki-1 already exists and was not created by this stack \(it carries no Compose project label\): remove or rename it yourself/,
    );
  });

  it('keeps what matches, recreates what changed (saying why), starts what stopped, removes its own orphans, keeps orphan volumes', () => {
    const m = modelOf();
    const labelsOf = (name: string, hash: string, settings: Record<string, string>) => ({
      'com.docker.compose.project': 'units',
      'com.docker.compose.service': name,
      'com.docker.compose.config-hash': hash,
      'dev.aixcl.deploy.settings': JSON.stringify(settings),
      'dev.aixcl.deploy.version': '0.1.0',
    });
    const svc = (n: string) => m.services.find((s) => s.name === n)!;
    const lokiSettings = { ...settingFingerprints(svc('loki'), KEY), 'file:loki/loki-config.yml': 'old' };
    const containers = [
      fakeContainer({ name: 'units-grafana-1', labels: labelsOf('grafana', serviceConfigHash(svc('grafana'), KEY), settingFingerprints(svc('grafana'), KEY)) }),
      fakeContainer({ name: 'units-loki-1', labels: labelsOf('loki', 'old', lokiSettings) }),
      fakeContainer({ name: 'units-ollama-1', status: 'exited', exitCode: 137, labels: labelsOf('ollama', serviceConfigHash(svc('ollama'), KEY), {}) }),
      fakeContainer({ name: 'units-old-1', labels: labelsOf('old', 'x', {}) }),
      // Left by a recreate that was cut short (renamed aside, not removed).
      fakeContainer({ name: '0123456789ab_units-grafana-1', status: 'exited', labels: labelsOf('grafana', 'older', {}) }),
      // Left by the hand-written compose file: same project, no aixcl-deploy label.
      fakeContainer({ name: 'aixcl-legacy', labels: { 'com.docker.compose.project': 'units', 'com.docker.compose.service': 'legacy' } }),
    ];
    const net = (name: string, key: string, own: boolean) =>
      ({
        Name: name,
        Driver: 'bridge',
        Internal: false,
        Labels: { 'com.docker.compose.project': 'units', 'com.docker.compose.network': key, ...(own ? { 'dev.aixcl.deploy.version': '0.1.0' } : {}) },
      }) as never;
    const actual: ActualState = {
      containers,
      byName: new Map(containers.map((c) => [c.name, c])),
      networks: [net('units_default', 'default', true), net('units_old', 'old', true), net('units_legacy', 'legacy', false)],
      volumes: [
        { Name: 'units_loki-data', Labels: { 'com.docker.compose.project': 'units' } } as never,
        { Name: 'units_gone', Labels: { 'com.docker.compose.project': 'units' } } as never,
      ],
    };
    const plan = makePlan(m, actual, images, DEPLOY_KEY);
    assert.deepEqual(
      plan.services.map((s) => [s.service.name, s.action, s.reasons]),
      [
        ['grafana', 'keep', []],
        ['loki', 'recreate', ['generated file loki/loki-config.yml changed']],
        ['ollama', 'start', ['it had exited (code 137)']],
        ['open-webui', 'create', ['not created yet']],
        ['promtail', 'create', ['not created yet']],
      ],
    );
    assert.deepEqual(plan.orphanContainers.map((c) => c.name), ['units-old-1', '0123456789ab_units-grafana-1']);
    assert.deepEqual(plan.orphanNetworks, ['units_old']);
    // Never removed: what aixcl-deploy did not create is listed and kept.
    assert.deepEqual(plan.keptContainers.map((c) => c.name), ['aixcl-legacy']);
    assert.deepEqual(plan.keptNetworks, ['units_legacy']);
    assert.deepEqual(plan.warnings, [
      'container aixcl-legacy is kept (not created by aixcl-deploy): remove it yourself or with `docker compose -p units down`',
      'network units_legacy is kept (not created by aixcl-deploy): remove it yourself or with `docker compose -p units down`',
    ]);
    assert.deepEqual(plan.orphanVolumes, ['units_gone']);
    assert.ok(planHasChanges(plan));
    const text = formatPlan(plan);
    assert.match(text, /recreate  loki: generated file loki\/loki-config\.yml changed/);
    assert.match(text, /remove    container units-old-1 \(service 'old' is no longer in the stack\)/);
    assert.match(text, /keep      volume units_gone \(no longer in the stack; its data is kept/);
    assert.match(text, /unchanged grafana/);
    assert.match(text, /keep      container aixcl-legacy: kept \(not created by aixcl-deploy\): remove it yourself or with `docker compose -p units down`/);
    assert.match(text, /remove    network units_old\n/);
    assert.match(text, /remove    container 0123456789ab_units-grafana-1 \(a leftover of service 'grafana', which has another container\)/);
  });

  it('keeps an exited-0 container as done only for a one-shot job (a dependent waits for it to complete); starts any other', () => {
    const doc = {
      name: 'jobs',
      services: {
        migrate: { image: 'busybox', restart: 'no' },
        app: { image: 'busybox', restart: 'no', depends_on: { migrate: { condition: 'service_completed_successfully' } } },
        worker: { image: 'busybox', restart: 'on-failure' },
      },
    };
    const m = parseProject(doc, { configFile: '/p/docker-compose.yml' });
    const containers = m.services.map((s) =>
      fakeContainer({
        name: s.containerName,
        status: 'exited',
        exitCode: 0,
        labels: { 'com.docker.compose.project': 'jobs', 'com.docker.compose.service': s.name, 'com.docker.compose.config-hash': serviceConfigHash(s, KEY) },
      }),
    );
    const plan = makePlan(m, { containers, byName: new Map(containers.map((c) => [c.name, c])), networks: [], volumes: [] }, images, DEPLOY_KEY);
    assert.deepEqual(
      plan.services.map((s) => [s.service.name, s.action, s.reasons]),
      [
        ['app', 'start', ['it had exited (code 0)']],
        ['migrate', 'keep', []],
        ['worker', 'start', ['it had exited (code 0)']],
      ],
    );
  });

  it('recreates a never-started container whose networks are not the service\'s (a run stopped between create and connect)', () => {
    const doc = { name: 'nets', services: { app: { image: 'busybox', networks: ['front', 'back'] } }, networks: { front: {}, back: {} } };
    const m = parseProject(doc, { configFile: '/p/docker-compose.yml' });
    const s = m.services[0];
    const c = (status: string, networks: string[]) =>
      fakeContainer({
        name: 'nets-app-1',
        status,
        labels: { 'com.docker.compose.project': 'nets', 'com.docker.compose.service': 'app', 'com.docker.compose.config-hash': serviceConfigHash(s, KEY) },
        inspect: { NetworkSettings: { Networks: Object.fromEntries(networks.map((n) => [n, {}])) } } as never,
      });
    const planFor = (x: ContainerState) => makePlan(m, { containers: [x], byName: new Map([[x.name, x]]), networks: [], volumes: [] }, images, DEPLOY_KEY).services[0];
    assert.deepEqual([planFor(c('created', ['nets_front'])).action, planFor(c('created', ['nets_front'])).reasons], [
      'recreate',
      ['the container was never started and is not connected to nets_back'],
    ]);
    assert.equal(planFor(c('created', ['nets_front', 'nets_back'])).action, 'start');
  });
});

describe('optional services (degraded, not failed)', () => {
  it('a service whose every dependent depends on it with required:false is optional; so is one labelled dev.aixcl.optional', () => {
    const m = modelOf();
    assert.deepEqual([...optionalServices(m)].sort(), ['loki']);
    const { app, stack } = smallStack();
    stack.node.findAll().filter(Service.isService).find((s) => s.serviceName === 'promtail')!.addLabel('dev.aixcl.optional', 'true');
    const [t] = targetsFromSynthesis(app.synthesize(), '/o');
    const m2 = parseProject(interpolateDocument(t.document, { GF_PW: 'x' }).value, { configFile: t.configFile });
    assert.deepEqual([...optionalServices(m2)].sort(), ['loki', 'promtail']);
  });
});

describe('Docker API failures', () => {
  it('become one message saying whether anything was changed, exit 1', () => {
    const daemon = { statusCode: 500, json: { message: 'write /var/lib/docker/x: no space left on device' }, message: '(HTTP code 500) server error - write ...' };
    assert.equal(
      dockerFailure(daemon, false)!.message,
      'the Docker daemon failed a request: write /var/lib/docker/x: no space left on device. Nothing was changed.',
    );
    assert.match(dockerFailure(daemon, true)!.message, /The stack is partly deployed: run the same command again/);
    assert.equal(dockerFailure(daemon, true)!.exitCode, ExitCode.FAILED);
    assert.equal(dockerFailure(new TypeError('a bug')), undefined, 'a bug stays a bug');
  });

  it('a missing local file is not a daemon failure; a socket that went away is', () => {
    const local = Object.assign(new Error("ENOENT: no such file or directory, open '/srv/out/loki/loki-config.yml'"), { code: 'ENOENT', syscall: 'open', path: '/srv/out/loki/loki-config.yml' });
    assert.equal(dockerFailure(local, true), undefined);
    const socket = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT', syscall: 'connect', address: '/var/run/docker.sock' });
    assert.match(dockerFailure(socket, true)!.message, /^the Docker daemon failed a request: connect ENOENT \/var\/run\/docker\.sock\. The stack is partly deployed/);
  });
});

describe('DOCKER_HOST', () => {
  it('reads socket paths, unix:// and tcp:// addresses', () => {
    assert.deepEqual(dockerOptions('unix:///tmp/d.sock'), { options: { socketPath: '/tmp/d.sock' }, endpoint: 'unix:///tmp/d.sock', isLocal: true });
    assert.deepEqual(dockerOptions('/run/user/1000/podman/podman.sock').options, { socketPath: '/run/user/1000/podman/podman.sock' });
    const tcp = dockerOptions('tcp://10.0.0.5:2375');
    assert.deepEqual(tcp.options, { host: '10.0.0.5', port: '2375', protocol: 'http' });
    assert.equal(tcp.isLocal, false);
    assert.equal(dockerOptions('tcp://localhost:2376').options.protocol, 'https');
    assert.throws(() => dockerOptions('ftp://x'), /DOCKER_HOST='ftp:\/\/x' uses ftp:, which is not supported/);
  });

  it('any non-empty DOCKER_TLS_VERIFY turns TLS on, with the certificates in DOCKER_CERT_PATH or ~/.docker', () => {
    const v = dockerOptions('tcp://10.0.0.5', { DOCKER_TLS_VERIFY: '0', HOME: '/home/me' });
    assert.deepEqual([v.options.protocol, v.options.port, v.tls], ['https', '2376', { dir: '/home/me/.docker', verify: true }]);
    assert.deepEqual(dockerOptions('tcp://10.0.0.5:2376', { DOCKER_TLS_VERIFY: 'yes', DOCKER_CERT_PATH: '/certs' }).tls, { dir: '/certs', verify: true });
    assert.equal(dockerOptions('tcp://10.0.0.5', { DOCKER_TLS_VERIFY: '' }).options.protocol, 'http');
  });

  it('a missing TLS certificate is "cannot read the TLS certificates", exit 4, not a crash', async () => {
    const saved = { v: process.env.DOCKER_TLS_VERIFY, p: process.env.DOCKER_CERT_PATH };
    const dir = tempDir('certs');
    process.env.DOCKER_TLS_VERIFY = '1';
    process.env.DOCKER_CERT_PATH = dir;
    try {
      await assert.rejects(connectEngine({ dockerHost: 'tcp://127.0.0.1:1' }), (e: unknown) => {
        assert.ok(e instanceof DaemonUnreachableError, String(e));
        assert.equal(e.exitCode, ExitCode.DAEMON_UNREACHABLE);
        assert.equal(
          e.message,
          `cannot read the TLS certificates in ${dir}: ${dir}/ca.pem does not exist (put ca.pem, cert.pem and key.pem there, or point DOCKER_CERT_PATH at their directory). Nothing was changed.`,
        );
        return true;
      });
    } finally {
      for (const [k, v] of [['DOCKER_TLS_VERIFY', saved.v], ['DOCKER_CERT_PATH', saved.p]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('something that answers HTTP but is not Docker is named as such, without its page', async () => {
    for (const status of [404, 200]) {
      const server = createServer((_req, res) => {
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      try {
        await assert.rejects(connectEngine({ dockerHost: `tcp://127.0.0.1:${port}` }), (e: unknown) => {
          assert.ok(e instanceof DaemonUnreachableError, String(e));
          assert.equal(
            e.message,
            `something answered at tcp://127.0.0.1:${port}${status === 404 ? ' (HTTP 404)' : ''}, but it is not a Docker API: point DOCKER_HOST at the Docker daemon. Nothing was changed.`,
          );
          return true;
        });
      } finally {
        server.closeAllConnections();
        server.close();
      }
    }
  });
});

describe('output directory', () => {
  it('one under a file cannot be written: said in one sentence before anything changes', () => {
    const dir = tempDir('outcheck');
    writeFileSync(join(dir, 'file'), 'x');
    assert.throws(
      () => checkOutputDirectory(join(dir, 'file', 'out')),
      (e: unknown) => {
        assert.ok(e instanceof DeployError, String(e));
        assert.equal(e.exitCode, ExitCode.USER_ERROR);
        assert.equal(e.message, `cannot write the output directory ${dir}/file/out: ${dir}/file is a file, not a directory; choose another --out (nothing was changed)`);
        return true;
      },
    );
    checkOutputDirectory(join(dir, 'new', 'out'));
  });
});

describe('anonymous volumes across a recreate', () => {
  it("mounts the replaced container's anonymous volumes again by name; named volumes and other mounts are the stack's", () => {
    const m = parseProject(
      { name: 'anon', services: { db: { image: 'x', volumes: ['data:/var/lib/db', '/scratch', './conf:/etc/db:ro'] } }, volumes: { data: {} } },
      { configFile: '/p/docker-compose.yml' },
    );
    const s = m.services[0];
    const hex = (c: string) => c.repeat(64);
    const old = fakeContainer({
      name: 'anon-db-1',
      labels: {},
      inspect: {
        Mounts: [
          { Type: 'volume', Name: 'anon_data', Destination: '/var/lib/db', RW: true },
          { Type: 'volume', Name: hex('a'), Destination: '/scratch/', RW: true },
          { Type: 'volume', Name: hex('b'), Destination: '/cache', RW: false },
          { Type: 'volume', Name: hex('c'), Destination: '/etc/db', RW: true },
          { Type: 'volume', Name: 'someones-volume', Destination: '/old', RW: true },
          { Type: 'bind', Source: '/p/conf', Destination: '/etc/db', RW: false },
        ],
      } as never,
    });
    const inherited = anonymousVolumes(old, m, s);
    assert.deepEqual(inherited, [
      { name: hex('a'), target: '/scratch', readOnly: false },
      { name: hex('b'), target: '/cache', readOnly: true },
    ]);
    const mounts = containerSpec(m, s, { configHash: 'h', settings: {}, inheritedVolumes: inherited }).create.HostConfig!.Mounts!;
    assert.deepEqual(
      mounts.map((x) => [x.Type, x.Source, x.Target]),
      [
        ['volume', 'anon_data', '/var/lib/db'],
        ['volume', hex('a'), '/scratch'],
        ['bind', '/p/conf', '/etc/db'],
        ['volume', hex('b'), '/cache'],
      ],
    );
  });
});

describe('progress output', () => {
  const sink = () => {
    const chunks: string[] = [];
    const stream = Object.assign(new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }), { isTTY: false });
    return { stream, text: () => chunks.join('') };
  };

  it('--json writes one JSON object per line', () => {
    const out = sink();
    const p = createProgress('json', { stdout: out.stream as never, stderr: out.stream as never });
    p.sink({ type: 'service', service: 'loki', state: 'creating' });
    p.sink({ type: 'service', service: 'loki', state: 'failed', message: 'exited with code 1' });
    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map(({ t: _t, ...rest }) => rest), [
      { event: 'service', service: 'loki', state: 'creating' },
      { event: 'service', service: 'loki', state: 'failed', message: 'exited with code 1' },
    ]);
  });

  it('plain lines in CI, without colour when NO_COLOR is set even on a terminal', () => {
    const out = sink();
    (out.stream as { isTTY: boolean }).isTTY = true;
    const p = createProgress('auto', { stderr: out.stream as never, env: { CI: 'true', NO_COLOR: '1' } });
    assert.equal(p.mode, 'plain');
    p.sink({ type: 'service', service: 'grafana', state: 'healthy' });
    assert.match(out.text(), /^\[\s+\d+\.\ds\] grafana\s+healthy\n$/);
    assert.ok(!out.text().includes('\u001b['));
  });

  it('uptimes read like a person would write them', () => {
    assert.deepEqual([5, 65, 3700, 90000].map(formatUptime), ['5s', '1m05s', '1h01m', '1d01h']);
  });
});

describe('targets', () => {
  it('carry the host URLs of each declared port, and host-network ports for the port check', () => {
    const { app } = smallStack({ network: NetworkMode.HOST });
    const [t] = targetsFromSynthesis(app.synthesize(), '/o');
    assert.deepEqual(t.urls.loki, ['http://localhost:3100']);
    assert.deepEqual(t.hostNetworkPorts.grafana, [{ ip: '127.0.0.1', port: 3000, protocol: 'tcp' }]);
    assert.equal((parse(app.synthesize()[0].files.find((f) => f.path === 'docker-compose.yml')!.content) as { name: string }).name, 'units');
  });
});
