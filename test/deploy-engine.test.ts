// aixcl-deploy against a real Docker Engine, with small stacks built from the
// core constructs and stand-in images (no registry is reachable here).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App, NetworkMode, RestartPolicy, Secret, Service, Stack } from '../src/index.js';
import { DEPLOY_KEY_FILE } from '../src/deploy/deploy-key.js';
import { DEPLOY_RECORD_FILE } from '../src/deploy/deploy-record.js';
import { requireCompose } from '../src/deploy/compose-cli.js';
import { DaemonUnreachableError, DeployError } from '../src/deploy/errors.js';
import { ExitCode } from '../src/deploy/exit-codes.js';
import { stackDown } from '../src/deploy/down.js';
import { stackStatus } from '../src/deploy/status.js';
import { targetsFromSynthesis } from '../src/deploy/target.js';
import { deployUp } from '../src/deploy/up.js';
import { deployCli, writeTestStackFile } from './support/cli.js';
import {
  cleanupProject,
  compose,
  containersOf,
  dockerExec,
  freePort,
  holdPort,
  idsOf,
  imageWithVolume,
  requireDocker,
  uniqueProject,
} from './support/docker.js';
import { deploy, documentTarget, dryRun, indexOfEvent, logsLikeStack, tempOut } from './support/stacks.js';
import { buildStandIns, STANDIN_MIRROR, standInName, TEST_IMAGES } from './support/standins.js';

const WEB = standInName('aixcl-test/web:1');

/** Compose before 2.29.4 recreates the dependents of a recreated service (see plan.ts followRecreatedDependencies). */
async function composeRecreatesDependents(): Promise<boolean> {
  const [a, b, c] = await requireCompose();
  return a < 2 || (a === 2 && (b < 29 || (b === 29 && c < 4)));
}
import { run } from './support/run.js';

const projects: string[] = [];
function project(prefix: string): string {
  const p = uniqueProject(prefix);
  projects.push(p);
  return p;
}

before(async () => {
  const e = await requireDocker();
  await buildStandIns(e.docker, TEST_IMAGES);
});
after(async () => {
  for (const p of projects) await cleanupProject(p);
});

