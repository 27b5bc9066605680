// aixcl-deploy against a real Docker Engine, with small stacks built from the
// core constructs and stand-in images (no registry is reachable here).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NetworkMode } from '../src/index.js';
import { DaemonUnreachableError, DeployError } from '../src/deploy/errors.js';
import { ExitCode } from '../src/deploy/exit-codes.js';
import { stackDown } from '../src/deploy/down.js';
import { stackStatus } from '../src/deploy/status.js';
import { targetsFromSynthesis } from '../src/deploy/target.js';
import { deployUp } from '../src/deploy/up.js';
import { cleanupProject, compose, containersOf, dockerExec, freePort, holdPort, idsOf, requireDocker, uniqueProject } from './support/docker.js';
import { deploy, dryRun, indexOfEvent, logsLikeStack, tempOut } from './support/stacks.js';
import { buildStandIns, TEST_IMAGES } from './support/standins.js';
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
    assert.deepEqual(result.services.map((s) => [s.service, s.action, s.outcome]), [
      ['init', 'create', 'completed'],
      ['loki', 'create', 'healthy'],
      ['web', 'create', 'healthy'],
    ]);
    // web waits for loki to be healthy and for init to complete before it is created.
    assert.ok(indexOfEvent(events, 'loki', 'healthy') < indexOfEvent(events, 'web', 'creating'));
    assert.ok(indexOfEvent(events, 'init', 'completed') < indexOfEvent(events, 'web', 'creating'));
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
    assert.equal(cs.get('web')!.Config.Labels['com.docker.compose.depends_on'], 'init:service_completed_successfully:false,loki:service_healthy:false');
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

  it('a second run with nothing changed recreates nothing, and says so', async () => {
    const e = await requireDocker();
    const before = await idsOf(e.docker, name);
    const { app } = logsLikeStack({ project: name, ports });
    assert.equal((await dryRun(app, out)).services.every((s) => s.action === 'keep'), true);
    const { result } = await deploy(logsLikeStack({ project: name, ports }).app, out);
    assert.equal(result.outcome, 'ok');
    assert.equal(result.changed, false);
    assert.deepEqual(result.services.map((s) => s.action), ['keep', 'keep', 'keep']);
    assert.deepEqual(await idsOf(e.docker, name), before);
  });

  it('changing a generated config file recreates only the service that mounts it, and says which file', async () => {
    const e = await requireDocker();
    await dockerExec(`${name}-loki-1`, ['sh', '-c', 'echo kept-across-recreate > /loki/data.txt']);
    const before = await idsOf(e.docker, name);
    const changed = logsLikeStack({ project: name, ports, lokiConfig: 'retention_period: 336h\n' }).app;
    const plan = await dryRun(changed, out);
    assert.deepEqual(plan.services.map((s) => [s.service.name, s.action, s.reasons]), [
      ['init', 'keep', []],
      ['loki', 'recreate', ['generated file loki/loki-config.yml changed']],
      ['web', 'keep', []],
    ]);
    const { result } = await deploy(changed, out);
    assert.equal(result.outcome, 'ok');
    const now = await idsOf(e.docker, name);
    assert.notEqual(now.loki, before.loki);
    assert.equal(now.web, before.web);
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
    assert.deepEqual(status.map((s) => [s.service, s.state]), [['loki', 'missing'], ['web', 'missing']]);
    const { result } = await deploy(logsLikeStack({ project: name, ports, lokiConfig: 'retention_period: 336h\n' }).app, out);
    assert.equal(result.outcome, 'ok');
    assert.equal(await dockerExec(`${name}-loki-1`, ['cat', '/loki/data.txt']), 'kept-across-recreate');
  });

  it('a volume removed from the stack is kept (data is never removed implicitly); its container goes', async () => {
    const e = await requireDocker();
    const { result } = await deploy(logsLikeStack({ project: name, ports, withoutVolume: true, withInit: false }).app, out);
    assert.equal(result.outcome, 'ok');
    assert.deepEqual(result.plan.orphanVolumes, [`${name}_loki-data`]);
    assert.deepEqual(result.plan.orphanContainers.map((c) => c.name), [`${name}-init-1`]);
    const vol = await e.docker.getVolume(`${name}_loki-data`).inspect();
    assert.equal(vol.Name, `${name}_loki-data`);
    const check = await run('docker', ['run', '--rm', '-v', `${name}_loki-data:/d`, '--entrypoint', 'cat', 'aixcl-test/web:1', '/d/data.txt']);
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
    stack.node.findAll().filter(Service.isService).find((s) => s.serviceName === 'web')!.addEnvironment('WEB_PASSWORD', Secret.fromEnv('WEB_PASSWORD'));
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
      await assert.rejects(deploy(logsLikeStack({ project: name, ports }).app, tempOut()), new RegExp(`port 127\\.0\\.0\\.1:${ports.loki}/tcp, needed by service 'loki', is already in use`));
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
    const foreign = await e.docker.createContainer({ name: `${name}-web-1`, Image: 'aixcl-test/web:1', Labels: { owner: 'someone-else' } });
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
    await assert.rejects(deploy(app, tempOut()), /image aixcl-test\/never-built:9 is not present locally and could not be pulled: /);
    await assert.rejects(deploy(app, tempOut(), { pull: 'never' }), /image aixcl-test\/never-built:9 is not present locally and --pull never forbids pulling it/);
    // --pull always pulls even what is present: here that fails too, before anything changes.
    await assert.rejects(deploy(logsLikeStack({ project: name, ports: { loki: 1, web: 2 } }).app, tempOut(), { pull: 'always' }), /image aixcl-test\/loki:1 could not be pulled \(--pull always\): /);
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
    assert.ok(web.logs!.some((l) => l.includes('exiting on purpose with code 3')), web.logs!.join('\n'));
    assert.equal(result.services.find((s) => s.service === 'loki')!.outcome, 'healthy');
  });

  it('a container that never becomes healthy fails at --wait-timeout, with its last healthcheck output', async () => {
    const name = project('t-timeout');
    const { result } = await deploy(
      logsLikeStack({ project: name, ports: { loki: await freePort(), web: await freePort() }, lokiEnv: { STANDIN_UNHEALTHY: '1' }, lokiRetries: 1000, webRequiresLoki: true, withInit: false }).app,
      tempOut(),
      { waitTimeoutSeconds: 4 },
    );
    assert.equal(result.outcome, 'failed');
    const loki = result.services.find((s) => s.service === 'loki')!;
    assert.match(loki.detail!, /^not healthy after 4s \(health: starting\); last check: exit 1/);
    const web = result.services.find((s) => s.service === 'web')!;
    assert.equal(web.outcome, 'blocked');
    assert.equal(web.detail, "not started: required dependency 'loki' failed");
  });

  it('an optional service (every dependent has required: false) that is unhealthy leaves the stack degraded, exit 3', async () => {
    const name = project('t-degraded');
    const { result } = await deploy(
      logsLikeStack({ project: name, ports: { loki: await freePort(), web: await freePort() }, lokiEnv: { STANDIN_UNHEALTHY: '1' }, lokiRetries: 1, withInit: false }).app,
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
