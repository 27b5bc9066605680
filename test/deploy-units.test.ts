// Deploy logic that needs no Docker daemon (the Compose CLI's `config` reads
// files without one): interpolation of .env files, the project as Compose
// reads it, what changed in words, plans, optional services, DOCKER_HOST
// parsing, progress output.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { App, DependencyCondition, Duration, GeneratedFile, Healthcheck, NetworkMode, Secret, Service, Stack, Volume } from '../src/index.js';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { canonicalJson, describeChanges, settingFingerprints } from '../src/deploy/deploy-record.js';
import { parseComposeVersion, requireCompose } from '../src/deploy/compose-cli.js';
import { loadComposeProject, type ComposeProject } from '../src/deploy/compose-project.js';
import { missingVariablesError } from '../src/deploy/missing-variables.js';
import { missingRequired, variableRefs } from '../src/deploy/variable-refs.js';
import { connectEngine, dockerOptions } from '../src/deploy/engine.js';
import { DaemonUnreachableError } from '../src/deploy/errors.js';
import { checkOutputDirectory } from '../src/deploy/output-check.js';
import { readToolVersion, TOOL_VERSION } from '../src/deploy/version.js';
import { CONFIG_HASH_LABEL } from '../src/compose/service.js';
import { parseEnvFile } from '../src/deploy/env-file.js';
import { DeployError, dockerFailure } from '../src/deploy/errors.js';
import { ExitCode } from '../src/deploy/exit-codes.js';
import { interpolateDocument, interpolateString } from '../src/deploy/interpolate.js';
import { makePlan, formatPlan, planHasChanges } from '../src/deploy/plan.js';
import { optionalServices } from '../src/deploy/optional.js';
import { createProgress } from '../src/deploy/progress.js';
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
    assert.throws(
      () => interpolateDocument({ services: { a: { command: ['echo ${oops'] } } }, vars),
      /invalid interpolation in services\.a\.command\[0\]: 'echo \$\{oops'/,
    );
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
  constructor(
    scope: Stack,
    id: string,
    path: string,
    public text: string,
  ) {
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

/** The small stack as Compose reads it (`docker compose config`: the CLI, no daemon). */
async function modelOf(opts: { retention?: string; network?: NetworkMode; password?: string } = {}): Promise<ComposeProject> {
  const { app } = smallStack(opts);
  const [target] = targetsFromSynthesis(app.synthesize(), '/srv/out');
  return loadComposeProject(target, { PATH: process.env.PATH, HOME: process.env.HOME, GF_PW: opts.password ?? 'secret' });
}

/** Deploy keys (HMAC keys of the recorded fingerprints) for the tests. */
const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);
const DEPLOY_KEY = { key: KEY, isNew: false };

