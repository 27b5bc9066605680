// A newcomer's first hour, end to end against a real Docker Engine: `aixcl-synth init`, npm install,
// a change of their own (ports, as when 3000 is taken), type-check, synth, deploy, status, down.
// Every command is the installed package's, run by npx from inside the project, as the scaffold's
// README says. Images: the stand-ins (no registry here), through AIXCL_IMAGE_MIRROR.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { synthCli } from './support/cli.js';
import { cleanupProject, containersOf, freePort, requireDocker, uniqueProject } from './support/docker.js';
import { run } from './support/run.js';
import { buildStandIns, STANDIN_MIRROR, standInSpecs } from './support/standins.js';
import { tempDir } from './support/temp.js';

const project = uniqueProject('newcomer');
after(() => cleanupProject(project));

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // The scaffold's own `node --test` must not think it is a child of this test run.
  const { NODE_TEST_CONTEXT: _, ...clean } = process.env;
  return { ...clean, AIXCL_IMAGE_MIRROR: STANDIN_MIRROR, NO_COLOR: '1', ...extra };
}
const npx = (dir: string, args: string[]) => run('npx', args, { cwd: dir, env: env(), reject: false });

describe('a newcomer, from aixcl-synth init to a stack deployed and taken down', () => {
  test('init, change, type-check, synth, deploy, status, down', { timeout: 600_000 }, async () => {
    const e = await requireDocker();
    const dir = join(tempDir('scaffold'), project);
    assert.equal(synthCli(['init', dir]).code, 0);
    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: env(), reject: false });
    assert.equal(install.exitCode, 0, install.stderr);

    // Their own change: other host ports (the machine's 3000 may be taken), through typed props.
    const ports = { web: await freePort(), loki: await freePort(), promtail: await freePort(), grafana: await freePort() };
    const stackFile = join(dir, 'stack.ts');
    const scaffold = readFileSync(stackFile, 'utf8');
    const edited = scaffold
      .replace('import { App, Logging,', 'import { App, Grafana, Logging,')
      .replace('hostPort: 8088', `hostPort: ${ports.web}`)
      .replace(
        "new Logging(stack, 'logging');",
        `const grafana = new Grafana(stack, 'grafana', { port: ${ports.grafana} });
new Logging(stack, 'logging', { grafana, loki: { port: ${ports.loki} }, promtail: { port: ${ports.promtail} } });`,
      );
    assert.notEqual(edited, scaffold);
    writeFileSync(stackFile, edited);

    // Type-checked and synthesized (npm run synth runs tsc first).
    const synth = await run('npm', ['run', 'synth'], { cwd: dir, env: env(), reject: false });
    assert.equal(synth.exitCode, 0, `${synth.stdout}\n${synth.stderr}`);
    const composeFile = readFileSync(join(dir, 'out', 'docker-compose.yml'), 'utf8');
    assert.match(composeFile, new RegExp(`^name: ${project}$`, 'm'));
    for (const p of Object.values(ports)) assert.match(composeFile, new RegExp(`published: "${p}"`), `port ${p} published`);

    await buildStandIns(e.docker, standInSpecs([{ files: [{ path: 'docker-compose.yml', content: composeFile }] } as never]));

    // The one secret, where synth's hint says to put it.
    assert.match(synth.stdout, /set: GRAFANA_ADMIN_PASSWORD\n/);
    writeFileSync(join(dir, '.env'), 'GRAFANA_ADMIN_PASSWORD=newcomer-first-hour\n');

    const up = await npx(dir, ['aixcl-deploy']);
    assert.equal(up.exitCode, 0, `${up.stdout}\n${up.stderr}`);
    const containers = await containersOf(e.docker, project);
    assert.deepEqual([...containers.keys()].sort(), ['grafana', 'loki', 'promtail', 'web']);

    const status = await npx(dir, ['aixcl-deploy', 'status', '--json']);
    assert.equal(status.exitCode, 0, status.stderr);
    const rows = JSON.parse(status.stdout) as Array<{ service: string; state: string; urls: string[] }>;
    assert.deepEqual(
      rows.map((r) => [r.service, r.state]),
      [
        ['grafana', 'running'],
        ['loki', 'running'],
        ['promtail', 'running'],
        ['web', 'running'],
      ],
    );
    // The URLs status gives answer: the example service and Grafana, on the ports the newcomer chose.
    const url = (service: string) => rows.find((r) => r.service === service)!.urls[0]!;
    assert.equal(url('web'), `http://localhost:${ports.web}`);
    assert.equal((await fetch(url('web'))).status, 200);
    assert.equal(url('grafana'), `http://localhost:${ports.grafana}`);
    assert.equal((await fetch(`${url('grafana')}/api/health`)).status, 200);

    const down = await npx(dir, ['aixcl-deploy', 'down']);
    assert.equal(down.exitCode, 0, `${down.stdout}\n${down.stderr}`);
    assert.equal((await containersOf(e.docker, project)).size, 0, 'no container left');
  });
});
