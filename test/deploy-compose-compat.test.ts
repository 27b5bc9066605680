// aixcl-deploy and `docker compose up` on the same output directory are one
// tool as far as the daemon is concerned: aixcl-deploy runs Compose, so
// neither recreates what the other created. The default AIXCL stack, with
// stand-in images, on a bridge network.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AixclStack } from '../src/aixcl/aixcl-stack.js';
import { writeSynthesis } from '../src/core/output-directory.js';
import { App, NetworkMode, Service } from '../src/index.js';
import { assertOutcome, cleanupProject, compose, idsOf, requireDocker, uniqueProject } from './support/docker.js';
import { deploy, dryRun, tempOut } from './support/stacks.js';
import { ensureStandIns, STANDIN_MIRROR } from './support/standins.js';

/** The secrets the default stack asks for. */
const variables = { GRAFANA_ADMIN_PASSWORD: 'test-admin', WEBUI_SECRET_KEY: 'test-key', PGADMIN_PASSWORD: 'test-pgadmin', POSTGRES_PASSWORD: 'test-pg' };

/** The default stack; healthchecks probed every second so the waits are short (commands unchanged). */
function aixcl(project: string): App {
  const app = new App();
  const stack = new AixclStack(app, 'aixcl', { projectName: project, networkMode: NetworkMode.BRIDGE, imageMirror: STANDIN_MIRROR });
  for (const s of stack.node.findAll().filter(Service.isService)) s.addOverride('healthcheck.interval', '1s');
  return app;
}

/** `docker compose up -d` in the output directory, as a user would run it, with the stack's secrets in the environment. */
async function composeUp(out: string, extra: readonly string[] = []) {
  const r = await compose(['up', '-d', ...extra], { cwd: out, env: variables });
  assert.equal(r.exitCode, 0, r.stderr);
  return r;
}

describe('aixcl-deploy and docker compose up on the same output recreate nothing of each other', () => {
  const projects: string[] = [];
  after(async () => {
    for (const p of projects) await cleanupProject(p);
  });

  it('aixcl-deploy, then docker compose up -d: every container is kept', async () => {
    const project = uniqueProject('compat-a');
    projects.push(project);
    const out = tempOut();
    const { result } = await deploy(aixcl(project), out, { variables });
    assertOutcome(result, 'ok');
    const e = await requireDocker();
    const before = await idsOf(e.docker, project);
    assert.equal(Object.keys(before).length, result.services.length);
    const r = await composeUp(out);
    // Compose says what it did per container (pkg/progress plain lines): nothing may be recreated.
    assert.doesNotMatch(r.stderr, /Recreate/, r.stderr);
    assert.deepEqual(await idsOf(e.docker, project), before);
    // The default stack publishes fixed host ports: the next test needs them.
    await cleanupProject(project);
  });

  it('docker compose up -d --wait, then aixcl-deploy: it plans to keep everything and recreates nothing', async () => {
    const project = uniqueProject('compat-b');
    projects.push(project);
    const out = tempOut();
    const app = aixcl(project);
    const stacks = app.synthesize();
    const e = await requireDocker();
    await ensureStandIns(e.docker, stacks);
    writeSynthesis(out, stacks);
    await composeUp(out, ['--wait']);
    const before = await idsOf(e.docker, project);
    const plan = await dryRun(aixcl(project), out, { variables });
    assert.deepEqual(
      plan.services.filter((s) => s.action !== 'keep').map((s) => [s.service.name, s.action, s.reasons]),
      [],
    );
    const { result } = await deploy(aixcl(project), out, { variables });
    assertOutcome(result, 'ok');
    assert.equal(result.changed, false);
    assert.deepEqual(await idsOf(e.docker, project), before);
  });
});