describe('the project as Compose reads it', () => {
  it("takes each service's config hash from Compose, and knows which generated files each service mounts", async () => {
    const m = await modelOf();
    const loki = m.services.find((s) => s.name === 'loki')!;
    assert.match(loki.configHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(loki.binds, [{ source: '/srv/out/loki/loki-config.yml', target: '/etc/loki/config.yml' }]);
    assert.deepEqual(
      loki.mountedFiles.map((f) => f.path),
      ['loki/loki-config.yml'],
    );
    assert.deepEqual(
      m.services.find((s) => s.name === 'grafana')!.mountedFiles.map((f) => f.path),
      ['grafana/provisioning/dash.json'],
    );
    assert.equal(loki.containerName, 'units-loki-1');
    assert.deepEqual(
      m.networks.map((n) => n.dockerName),
      ['units_default'],
    );
    assert.deepEqual(
      m.volumes.map((v) => v.dockerName),
      ['units_loki-data'],
    );
    assert.deepEqual(m.services.find((s) => s.name === 'grafana')!.dependsOn, [{ service: 'loki', condition: 'service_healthy', required: false }]);
  });

  it('a changed generated file changes only the config hash of the service that mounts it (through its label)', async () => {
    const before = await modelOf({ retention: '168h' });
    const after = await modelOf({ retention: '336h' });
    const changed = before.services.filter((s, i) => s.configHash !== after.services[i]!.configHash).map((s) => s.name);
    assert.deepEqual(changed, ['loki']);
  });

  it('a file Compose refuses is one message, from Compose', async () => {
    const target = {
      projectName: 'bad',
      configFile: '/p/docker-compose.yml',
      document: { name: 'bad', services: { a: { image: 'x', ports: ['not-a-port'] } } },
      generatedFiles: [],
      urls: {},
      hostNetworkPorts: {},
    };
    await assert.rejects(loadComposeProject(target, { PATH: process.env.PATH }), (e: unknown) => {
      assert.ok(e instanceof DeployError);
      assert.match(e.message, /^docker compose refused the stack: .*not-a-port.*\. Nothing was changed\.$/s);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  });
});

describe('Compose versions', () => {
  it('reads the versions `docker compose version --short` prints', () => {
    assert.deepEqual(parseComposeVersion('2.26.1-4\n'), [2, 26, 1]);
    assert.deepEqual(parseComposeVersion('v2.20.0'), [2, 20, 0]);
    assert.deepEqual(parseComposeVersion('2.29.7-desktop.1'), [2, 29, 7]);
    assert.equal(parseComposeVersion('docker: unknown command'), undefined);
  });

  it('a docker CLI without the Compose plugin is one message saying how to install it', async () => {
    // An empty PATH but for a `docker` that knows no `compose`, as a CLI without the plugin.
    const dir = tempDir('no-compose');
    writeFileSync(join(dir, 'docker'), '#!/bin/sh\necho "docker: \'compose\' is not a docker command." >&2\nexit 1\n', { mode: 0o755 });
    await assert.rejects(requireCompose({ PATH: dir }), (e: unknown) => {
      assert.ok(e instanceof DeployError);
      assert.equal(e.exitCode, ExitCode.USER_ERROR);
      assert.match(e.message, /^Docker Compose is not installed .*install the Docker Compose v2 plugin, 2\.20 or later/);
      return true;
    });
    writeFileSync(join(dir, 'docker'), '#!/bin/sh\necho 2.19.1\n', { mode: 0o755 });
    await assert.rejects(requireCompose({ PATH: dir }), /^DeployError: Docker Compose 2\.19\.1 is too old \(the stack uses depends_on\.required, from 2\.20\)/);
  });
});

describe('what changed, in words', () => {
  it('names the generated file, environment variable or setting that changed', async () => {
    const loki = (m: ComposeProject) => m.services.find((s) => s.name === 'loki')!;
    const before = settingFingerprints(loki(await modelOf({ retention: '168h' })), KEY);
    assert.deepEqual(describeChanges(before, settingFingerprints(loki(await modelOf({ retention: '336h' })), KEY)), [
      'generated file loki/loki-config.yml changed',
    ]);
    const next = { ...before, 'environment.GF_NEW': 'y', image: 'z' };
    assert.deepEqual(describeChanges(before, next), ['environment GF_NEW added', 'image changed']);
  });

  it('records no plain hash of any value: every fingerprint is an HMAC under the key in the output directory', async () => {
    const g = (m: ComposeProject) => m.services.find((s) => s.name === 'grafana')!;
    const weak = g(await modelOf({ password: 'hunter2' }));
    const fp = settingFingerprints(weak, KEY);
    const plain = createHash('sha256').update(canonicalJson('hunter2')).digest('hex');
    assert.ok(!JSON.stringify(fp).includes(plain.slice(0, 12)) && !JSON.stringify(fp).includes('hunter2'), JSON.stringify(fp));
    assert.notEqual(settingFingerprints(weak, OTHER_KEY)['environment.GF_SECURITY_ADMIN_PASSWORD'], fp['environment.GF_SECURITY_ADMIN_PASSWORD']);
    const changed = settingFingerprints(g(await modelOf({ password: 'hunter3' })), KEY);
    const fromVariables = new Set(
      variableRefs(targetsFromSynthesis(smallStack().app.synthesize(), '/o')[0]!.document)
        .filter((r) => r.service === 'grafana')
        .map((r) => r.setting),
    );
    assert.deepEqual(describeChanges(fp, changed, { fromVariables }), ['a value from a ${VAR} reference changed (environment GF_SECURITY_ADMIN_PASSWORD)']);
  });

  it("leaves the generated-files label out of the fingerprints (the files are named one by one) by the label's own constant", async () => {
    const loki = (await modelOf()).services.find((s) => s.name === 'loki')!;
    assert.ok(loki.labels[CONFIG_HASH_LABEL], 'the service carries the label');
    const fp = settingFingerprints(loki, KEY);
    assert.deepEqual(
      Object.keys(fp).filter((k) => k.includes(CONFIG_HASH_LABEL)),
      [],
    );
  });

  it('the secrets that must be set are found in the synthesized document, each with the services that use it', () => {
    const [t] = targetsFromSynthesis(smallStack().app.synthesize(), '/o');
    const refs = variableRefs(t!.document);
    assert.deepEqual(
      refs.map((r) => [r.service, r.setting, r.variable]),
      [['grafana', 'environment.GF_SECURITY_ADMIN_PASSWORD', 'GF_PW']],
    );
    assert.deepEqual(missingRequired(refs, {}), [{ variable: 'GF_PW', message: missingRequired(refs, {})[0]!.message, services: ['grafana'] }]);
    assert.match(missingVariablesError(missingRequired(refs, {})).message, /^ {2}GF_PW: .+ \(used by grafana\)$/m);
    assert.deepEqual(missingRequired(refs, { GF_PW: 'x' }), []);
    assert.deepEqual(
      variableRefs({ services: { a: { command: ['$${LITERAL}', '${A:-x}'] } } }).map((r) => r.variable),
      ['A'],
    );
  });

  it('records the version of package.json, read from the file', () => {
    const dir = tempDir('version');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '9.8.7' }));
    assert.equal(readToolVersion(join(dir, 'package.json')), '9.8.7');
    assert.equal(TOOL_VERSION, (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });
});

function fakeContainer(over: Partial<ContainerState> & { labels: Record<string, string>; name: string }): ContainerState {
  return {
    id: `id-${over.name}`,
    status: 'running',
    exitCode: 0,
    imageId: 'sha256:img',
    imageRef: 'x',
    restartCount: 0,
    publishedPorts: [],
    networkMode: '',
    inspect: {} as never,
    ...over,
  };
}

const NO_RECORD = { project: 'units', services: {}, networks: [] };

describe('plans', () => {
  const images = new Map<string, { ref: string; id: string; pulled: boolean }>();

  it('refuses a container of the same name that the stack did not create, before any change', async () => {
    const m = await modelOf();
    const foreign = fakeContainer({ name: 'units-loki-1', labels: {} });
    const actual: ActualState = { containers: [], byName: new Map([[foreign.name, foreign]]), networks: [], volumes: [] };
    assert.throws(
      () => makePlan(m, actual, images, NO_RECORD, DEPLOY_KEY),
      /a container named units-loki-1 already exists and was not created by this stack \(it carries no Compose project label\): remove or rename it yourself/,
    );
  });

  it("keeps what matches Compose's config hash, recreates what does not (saying why from the record), starts what stopped, removes only its own orphans, keeps orphan volumes", async () => {
    const m = await modelOf();
    const labelsOf = (name: string, hash: string) => ({
      'com.docker.compose.project': 'units',
      'com.docker.compose.service': name,
      'com.docker.compose.config-hash': hash,
    });
    const svc = (n: string) => m.services.find((s) => s.name === n)!;
    const containers = [
      fakeContainer({ name: 'units-grafana-1', labels: labelsOf('grafana', svc('grafana').configHash) }),
      fakeContainer({ name: 'units-loki-1', labels: labelsOf('loki', 'old') }),
      fakeContainer({ name: 'units-ollama-1', status: 'exited', exitCode: 137, labels: labelsOf('ollama', svc('ollama').configHash) }),
      fakeContainer({ name: 'units-old-1', labels: labelsOf('old', 'x') }),
      // Left by a hand-written compose file: same project, not in this tool's record.
      fakeContainer({ name: 'aixcl-legacy', labels: { 'com.docker.compose.project': 'units', 'com.docker.compose.service': 'legacy' } }),
    ];
    const record = {
      project: 'units',
      services: {
        loki: { configHash: 'old', settings: { ...settingFingerprints(svc('loki'), KEY), 'file:loki/loki-config.yml': 'old' } },
        old: { configHash: 'x', containerId: 'id-units-old-1', settings: {} },
      },
      networks: ['units_default', 'units_old'],
    };
    const net = (name: string, key: string) =>
      ({ Name: name, Driver: 'bridge', Internal: false, Labels: { 'com.docker.compose.project': 'units', 'com.docker.compose.network': key } }) as never;
    const actual: ActualState = {
      containers,
      byName: new Map(containers.map((c) => [c.name, c])),
      networks: [net('units_default', 'default'), net('units_old', 'old'), net('units_legacy', 'legacy')],
      volumes: [
        { Name: 'units_loki-data', Labels: { 'com.docker.compose.project': 'units' } } as never,
        { Name: 'units_gone', Labels: { 'com.docker.compose.project': 'units' } } as never,
      ],
    };
    const plan = makePlan(m, actual, images, record, DEPLOY_KEY, { composeVersion: [2, 30, 0] });
    assert.deepEqual(
      plan.services.map((s) => [s.service.name, s.action, s.reasons]),
      [
        ['grafana', 'start', ["its dependency 'loki' is recreated: Compose stops it first and starts it again"]],
        ['loki', 'recreate', ['generated file loki/loki-config.yml changed']],
        ['ollama', 'start', ['it had exited (code 137)']],
        ['open-webui', 'create', ['not created yet']],
        ['promtail', 'create', ['not created yet']],
      ],
    );
    // Compose up to 2.29.3 recreates the dependents of a recreated service.
    const older = makePlan(m, actual, images, record, DEPLOY_KEY, { composeVersion: [2, 26, 1] });
    assert.deepEqual(older.services[0]!.action, 'recreate');
    assert.deepEqual(
      plan.orphanContainers.map((c) => c.name),
      ['units-old-1'],
    );
    assert.deepEqual(plan.orphanNetworks, ['units_old']);
    // Never removed: what aixcl-deploy did not deploy is listed and kept.
    assert.deepEqual(
      plan.keptContainers.map((c) => c.name),
      ['aixcl-legacy'],
    );
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
    assert.match(text, /keep      container aixcl-legacy: kept \(not created by aixcl-deploy\): remove it yourself or with `docker compose -p units down`/);
    assert.match(text, /remove    network units_old\n/);
    // A container this tool did not deploy (no record): the reason says so.
    const unrecorded = makePlan(m, actual, images, NO_RECORD, DEPLOY_KEY).services.find((s) => s.service.name === 'loki')!;
    assert.match(unrecorded.reasons[0]!, /^configuration changed \(the container was deployed by docker compose/);
  });

  it('starts every container that is not running, a completed one-shot job too (Compose runs it again)', async () => {
    const doc = {
      name: 'jobs',
      services: {
        migrate: { image: 'busybox', restart: 'no' },
        app: { image: 'busybox', restart: 'no', depends_on: { migrate: { condition: 'service_completed_successfully' } } },
        worker: { image: 'busybox', restart: 'on-failure' },
      },
    };
    const m = await loadComposeProject(
      { projectName: 'jobs', configFile: '/p/docker-compose.yml', document: doc, generatedFiles: [], urls: {}, hostNetworkPorts: {} },
      { PATH: process.env.PATH },
    );
    const containers = m.services.map((s) =>
      fakeContainer({
        name: s.containerName,
        status: 'exited',
        exitCode: 0,
        labels: { 'com.docker.compose.project': 'jobs', 'com.docker.compose.service': s.name, 'com.docker.compose.config-hash': s.configHash },
      }),
    );
    const plan = makePlan(
      m,
      { containers, byName: new Map(containers.map((c) => [c.name, c])), networks: [], volumes: [] },
      images,
      { ...NO_RECORD, project: 'jobs' },
      DEPLOY_KEY,
    );
    assert.deepEqual(
      plan.services.map((s) => [s.service.name, s.action, s.reasons]),
      [
        ['app', 'start', ['it had exited (code 0)']],
        ['migrate', 'start', ['a one-shot job that completed: docker compose up runs it again']],
        ['worker', 'start', ['it had exited (code 0)']],
      ],
    );
  });
});

describe('optional services (degraded, not failed)', () => {
  it('a service whose every dependent depends on it with required:false is optional; so is one labelled dev.aixcl.optional', async () => {
    assert.deepEqual([...optionalServices(await modelOf())].sort(), ['loki']);
    const { app, stack } = smallStack();
    stack.node
      .findAll()
      .filter(Service.isService)
      .find((s) => s.serviceName === 'promtail')!
      .addLabel('dev.aixcl.optional', 'true');
    const [t] = targetsFromSynthesis(app.synthesize(), '/o');
    const m2 = await loadComposeProject(t!, { PATH: process.env.PATH, GF_PW: 'x' });
    assert.deepEqual([...optionalServices(m2)].sort(), ['loki', 'promtail']);
  });
});

describe('Docker API failures', () => {
  it('become one message saying whether anything was changed, exit 1', () => {
    const daemon = {
      statusCode: 500,
      json: { message: 'write /var/lib/docker/x: no space left on device' },
      message: '(HTTP code 500) server error - write ...',
    };
    assert.equal(
      dockerFailure(daemon, false)!.message,
      'the Docker daemon failed a request: write /var/lib/docker/x: no space left on device. Nothing was changed.',
    );
    assert.match(dockerFailure(daemon, true)!.message, /The stack is partly deployed: run the same command again/);
    assert.equal(dockerFailure(daemon, true)!.exitCode, ExitCode.FAILED);
    assert.equal(dockerFailure(new TypeError('a bug')), undefined, 'a bug stays a bug');
  });

  it('a missing local file is not a daemon failure; a socket that went away is', () => {
    const local = Object.assign(new Error("ENOENT: no such file or directory, open '/srv/out/loki/loki-config.yml'"), {
      code: 'ENOENT',
      syscall: 'open',
      path: '/srv/out/loki/loki-config.yml',
    });
    assert.equal(dockerFailure(local, true), undefined);
    const socket = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT', syscall: 'connect', address: '/var/run/docker.sock' });
    assert.match(
      dockerFailure(socket, true)!.message,
      /^the Docker daemon failed a request: connect ENOENT \/var\/run\/docker\.sock\. The stack is partly deployed/,
    );
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
      for (const [k, v] of [
        ['DOCKER_TLS_VERIFY', saved.v],
        ['DOCKER_CERT_PATH', saved.p],
      ] as const) {
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
        assert.equal(
          e.message,
          `cannot write the output directory ${dir}/file/out: ${dir}/file is a file, not a directory; choose another --out (nothing was changed)`,
        );
        return true;
      },
    );
    checkOutputDirectory(join(dir, 'new', 'out'));
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
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map(({ t: _t, ...rest }) => rest),
      [
        { event: 'service', service: 'loki', state: 'creating' },
        { event: 'service', service: 'loki', state: 'failed', message: 'exited with code 1' },
      ],
    );
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
