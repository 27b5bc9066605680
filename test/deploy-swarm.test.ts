// The default stack's shape on a real one-node Docker Swarm, with the stand-in images.
// The engine is shared: npm test runs under /tmp/aixcl-docker.lock, which is held for the whole time the
// engine is in swarm mode (this file inits the swarm if needed and leaves it again in its after-hook).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Docker from 'dockerode';
import { AixclStack, App, Duration, Target } from '../src/index.js';
import { writeSynthesis } from '../src/core/output-directory.js';
import { readSwarmStack, STACK_NAMESPACE_LABEL } from '../src/deploy/swarm/swarm-state.js';
import { swarmDown } from '../src/deploy/swarm/swarm-down.js';
import { swarmTargetsFromSynthesis } from '../src/deploy/swarm/swarm-target.js';
import { swarmUp, type SwarmUpResult } from '../src/deploy/swarm/swarm-up.js';
import { deployCli } from './support/cli.js';
import { requireDocker, uniqueProject } from './support/docker.js';
import { run } from './support/run.js';
import { ensureStandIns, STANDIN_MIRROR } from './support/standins.js';

const variables = { GRAFANA_ADMIN_PASSWORD: 'test-admin', WEBUI_SECRET_KEY: 'test-key', PGADMIN_PASSWORD: 'test-pgadmin', POSTGRES_PASSWORD: 'test-pg' };
const SERVICES = ['alloy', 'cadvisor', 'grafana', 'loki', 'node-exporter', 'ollama', 'open-webui', 'pgadmin', 'postgres', 'postgres-exporter', 'prometheus'];

/**
 * The default stack for Swarm, exactly as stacks/aixcl.ts builds it with --target swarm (so that a
 * redeploy in process is a redeploy of what the CLI deployed).
 */
function aixcl(project: string, opts: { retention?: Duration } = {}) {
  const app = new App();
  // The stand-ins' mirror, as deployCli gives the CLI through AIXCL_IMAGE_MIRROR.
  const stack = new AixclStack(app, 'aixcl', {
    projectName: project,
    target: Target.SWARM,
    imageMirror: STANDIN_MIRROR,
    ...(opts.retention ? { logRetention: opts.retention } : {}),
  });
  return { app, stack };
}

/** Running task IDs by service (which tasks a deploy replaced). */
async function tasksOf(docker: Docker, project: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const s of await readSwarmStack(docker, project)) {
    const tasks = (await docker.listTasks({ filters: { service: [s.id], 'desired-state': ['running'] } } as never)) as unknown as Array<{ ID: string }>;
    out[s.service] = tasks.map((t) => t.ID).sort();
  }
  return out;
}