describe('up, redeploy, config change, down and up again (bridge network)', () => {
  const name = project('t-cycle');
  const out = tempOut();
  let ports: { loki: number; web: number };
  before(async () => {
    ports = { loki: await freePort(), web: await freePort() };
  });

  it('creates network, volume and containers, starts them in depends_on order and waits for health', async () => {
    const { app } = logsLikeStack({ project: name, ports });
    const { result, events, target } = await deploy(app, out);
    assert.equal(result.outcome, 'ok', JSON.stringify(result.services, null, 2));
    assert.equal(result.exitCode, ExitCode.OK);
    assert.deepEqual(
      result.services.map((s) => [s.service, s.action, s.outcome]),
      [
        ['init', 'create', 'completed'],
        ['loki', 'create', 'healthy'],
        ['web', 'create', 'healthy'],
      ],
    );
    // Compose creates every container, then starts web once loki is healthy and init completed (start.go startService waits first).
    assert.ok(indexOfEvent(events, 'loki', 'healthy') < indexOfEvent(events, 'web', 'starting'), JSON.stringify(events));
    assert.ok(indexOfEvent(events, 'init', 'completed') < indexOfEvent(events, 'web', 'starting'), JSON.stringify(events));
    assert.deepEqual(target.urls.web, [`http://localhost:${ports.web}`]);
    const res = await fetch(`http://127.0.0.1:${ports.web}/ready`);
    assert.equal(res.status, 200);
  });

  it('labels everything as Docker Compose does, so docker compose ps and logs see the stack', async () => {
    const e = await requireDocker();
    const cs = await containersOf(e.docker, name);
    const loki = cs.get('loki')!;
    assert.equal(loki.Name, `/${name}-loki-1`);
    const l = loki.Config.Labels;
    assert.equal(l['com.docker.compose.project'], name);
    assert.equal(l['com.docker.compose.service'], 'loki');
    assert.equal(l['com.docker.compose.container-number'], '1');
    assert.equal(l['com.docker.compose.oneoff'], 'False');
    assert.equal(l['com.docker.compose.project.working_dir'], out);
    assert.equal(l['com.docker.compose.project.config_files'], `${out}/docker-compose.yml`);
    assert.match(l['com.docker.compose.config-hash'], /^[0-9a-f]{64}$/);
    assert.equal(l['com.docker.compose.image'], loki.Image);
    // Compose writes the entries in its map's order (pkg/compose/create.go): compared as a set.
    assert.deepEqual(cs.get('web')!.Config.Labels['com.docker.compose.depends_on'].split(',').sort(), [
      'init:service_completed_successfully:false',
      'loki:service_healthy:false',
    ]);
    const net = await e.docker.getNetwork(`${name}_default`).inspect();
    assert.equal(net.Labels?.['com.docker.compose.network'], 'default');
    assert.equal(net.Labels?.['com.docker.compose.project'], name);
    const vol = await e.docker.getVolume(`${name}_loki-data`).inspect();
    assert.equal(vol.Labels['com.docker.compose.volume'], 'loki-data');
    assert.equal(vol.Labels['com.docker.compose.project'], name);

    const ps = await compose(['-p', name, 'ps', '--all', '--format', '{{.Service}} {{.State}}']);
    assert.equal(ps.exitCode, 0, ps.stderr);
    assert.deepEqual(ps.stdout.trim().split('\n').sort(), ['init exited', 'loki running', 'web running']);
    const logs = await compose(['-p', name, 'logs', '--no-color', 'init']);
    assert.match(logs.stdout, /init: done/);
  });

  it('a second run with nothing changed recreates nothing, and says so (Compose runs the one-shot job again)', async () => {
    const e = await requireDocker();
    const before = await idsOf(e.docker, name);
    const { app } = logsLikeStack({ project: name, ports });
    const ONE_SHOT_AGAIN = ['a one-shot job that completed: docker compose up runs it again'];
    assert.deepEqual(
      (await dryRun(app, out)).services.map((s) => [s.service.name, s.action, s.reasons]),
      [
        ['init', 'start', ONE_SHOT_AGAIN],
        ['loki', 'keep', []],
        ['web', 'keep', []],
      ],
    );
    const { result } = await deploy(logsLikeStack({ project: name, ports }).app, out);
    assert.equal(result.outcome, 'ok');
    assert.deepEqual(
      result.services.map((s) => [s.action, s.outcome]),
      [
        ['start', 'completed'],
        ['keep', 'healthy'],
        ['keep', 'healthy'],
      ],
    );
    assert.deepEqual(await idsOf(e.docker, name), before);
  });

  it('changing a generated config file recreates the service that mounts it, saying which file, and what Compose does to its dependents', async () => {
    const e = await requireDocker();
    await dockerExec(`${name}-loki-1`, ['sh', '-c', 'echo kept-across-recreate > /loki/data.txt']);
    const before = await idsOf(e.docker, name);
    const changed = logsLikeStack({ project: name, ports, lokiConfig: 'retention_period: 336h\n' }).app;
    const plan = await dryRun(changed, out);
    const recreatesDependents = await composeRecreatesDependents();
    assert.deepEqual(
      plan.services.map((s) => [s.service.name, s.action, s.reasons]),
      [
        ['init', 'start', ['a one-shot job that completed: docker compose up runs it again']],
        ['loki', 'recreate', ['generated file loki/loki-config.yml changed']],
        recreatesDependents
          ? ['web', 'recreate', ["its dependency 'loki' is recreated, and Compose before 2.29.4 recreates the dependents of a recreated service"]]
          : ['web', 'start', ["its dependency 'loki' is recreated: Compose stops it first and starts it again"]],
      ],
    );
    const { result } = await deploy(changed, out);
    assert.equal(result.outcome, 'ok');
    const now = await idsOf(e.docker, name);
    assert.notEqual(now.loki, before.loki);
    if (recreatesDependents) assert.notEqual(now.web, before.web);
    else assert.equal(now.web, before.web);
    assert.equal(now.init, before.init);
    assert.equal(await dockerExec(`${name}-loki-1`, ['cat', '/etc/loki/config.yml']), 'retention_period: 336h');
    assert.equal(await dockerExec(`${name}-loki-1`, ['cat', '/loki/data.txt']), 'kept-across-recreate');
  });

  it('down removes containers and network but keeps the volume; up again finds the data', async () => {
    const e = await requireDocker();
    const down = await stackDown(name, { engine: e });
    assert.deepEqual(down.removedContainers, [`${name}-init-1`, `${name}-loki-1`, `${name}-web-1`]);
    assert.deepEqual(down.removedNetworks, [`${name}_default`]);
    assert.deepEqual(down.keptVolumes, [`${name}_loki-data`]);
    assert.equal((await containersOf(e.docker, name)).size, 0);
    const status = await stackStatus(name, { engine: e, services: ['loki', 'web'] });
    assert.deepEqual(
      status.map((s) => [s.service, s.state]),
      [
        ['loki', 'missing'],
        ['web', 'missing'],
      ],
    );
    const { result } = await deploy(logsLikeStack({ project: name, ports, lokiConfig: 'retention_period: 336h\n' }).app, out);
    assert.equal(result.outcome, 'ok');
    assert.equal(await dockerExec(`${name}-loki-1`, ['cat', '/loki/data.txt']), 'kept-across-recreate');
  });

  it('a volume removed from the stack is kept (data is never removed implicitly); its container goes', async () => {
    const e = await requireDocker();
    const { result } = await deploy(logsLikeStack({ project: name, ports, withoutVolume: true, withInit: false }).app, out);
    assert.equal(result.outcome, 'ok');
    assert.deepEqual(result.plan.orphanVolumes, [`${name}_loki-data`]);
    assert.deepEqual(
      result.plan.orphanContainers.map((c) => c.name),
      [`${name}-init-1`],
    );
    const vol = await e.docker.getVolume(`${name}_loki-data`).inspect();
    assert.equal(vol.Name, `${name}_loki-data`);
    const check = await run('docker', ['run', '--rm', '-v', `${name}_loki-data:/d`, '--entrypoint', 'cat', WEB, '/d/data.txt']);
    assert.equal(check.stdout.trim(), 'kept-across-recreate');
  });

  it('docker compose -p NAME down removes a stack this tool deployed', async () => {
    const e = await requireDocker();
    const r = await compose(['-p', name, 'down']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal((await containersOf(e.docker, name)).size, 0);
    await assert.rejects(e.docker.getNetwork(`${name}_default`).inspect(), /404|no such network/i);
  });
});

describe('host networking', () => {
  it('deploys with network_mode host and reports localhost URLs', async () => {
    const name = project('t-host');
    const ports = { loki: await freePort(), web: await freePort() };
    const { result, target } = await deploy(logsLikeStack({ project: name, ports, network: NetworkMode.HOST }).app, tempOut());
    assert.equal(result.outcome, 'ok', JSON.stringify(result.services, null, 2));
    const e = await requireDocker();
    assert.equal((await containersOf(e.docker, name)).get('loki')!.HostConfig.NetworkMode, 'host');
    assert.deepEqual(target.urls.loki, [`http://localhost:${ports.loki}`]);
    assert.equal((await fetch(`http://127.0.0.1:${ports.loki}/ready`)).status, 200);
    assert.deepEqual(result.plan.networks, []);
  });

  it('a port another program holds is a clear error before anything is created', async () => {
    const name = project('t-hostport');
    const ports = { loki: await freePort(), web: await freePort() };
    const server = await holdPort(ports.web);
    try {
      await assert.rejects(deploy(logsLikeStack({ project: name, ports, network: NetworkMode.HOST }).app, tempOut()), (e: unknown) => {
        assert.ok(e instanceof DeployError);
        assert.equal(e.exitCode, ExitCode.USER_ERROR);
        assert.match(e.message, new RegExp(`port 127\\.0\\.0\\.1:${ports.web}/tcp, needed by service 'web', is already in use by another program`));
        assert.match(e.message, /nothing was changed/);
        return true;
      });
    } finally {
      server.close();
    }
    assert.equal((await containersOf((await requireDocker()).docker, name)).size, 0);
  });
});

describe('faults', () => {
  it('a daemon that cannot be reached is one clear sentence (DOCKER_HOST at a dead socket)', async () => {
    const { app } = logsLikeStack({ project: 'unreachable', ports: { loki: 1, web: 2 } });
    const [target] = targetsFromSynthesis(app.synthesize(), tempOut());
    await assert.rejects(deployUp(target, { variables: {}, engine: { dockerHost: 'unix:///tmp/aixcl-no-such-docker.sock' } }), (e: unknown) => {
      assert.ok(e instanceof DaemonUnreachableError);
      assert.equal(e.exitCode, ExitCode.DAEMON_UNREACHABLE);
      assert.equal(
        e.message,
        'cannot reach the Docker daemon at unix:///tmp/aixcl-no-such-docker.sock (there is no socket there): is Docker running? Start it, or point DOCKER_HOST at it. Nothing was changed.',
      );
      return true;
    });
  });

  it('a missing ${VAR:?} is reported, naming the variable, before the daemon is even asked', async () => {
    const { app, stack } = logsLikeStack({ project: 'novar', ports: { loki: 1, web: 2 } });
    const { Secret, Service } = await import('../src/index.js');
    stack.node
      .findAll()
      .filter(Service.isService)
      .find((s) => s.serviceName === 'web')!
      .addEnvironment('WEB_PASSWORD', Secret.fromEnv('WEB_PASSWORD'));
    const [target] = targetsFromSynthesis(app.synthesize(), tempOut());
    await assert.rejects(deployUp(target, { variables: {}, engine: { dockerHost: 'unix:///tmp/aixcl-no-such-docker.sock' } }), (e: unknown) => {
      assert.ok(e instanceof DeployError && !(e instanceof DaemonUnreachableError));
      assert.match(e.message, /WEB_PASSWORD: set WEB_PASSWORD in the environment or a \.env file \(used by web\)/);
      return true;
    });
  });

  it('a published port another program holds is a clear error; nothing is created', async () => {
    const name = project('t-port');
    const ports = { loki: await freePort(), web: await freePort() };
    const server = await holdPort(ports.loki);
    try {
      await assert.rejects(
        deploy(logsLikeStack({ project: name, ports }).app, tempOut()),
        new RegExp(`port 127\\.0\\.0\\.1:${ports.loki}/tcp, needed by service 'loki', is already in use`),
      );
    } finally {
      server.close();
    }
    const e = await requireDocker();
    assert.equal((await containersOf(e.docker, name)).size, 0);
    await assert.rejects(e.docker.getNetwork(`${name}_default`).inspect(), /404|no such network/i);
  });

  it('a container of the same name that the stack did not create is refused and left alone', async () => {
    const name = project('t-foreign');
    const e = await requireDocker();
    const foreign = await e.docker.createContainer({ name: `${name}-web-1`, Image: WEB, Labels: { owner: 'someone-else' } });
    try {
      await assert.rejects(
        deploy(logsLikeStack({ project: name, ports: { loki: await freePort(), web: await freePort() } }).app, tempOut()),
        new RegExp(`a container named ${name}-web-1 already exists and was not created by this stack`),
      );
      const still = await foreign.inspect();
      assert.equal(still.Config.Labels.owner, 'someone-else');
      assert.equal((await containersOf(e.docker, name)).size, 0);
    } finally {
      await foreign.remove({ force: true });
    }
  });

  it('an image that is neither local nor pullable is an error before anything changes', async () => {
    const name = project('t-image');
    const { app, stack } = logsLikeStack({ project: name, ports: { loki: await freePort(), web: await freePort() } });
    const { Service } = await import('../src/index.js');
    new Service(stack, 'ghost', { image: 'aixcl-test/never-built:9' });
    await assert.rejects(deploy(app, tempOut()), /image aixcl-standin\.invalid\/aixcl-test\/never-built:9 is not present locally and could not be pulled: /);
    await assert.rejects(
      deploy(app, tempOut(), { pull: 'never' }),
      /image aixcl-standin\.invalid\/aixcl-test\/never-built:9 is not present locally and --pull never forbids pulling it/,
    );
    // --pull always pulls even what is present: here that fails too, before anything changes.
    await assert.rejects(
      deploy(logsLikeStack({ project: name, ports: { loki: 1, web: 2 } }).app, tempOut(), { pull: 'always' }),
      /image aixcl-standin\.invalid\/aixcl-test\/loki:1 could not be pulled \(--pull always\): /,
    );
    assert.equal((await containersOf((await requireDocker()).docker, name)).size, 0);
  });

  it('a container that exits fails the deploy, naming it with its last log lines; the others keep running', async () => {
    const name = project('t-exit');
    const { result } = await deploy(
      logsLikeStack({ project: name, ports: { loki: await freePort(), web: await freePort() }, webEnv: { STANDIN_EXIT_CODE: '3' }, withInit: false }).app,
      tempOut(),
      { waitTimeoutSeconds: 30 },
    );
    assert.equal(result.outcome, 'failed');
    assert.equal(result.exitCode, ExitCode.FAILED);
    const web = result.services.find((s) => s.service === 'web')!;
    assert.equal(web.outcome, 'failed');
    assert.match(web.detail!, /exited with code 3/);
    assert.ok(
      web.logs!.some((l) => l.includes('exiting on purpose with code 3')),
      web.logs!.join('\n'),
    );
    assert.equal(result.services.find((s) => s.service === 'loki')!.outcome, 'healthy');
  });

  it('a container that never becomes healthy fails at --wait-timeout, with its last healthcheck output', async () => {
    const name = project('t-timeout');
    const { result } = await deploy(
      logsLikeStack({
        project: name,
        ports: { loki: await freePort(), web: await freePort() },
        lokiEnv: { STANDIN_UNHEALTHY: '1' },
        lokiRetries: 1000,
        webRequiresLoki: true,
        withInit: false,
      }).app,
      tempOut(),
      // Long enough for a first probe to finish on a busy machine (a probe is an exec in the container).
      { waitTimeoutSeconds: 10 },
    );
    assert.equal(result.outcome, 'failed');
    const loki = result.services.find((s) => s.service === 'loki')!;
    assert.match(loki.detail!, /^not healthy after 10s \(health: starting\); last check: exit 1/);
    const web = result.services.find((s) => s.service === 'web')!;
    assert.equal(web.outcome, 'blocked');
    assert.equal(web.detail, "not started: required dependency 'loki' failed");
  });

  it('an optional service (every dependent has required: false) that is unhealthy leaves the stack degraded, exit 3', async () => {
    const name = project('t-degraded');
    const { result } = await deploy(
      logsLikeStack({
        project: name,
        ports: { loki: await freePort(), web: await freePort() },
        lokiEnv: { STANDIN_UNHEALTHY: '1' },
        lokiRetries: 1,
        withInit: false,
      }).app,
      tempOut(),
      { waitTimeoutSeconds: 30 },
    );
    assert.equal(result.outcome, 'degraded');
    assert.equal(result.exitCode, ExitCode.DEGRADED);
    const loki = result.services.find((s) => s.service === 'loki')!;
    assert.equal(loki.optional, true);
    assert.match(loki.detail!, /^unhealthy: exit 1/);
    assert.equal(result.services.find((s) => s.service === 'web')!.outcome, 'healthy');
  });
});

describe('what aixcl-deploy did not create is never removed', () => {
  it('up keeps a container and a network of the project that it did not create (e.g. from a hand-written compose file), and says how to remove them', async () => {
    const name = project('t-legacy');
    const e = await requireDocker();
    const legacy = await e.docker.createContainer({
      name: `${name}-legacy-1`,
      Image: WEB,
      Labels: { 'com.docker.compose.project': name, 'com.docker.compose.service': 'legacy', 'com.docker.compose.oneoff': 'False' },
    });
    await e.docker.createNetwork({ Name: `${name}_legacy`, Labels: { 'com.docker.compose.project': name, 'com.docker.compose.network': 'legacy' } });
    const { result, events } = await deploy(
      logsLikeStack({ project: name, ports: { loki: await freePort(), web: await freePort() }, withInit: false }).app,
      tempOut(),
    );
    assert.equal(result.outcome, 'ok', JSON.stringify(result.services, null, 2));
    assert.deepEqual(result.plan.orphanContainers, []);
    assert.deepEqual(result.plan.orphanNetworks, []);
    assert.deepEqual(
      result.plan.keptContainers.map((c) => c.name),
      [`${name}-legacy-1`],
    );
    assert.deepEqual(result.plan.keptNetworks, [`${name}_legacy`]);
    assert.equal((await legacy.inspect()).Id, legacy.id);
    assert.equal((await e.docker.getNetwork(`${name}_legacy`).inspect()).Name, `${name}_legacy`);
    const warnings = events.flatMap((ev) => (ev.type === 'warning' ? [ev.message] : []));
    assert.ok(
      warnings.includes(`container ${name}-legacy-1 is kept (not created by aixcl-deploy): remove it yourself or with \`docker compose -p ${name} down\``),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.includes(`network ${name}_legacy is kept (not created by aixcl-deploy): remove it yourself or with \`docker compose -p ${name} down\``),
      warnings.join('\n'),
    );
    // What it creates carries its own label: only that is ever removed when it leaves the stack.
  });
});

describe('anonymous volumes', () => {
  it("a recreate mounts the old container's anonymous volumes (image VOLUMEs the stack does not mount) on the new one; only down --volumes removes them", async () => {
    const name = project('t-anon');
    const e = await requireDocker();
    await imageWithVolume(WEB, standInName('aixcl-test/web-volume:1'), '/cache');
    const out = tempOut();
    const app = (level: string) => {
      const a = new App();
      const stack = new Stack(a, 'anon', { projectName: name, networkMode: NetworkMode.BRIDGE, imageMirror: STANDIN_MIRROR });
      new Service(stack, 'keeper', { image: 'aixcl-test/web-volume:1', environment: { STANDIN_PORTS: '8080', LEVEL: level } });
      return a;
    };
    const cacheOf = async () => (await containersOf(e.docker, name)).get('keeper')!.Mounts.find((m) => m.Destination === '/cache')!.Name!;
    assert.equal((await deploy(app('1'), out)).result.outcome, 'ok');
    await dockerExec(`${name}-keeper-1`, ['sh', '-c', 'echo cached-before-recreate > /cache/data.txt']);
    const before = await idsOf(e.docker, name);
    const volume = await cacheOf();

    const { result } = await deploy(app('2'), out);
    assert.equal(result.outcome, 'ok', JSON.stringify(result.services, null, 2));
    assert.deepEqual(
      result.services.map((s) => [s.service, s.action, s.reasons]),
      [['keeper', 'recreate', ['environment LEVEL changed']]],
    );
    assert.notEqual((await idsOf(e.docker, name)).keeper, before.keeper);
    assert.equal(await cacheOf(), volume);
    assert.equal(await dockerExec(`${name}-keeper-1`, ['cat', '/cache/data.txt']), 'cached-before-recreate');

    // down keeps it (and says so)...
    const down = await stackDown(name, { engine: e });
    assert.deepEqual(down.keptAnonymousVolumes, [volume]);
    assert.deepEqual(down.removedVolumes, []);
    assert.equal((await e.docker.getVolume(volume).inspect()).Name, volume);
    await e.docker.getVolume(volume).remove();
    // ...down --volumes removes it.
    assert.equal((await deploy(app('2'), out)).result.outcome, 'ok');
    const fresh = await cacheOf();
    const downVolumes = await stackDown(name, { engine: e, volumes: true });
    assert.deepEqual(downVolumes.removedVolumes, [fresh]);
    await assert.rejects(e.docker.getVolume(fresh).inspect(), /404|no such volume/i);
  });
});

describe('stopped services and one-shot jobs', () => {
  it('a service that was stopped (exit 0) is started again, whatever its restart policy; Compose runs a completed one-shot job again too', async () => {
    const name = project('t-stopped');
    const e = await requireDocker();
    const out = tempOut();
    const ports = { loki: await freePort(), web: await freePort() };
    const app = () => {
      const built = logsLikeStack({ project: name, ports });
      built.stack.node
        .findAll()
        .filter(Service.isService)
        .find((s) => s.serviceName === 'web')!
        .addOverride('restart', RestartPolicy.NO);
      return built.app;
    };
    assert.equal((await deploy(app(), out)).result.outcome, 'ok');
    await e.docker.getContainer(`${name}-web-1`).stop();
    assert.equal((await e.docker.getContainer(`${name}-web-1`).inspect()).State.ExitCode, 0);
    const plan = await dryRun(app(), out);
    assert.deepEqual(
      plan.services.map((s) => [s.service.name, s.action, s.reasons]),
      [
        ['init', 'start', ['a one-shot job that completed: docker compose up runs it again']],
        ['loki', 'keep', []],
        ['web', 'start', ['it had exited (code 0)']],
      ],
    );
    const { result } = await deploy(app(), out);
    assert.equal(result.outcome, 'ok');
    assert.deepEqual(
      result.services.map((s) => [s.service, s.action, s.outcome]),
      [
        ['init', 'start', 'completed'],
        ['loki', 'keep', 'healthy'],
        ['web', 'start', 'healthy'],
      ],
    );
    assert.equal((await e.docker.getContainer(`${name}-web-1`).inspect()).State.Running, true);
  });
});

describe('a container that cannot start', () => {
  it('is one line naming the cause; a rerun with the stack fixed deploys it, and a network this tool created and the stack dropped is removed', async () => {
    const name = project('t-connect');
    const e = await requireDocker();
    const out = tempOut();
    const doc = (back: 'bad' | 'good' | 'none') => ({
      name,
      services: {
        app: {
          image: WEB,
          environment: { STANDIN_PORTS: '8080' },
          networks: back === 'none' ? { front: {} } : { front: {}, back: back === 'bad' ? { ipv4_address: '172.31.250.5' } : {} },
        },
      },
      networks: back === 'none' ? { front: {} } : { front: {}, back: {} },
    });
    const r = await deployUp(documentTarget(doc('bad'), out), { engine: e, variables: {} });
    assert.equal(r.outcome, 'failed');
    const detail = r.services[0].detail!;
    assert.match(detail, /^could not start: .*\bIP address\b.*\bsubnets?\b/i, detail);
    assert.doesNotMatch(detail, /\n/, 'one line');

    const good = await deployUp(documentTarget(doc('good'), out), { engine: e, variables: {} });
    assert.equal(good.outcome, 'ok', JSON.stringify(good.services));
    const networks = Object.keys((await containersOf(e.docker, name)).get('app')!.NetworkSettings.Networks).sort();
    assert.deepEqual(networks, [`${name}_back`, `${name}_front`]);

    const without = await deployUp(documentTarget(doc('none'), out), { engine: e, variables: {} });
    assert.equal(without.outcome, 'ok');
    assert.deepEqual(without.plan.orphanNetworks, [`${name}_back`]);
    await assert.rejects(e.docker.getNetwork(`${name}_back`).inspect(), /404|no such network/i);
  });
});

describe('output directory errors', () => {
  it('an --out under a file is one sentence and exit 2, before anything is changed (no trace)', async () => {
    const name = project('t-outfile');
    const dir = tempOut();
    writeFileSync(join(dir, 'afile'), 'not a directory');
    const stackFile = writeTestStackFile(dir);
    const r = await deployCli(
      [
        '--stack',
        stackFile,
        '--out',
        join(dir, 'afile', 'out'),
        '-c',
        `project=${name}`,
        '-c',
        `lokiPort=${await freePort()}`,
        '-c',
        `webPort=${await freePort()}`,
      ],
      { cwd: dir },
    );
    assert.equal(r.exitCode, ExitCode.USER_ERROR, r.stderr);
    assert.ok(
      r.stderr.includes(
        `error: cannot write the output directory ${dir}/afile/out: ${dir}/afile is a file, not a directory; choose another --out (nothing was changed)\n`,
      ),
      r.stderr,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal((await containersOf((await requireDocker()).docker, name)).size, 0);
  });

  it('a failure writing the files is a DeployError (exit 2) in one sentence; nothing is created', async () => {
    const name = project('t-outwrite');
    const out = tempOut();
    const { app } = logsLikeStack({ project: name, ports: { loki: await freePort(), web: await freePort() } });
    const [target] = targetsFromSynthesis(app.synthesize(), out);
    const e = await requireDocker();
    const denied = Object.assign(new Error(`EACCES: permission denied, open '${out}/docker-compose.yml'`), {
      code: 'EACCES',
      syscall: 'open',
      path: `${out}/docker-compose.yml`,
    });
    await assert.rejects(
      deployUp(target, {
        engine: e,
        variables: {},
        writeFiles: () => {
          throw denied;
        },
      }),
      (err: unknown) => {
        assert.ok(err instanceof DeployError, String(err));
        assert.equal(err.exitCode, ExitCode.USER_ERROR);
        assert.equal(
          err.message,
          `cannot write the output directory ${out} (${out}/docker-compose.yml: EACCES): make it writable or choose another --out; nothing on the Docker daemon was changed`,
        );
        return true;
      },
    );
    assert.equal((await containersOf(e.docker, name)).size, 0);
  });
});

describe('secrets', () => {
  it('records no reversible fingerprint of a secret; a changed secret is detected by Compose and named by an HMAC whose key stays in the output directory (0600)', async () => {
    const name = project('t-secret');
    const e = await requireDocker();
    const out = tempOut();
    const ports = { loki: await freePort(), web: await freePort() };
    const app = () => {
      const built = logsLikeStack({ project: name, ports, withInit: false });
      built.stack.node
        .findAll()
        .filter(Service.isService)
        .find((s) => s.serviceName === 'web')!
        .addEnvironment('WEB_PASSWORD', Secret.fromEnv('WEB_PASSWORD'));
      return built.app;
    };
    const up = (password: string) => deploy(app(), out, { variables: { WEB_PASSWORD: password } });
    assert.equal((await up('hunter2')).result.outcome, 'ok');

    const web = (await containersOf(e.docker, name)).get('web')!;
    assert.ok(web.Config.Env.includes('WEB_PASSWORD=hunter2'), 'the container gets the value');
    const recordFile = join(out, DEPLOY_RECORD_FILE);
    const record = readFileSync(recordFile, 'utf8');
    const unsalted = createHash('sha256').update(JSON.stringify('hunter2')).digest('hex').slice(0, 12);
    assert.ok(!record.includes('hunter2') && !record.includes(unsalted), record);
    const keyFile = join(out, DEPLOY_KEY_FILE);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(recordFile).mode & 0o777, 0o600);
    assert.ok(!record.includes(readFileSync(keyFile, 'utf8').trim()), 'the key is not in the record');

    const same = await up('hunter2');
    assert.deepEqual(
      same.result.services.map((s) => s.action),
      ['keep', 'keep'],
    );
    const changed = await up('hunter3');
    assert.deepEqual(
      changed.result.services.map((s) => [s.service, s.action, s.reasons]),
      [
        ['loki', 'keep', []],
        ['web', 'recreate', ['a value from a ${VAR} reference changed (environment WEB_PASSWORD)']],
      ],
    );
    // A lost key only loses the words: whether to recreate is Compose's config hash, which did not change.
    unlinkSync(keyFile);
    assert.deepEqual(
      (await up('hunter3')).result.services.map((s) => s.action),
      ['keep', 'keep'],
    );
    assert.ok(existsSync(keyFile), 'a new key was written');
  });
});