async function containerOf(docker: Docker, project: string, service: string): Promise<string> {
  const list = await docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${project}_${service}`] } });
  assert.equal(list.length, 1, `one running container of ${service}`);
  return list[0].Id;
}

describe('default stack on a one-node Docker Swarm', () => {
  const project = uniqueProject('aixcl-swarm');
  const out = mkdtempSync(join(tmpdir(), 'aixcl-swarm-out-'));
  let createdSwarm = false;
  let hadGwBridge = true;
  let docker: Docker;

  before(async () => {
    const e = await requireDocker();
    docker = e.docker;
    const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
    hadGwBridge = (await docker.listNetworks({ filters: { name: ['docker_gwbridge'] } })).length > 0;
    if (info.Swarm?.LocalNodeState !== 'active') {
      // Fails the test (never skips it) when the engine cannot be a swarm.
      await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
      createdSwarm = true;
    } else {
      assert.ok(info.Swarm.ControlAvailable, 'the engine is a swarm worker: these tests need a manager');
    }
  });

  after(async () => {
    try {
      await swarmDown(project, { engine: await requireDocker() }).catch(() => undefined);
      for (const v of (await docker.listVolumes({ filters: { label: [`${STACK_NAMESPACE_LABEL}=${project}`] } })).Volumes ?? []) {
        await docker
          .getVolume(v.Name)
          .remove()
          .catch(() => undefined);
      }
      for (const s of (await docker.listSecrets({ filters: { label: [`${STACK_NAMESPACE_LABEL}=${project}`] } } as never)) as unknown as Array<{
        ID: string;
      }>) {
        await docker
          .getSecret(s.ID)
          .remove()
          .catch(() => undefined);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
      if (!createdSwarm) {
        // A swarm that was there before keeps its nodes: take off the labels this stack's deploy added.
        const self = ((await docker.info()) as { Swarm: { NodeID: string } }).Swarm.NodeID;
        const labels = Object.keys(((await docker.getNode(self).inspect()) as { Spec: { Labels?: Record<string, string> } }).Spec.Labels ?? {}).filter((l) =>
          l.startsWith(`${project}.`),
        );
        if (labels.length) await run('docker', ['node', 'update', ...labels.flatMap((l) => ['--label-rm', l]), self], { reject: false });
      }
      if (createdSwarm) {
        await run('docker', ['swarm', 'leave', '--force'], { reject: false });
        // Swarm mode made the bridge its tasks reach the host through; leave the engine as found.
        if (!hadGwBridge) await run('docker', ['network', 'rm', 'docker_gwbridge'], { reject: false });
      }
    }
  });

  it('aixcl-deploy --target swarm brings it up, every service converged and healthy; the collector is global', async (t) => {
    const { app } = aixcl(project);
    await ensureStandIns(docker, app.synthesize());
    const r = await deployCli(['--target', 'swarm', '-c', `project=${project}`, '--out', out, '--pull', 'never', '--progress', 'plain'], {
      cwd: out,
      env: { ...variables, CI: '1' },
    });
    assert.equal(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
    t.diagnostic(r.stdout);
    assert.match(r.stdout, new RegExp(`Stack ${project} is up on the swarm: 11 services converged`));
    for (const s of SERVICES) assert.match(r.stdout, new RegExp(`^${s}\\s+(replicated|global)\\s+1/1\\s+converged`, 'm'), s);
    assert.match(r.stdout, /^grafana\s+replicated\s+1\/1\s+converged\s+http:\/\/localhost:3000$/m);
    assert.match(r.stderr, /alloy\s+healthy 1\/1 nodes/);
    // docker's own view: the collector is a global service, with one task on the node.
    const ls = await run('docker', ['service', 'ls', '--filter', `label=${STACK_NAMESPACE_LABEL}=${project}`, '--format', '{{.Name}} {{.Mode}} {{.Replicas}}']);
    assert.ok(ls.stdout.split('\n').includes(`${project}_alloy global 1/1`), ls.stdout);
    t.diagnostic(ls.stdout);
    const ps = await run('docker', ['stack', 'ps', project, '--filter', 'desired-state=running', '--format', '{{.Name}} {{.CurrentState}}']);
    const collectorTasks = ps.stdout.split('\n').filter((l) => l.startsWith(`${project}_alloy.`));
    assert.equal(collectorTasks.length, 1, ps.stdout);
    assert.match(collectorTasks[0], /Running/);
  });

  it('only Grafana is published, on its node (the URL the deploy printed answers); the others only on the overlay', async () => {
    const published: Record<string, Array<{ PublishMode?: string; PublishedPort?: number }>> = {};
    for (const s of await readSwarmStack(docker, project)) {
      const ports =
        ((await docker.getService(s.id).inspect()) as { Endpoint?: { Ports?: Array<{ PublishMode?: string; PublishedPort?: number }> } }).Endpoint?.Ports ?? [];
      if (ports.length) published[s.service] = ports.map((p) => ({ PublishMode: p.PublishMode, PublishedPort: p.PublishedPort }));
    }
    assert.deepEqual(published, { grafana: [{ PublishMode: 'host', PublishedPort: 3000 }] });
    // The test runs on the node: Grafana's published port answers there.
    const health = await fetch('http://localhost:3000/api/health');
    assert.equal(health.status, 200);
    assert.match(await health.text(), /"database":\s*"ok"/);
  });

  it('services reach each other by name over the encrypted overlay; secrets are files, not variables', async () => {
    const grafana = await containerOf(docker, project, 'grafana');
    const ready = await run('docker', ['exec', grafana, 'wget', '-qO-', 'http://loki:3100/ready']);
    assert.equal(ready.stdout.trim(), 'ready');
    const secret = await run('docker', ['exec', grafana, 'cat', '/run/secrets/grafana_admin_password']);
    assert.equal(secret.stdout, variables.GRAFANA_ADMIN_PASSWORD);
    const env = ((await docker.getContainer(grafana).inspect()).Config.Env ?? []).join('\n');
    assert.match(env, /^GF_SECURITY_ADMIN_PASSWORD__FILE=\/run\/secrets\/grafana_admin_password$/m);
    assert.ok(!env.includes(variables.GRAFANA_ADMIN_PASSWORD), 'the password is not in the environment');
    const network = (await docker.listNetworks({ filters: { name: [`${project}_default`] } }))[0];
    const inspect = (await docker.getNetwork(network.Id).inspect()) as { Driver: string; Options?: Record<string, string> };
    assert.equal(inspect.Driver, 'overlay');
    assert.ok(inspect.Options && 'encrypted' in inspect.Options);
    // The collector's filter finds every container of the stack, with the labels its relabel rules read.
    const containers = await docker.listContainers({ filters: { label: [`${STACK_NAMESPACE_LABEL}=${project}`] } });
    assert.deepEqual(containers.map((c) => c.Labels['com.docker.swarm.service.name'].replace(`${project}_`, '')).sort(), SERVICES);
    assert.ok(containers.every((c) => /^\w{25}$/.test(c.Labels['com.docker.swarm.node.id'])));
  });

  it('a redeploy with nothing changed replaces no task and creates nothing', async () => {
    const before = await tasksOf(docker, project);
    const { app } = aixcl(project);
    const stacks = app.synthesize();
    const [target] = swarmTargetsFromSynthesis(stacks, out);
    const result: SwarmUpResult = await swarmUp(target, {
      engine: await requireDocker(),
      variables,
      pull: 'never',
      writeFiles: () => void writeSynthesis(out, stacks),
    });
    assert.equal(result.outcome, 'ok');
    assert.deepEqual(result.changes, []);
    assert.equal(result.changed, false);
    assert.deepEqual(await tasksOf(docker, project), before);
  });

  it('a changed Loki config rolls Loki and nothing else', async () => {
    const before = await tasksOf(docker, project);
    const { app } = aixcl(project, { retention: Duration.days(14) });
    const stacks = app.synthesize();
    const [target] = swarmTargetsFromSynthesis(stacks, out);
    const result = await swarmUp(target, { engine: await requireDocker(), variables, pull: 'never', writeFiles: () => void writeSynthesis(out, stacks) });
    assert.equal(result.outcome, 'ok', JSON.stringify(result.services.filter((s) => s.outcome !== 'healthy')));
    const afterTasks = await tasksOf(docker, project);
    const rolled = SERVICES.filter((s) => JSON.stringify(before[s]) !== JSON.stringify(afterTasks[s]));
    assert.deepEqual(rolled, ['loki']);
    assert.ok(result.changes.includes('service loki updated'), result.changes.join('\n'));
    // The old config is removed once no task uses it.
    assert.ok(
      result.changes.some((c) => /^config \S+_loki-config\.yml-[0-9a-f]{12} removed$/.test(c)),
      result.changes.join('\n'),
    );
  });

  it('status shows every service converged; down removes the stack and keeps its volumes', async () => {
    const status = await deployCli(['status', '--target', 'swarm', '-c', `project=${project}`, '--out', out, '--json'], { cwd: out, env: variables });
    assert.equal(status.exitCode, 0, status.stderr);
    const rows = JSON.parse(status.stdout) as Array<{ service: string; state: string; mode: string }>;
    assert.deepEqual(
      rows.map((r) => `${r.service} ${r.state}`),
      SERVICES.map((s) => `${s} converged`),
    );
    assert.equal(rows.find((r) => r.service === 'alloy')?.mode, 'global');

    const down = await deployCli(['down', '--target', 'swarm', '-p', project], { cwd: out });
    assert.equal(down.exitCode, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`Stack ${project}: removed 11 service\\(s\\)`));
    assert.deepEqual(await readSwarmStack(docker, project), []);
    const volumes = ((await docker.listVolumes({ filters: { label: [`${STACK_NAMESPACE_LABEL}=${project}`] } })).Volumes ?? []).map((v) => v.Name).sort();
    for (const v of ['grafana-data', 'loki-data', 'postgres-data', 'alloy-data'])
      assert.ok(volumes.includes(`${project}_${v}`), `${v} kept: ${volumes.join(', ')}`);
    for (const v of ['loki-data', 'grafana-data']) assert.match(down.stdout, new RegExp(`kept volume ${project}_${v}`));
  });
});
