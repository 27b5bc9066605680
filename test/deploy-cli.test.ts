// The aixcl-deploy command line, run as a user runs it, against a real Docker Engine.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployCli, ROOT, spawnDeployCli, writeTestStackFile } from './support/cli.js';
import { cleanupProject, containersOf, freePort, idsOf, requireDocker, uniqueProject } from './support/docker.js';
import { run } from './support/run.js';
import { buildStandIns, TEST_IMAGES } from './support/standins.js';
import { tempDir } from './support/temp.js';

const dir = tempDir('deploy-cli');
const projects: string[] = [];
let stackFile: string;
let faultStackFile: string;

/**
 * A stack file of the same small stack in which one service never turns
 * healthy (`-c fail=web` or `-c fail=loki`): web is required (nothing
 * optional depends on it), loki is optional (web depends on it with
 * required: false, as Grafana does on Loki).
 */
function writeFaultStackFile(): string {
  const file = join(dir, 'fault-stack.ts');
  writeFileSync(
    file,
    `import { logsLikeStack } from ${JSON.stringify(join(ROOT, 'test/support/logs-like-stack.ts'))};
export default function ({ context }: { context: Record<string, string> }) {
  const unhealthy = { STANDIN_UNHEALTHY: '1' };
  return logsLikeStack({
    project: context.project,
    ports: { loki: Number(context.lokiPort), web: Number(context.webPort) },
    lokiEnv: context.fail === 'loki' ? unhealthy : {},
    webEnv: context.fail === 'web' ? unhealthy : {},
    lokiRetries: 1,
    withInit: false,
  }).app;
}
`,
  );
  return file;
}

/** State and health of a container, as `docker inspect` shows them. */
async function inspectState(container: string): Promise<string> {
  return (await run('docker', ['inspect', '-f', '{{.State.Status}} {{.State.Health.Status}}', container])).stdout.trim();
}

before(async () => {
  const e = await requireDocker();
  await buildStandIns(e.docker, TEST_IMAGES);
  stackFile = writeTestStackFile(dir);
  faultStackFile = writeFaultStackFile();
});
after(async () => {
  for (const p of projects) await cleanupProject(p);
});

async function ctx(prefix: string, extra: string[] = [], file = stackFile): Promise<{ project: string; args: string[] }> {
  const project = uniqueProject(prefix);
  projects.push(project);
  const args = [
    '--stack',
    file,
    '--out',
    join(dir, project),
    '-c',
    `project=${project}`,
    '-c',
    `lokiPort=${await freePort()}`,
    '-c',
    `webPort=${await freePort()}`,
  ];
  for (const e of extra) args.push('-c', e);
  return { project, args };
}

function events(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('aixcl-deploy CLI', () => {
  it('--help documents the commands and the exit codes', async () => {
    const r = await deployCli(['--help'], { cwd: dir });
    assert.equal(r.exitCode, 0);
    for (const s of [
      'up',
      'diff',
      'down',
      'status',
      '--dry-run',
      'Exit codes:',
      '3    degraded',
      '4    the Docker daemon could not be reached',
      '130  interrupted',
    ]) {
      assert.ok(r.stdout.includes(s), `--help lacks '${s}':\n${r.stdout}`);
    }
  });

  it('a wrong option is a usage error (exit 2), not a trace', async () => {
    const r = await deployCli(['--pull', 'sometimes'], { cwd: dir });
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /option '--pull <policy>' argument 'sometimes' is invalid\. Allowed choices are missing, always, never/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('status -p of a project that does not exist says so, exit 2', async () => {
    const r = await deployCli(['status', '-p', 'aixcl-no-such-project'], { cwd: dir });
    assert.equal(r.exitCode, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^error: there is no project 'aixcl-no-such-project' on this Docker daemon \(no container carries com\.docker\.compose\.project=aixcl-no-such-project\): /m,
    );
    assert.equal(r.stdout, '');
  });

  it('an unreachable daemon is one sentence and exit 4', async () => {
    const { args } = await ctx('c-dead');
    const r = await deployCli(args, { cwd: dir, env: { DOCKER_HOST: 'unix:///tmp/aixcl-cli-no-docker.sock' } });
    assert.equal(r.exitCode, 4);
    assert.match(
      r.stderr,
      /^error: cannot reach the Docker daemon at unix:\/\/\/tmp\/aixcl-cli-no-docker\.sock \(there is no socket there\): is Docker running\?/m,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('reads ${VAR} values from the environment or ./.env; a missing one is exit 2, naming it', async () => {
    const { project, args } = await ctx('c-env', ['webPassword=1']);
    const missing = await deployCli(args, { cwd: dir, env: { WEB_PASSWORD: undefined } });
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /WEB_PASSWORD: set WEB_PASSWORD in the environment or a \.env file \(used by web\)/);
    assert.equal((await containersOf((await requireDocker()).docker, project)).size, 0, 'nothing was created');

    const envDir = tempDir('envdir');
    writeFileSync(join(envDir, '.env'), 'WEB_PASSWORD=from-dotenv\n');
    const ok = await deployCli([...args, '--progress', 'plain'], { cwd: envDir, env: { WEB_PASSWORD: undefined } });
    assert.equal(ok.exitCode, 0, ok.stderr + ok.stdout);
    const web = (await containersOf((await requireDocker()).docker, project)).get('web')!;
    assert.ok(web.Config.Env.includes('WEB_PASSWORD=from-dotenv'));

    // diff previews without the secret (a machine or CI job that has not got it): only its value is not compared.
    const preview = await deployCli(['diff', ...args], { cwd: dir, env: { WEB_PASSWORD: undefined } });
    assert.equal(preview.exitCode, 0, preview.stderr);
    assert.match(preview.stdout, /nothing to change \(2 services up to date\)/);
    assert.match(preview.stderr, /previewing without WEB_PASSWORD \(not set\): the values that come from it are not compared; up needs it/);
    assert.match(preview.stderr, /web: values from \$\{VAR\} references not compared \(WEB_PASSWORD not set\)/);
    const other = await deployCli(['diff', ...args.map((a) => a.replace(/^webPort=\d+$/, 'webPort=1'))], { cwd: dir, env: { WEB_PASSWORD: undefined } });
    assert.match(other.stdout, /recreate  web: ports changed$/m, 'other changes are still shown');

    // One place for variables: ./.env. A .env in the output directory (what `docker compose -f out/...` reads) is not read: said so.
    writeFileSync(join(dir, project, '.env'), 'WEB_PASSWORD=in-out\n');
    const outEnv = await deployCli(['diff', ...args], { cwd: envDir, env: { WEB_PASSWORD: undefined } });
    assert.equal(outEnv.exitCode, 0, outEnv.stderr);
    assert.match(outEnv.stderr, new RegExp(`${project}/\\.env is not read: aixcl-deploy reads \\./\\.env`));
  });

  it('up prints each service with its URL; a rerun says nothing changed; --dry-run and diff show the plan; status and down work', async () => {
    const { project, args } = await ctx('c-cycle');
    const up = await deployCli([...args, '--progress', 'plain'], { cwd: dir });
    assert.equal(up.exitCode, 0, up.stderr + up.stdout);
    assert.match(up.stdout, /^SERVICE\s+STATE\s+HEALTH\s+UPTIME\s+URL$/m);
    assert.match(up.stdout, /^loki\s+running\s+healthy\s+\d+s\s+http:\/\/localhost:\d+$/m);
    assert.match(up.stdout, new RegExp(`✔ ${project} is up: 2 services healthy or running; 2 created`));
    assert.match(up.stderr, /loki\s+creating/);
    assert.doesNotMatch(up.stdout + up.stderr, /\u001b\[/, 'NO_COLOR: no escape codes');

    const again = await deployCli([...args, '--progress', 'plain'], { cwd: dir });
    assert.equal(again.exitCode, 0);
    assert.match(again.stdout, /nothing changed, nothing recreated/);

    const dry = await deployCli([...args, '--dry-run'], { cwd: dir });
    assert.equal(dry.exitCode, 0);
    assert.match(dry.stdout, new RegExp(`Project ${project}: nothing to change \\(2 services up to date\\)`));

    const diff = await deployCli(['diff', ...args.map((a) => a.replace(/^webPort=\d+$/, 'webPort=1'))], { cwd: dir });
    assert.equal(diff.exitCode, 0, diff.stderr);
    assert.match(diff.stdout, /recreate  web: ports changed$/m);
    assert.match(diff.stdout, /unchanged loki/);

    const status = await deployCli(['status', '--project', project, '--json'], { cwd: dir });
    assert.equal(status.exitCode, 0);
    const rows = JSON.parse(status.stdout) as Array<{ service: string; state: string; health: string; uptimeSeconds: number; urls: string[] }>;
    assert.deepEqual(
      rows.map((r) => [r.service, r.state, r.health]),
      [
        ['loki', 'running', 'healthy'],
        ['web', 'running', 'healthy'],
      ],
    );
    assert.ok(rows.every((r) => typeof r.uptimeSeconds === 'number' && r.urls.length === 1));
    // Without the stack, a published port is an address (what speaks there is not known); with it, its URL.
    assert.ok(
      rows.every((r) => /^localhost:\d+$/.test(r.urls[0]!)),
      JSON.stringify(rows),
    );
    const withStack = await deployCli(['status', ...args, '--json'], { cwd: dir });
    assert.equal(withStack.exitCode, 0, withStack.stderr);
    const urls = (JSON.parse(withStack.stdout) as Array<{ urls: string[] }>).map((r) => r.urls);
    assert.ok(
      urls.every((u) => u.length === 1 && /^http:\/\/localhost:\d+$/.test(u[0]!)),
      JSON.stringify(urls),
    );
    const named = await deployCli(['status', '-p', project, ...args.slice(0, 2), ...args.slice(4), '--json'], { cwd: dir });
    assert.deepEqual(
      (JSON.parse(named.stdout) as Array<{ urls: string[] }>).map((r) => r.urls),
      urls,
      '-p with the stack file: its URLs',
    );

    const down = await deployCli(['down', ...args], { cwd: dir });
    assert.equal(down.exitCode, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`kept volume ${project}_loki-data`));
    const gone = await deployCli(['status', ...args], { cwd: dir });
    assert.match(gone.stdout, /^loki\s+missing/m);
  });

  it('a required service that never turns healthy: exit 1, and the report names it with its last log lines and healthcheck output', async () => {
    const { project, args } = await ctx('c-fail', ['fail=web'], faultStackFile);
    const r = await deployCli([...args, '--progress', 'plain', '--wait-timeout', '30'], { cwd: dir });
    const all = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.exitCode, 1, all);
    // The failed service, with Docker's output of its last healthcheck (web's wget got a 404: nothing is served).
    assert.match(r.stdout, /^✖ web: unhealthy: exit 1: .*404 Not Found/m, all);
    assert.match(r.stdout, new RegExp(`^  last \\d+ log lines of ${project}-web-1:$`, 'm'), all);
    assert.match(r.stdout, /^  \| .*readiness endpoints disabled \(STANDIN_UNHEALTHY\)/m, all);
    assert.match(r.stdout, /^  \| .*Starting generic \(stand-in for aixcl-standin\.invalid\/aixcl-test\/web:1\)/m, all);
    assert.match(r.stdout, /^web\s+running\s+unhealthy\s/m, all);
    assert.match(r.stdout, /^loki\s+running\s+healthy\s/m, all);
    assert.match(r.stdout, new RegExp(`^✖ ${project} is NOT up: web failed \\(`, 'm'), all);
    assert.doesNotMatch(r.stdout, /✖ loki/, 'loki is healthy and not reported as failed');
  });

  it('only an optional service failing: exit 3, a DEGRADED line naming it, and the other services keep running', async () => {
    const { project, args } = await ctx('c-degraded', ['fail=loki'], faultStackFile);
    const r = await deployCli([...args, '--progress', 'plain', '--wait-timeout', '30'], { cwd: dir });
    const all = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.exitCode, 3, all);
    assert.match(r.stdout, /^✖ loki \(optional\): unhealthy: exit 1: health check failed: http:\/\/127\.0\.0\.1:3100\/ready is not ready/m, all);
    assert.match(r.stdout, new RegExp(`^  last \\d+ log lines of ${project}-loki-1:$`, 'm'), all);
    assert.match(r.stdout, /^  \| .*readiness endpoints disabled \(STANDIN_UNHEALTHY\)/m, all);
    assert.match(r.stdout, new RegExp(`^! ${project} is DEGRADED: loki \\(failed\\); the other services are up \\(.*\\)\\. Exit code 3\\.$`, 'm'), all);
    assert.doesNotMatch(r.stdout, /is NOT up/);
    // Afterwards, the daemon's own view: web up and healthy, loki left running (unhealthy) for the user to inspect.
    assert.equal(await inspectState(`${project}-web-1`), 'running healthy');
    assert.equal(await inspectState(`${project}-loki-1`), 'running unhealthy');
  });

  it('--json prints one JSON event per line and ends with the result', async () => {
    const { project, args } = await ctx('c-json');
    const r = await deployCli([...args, '--json'], { cwd: dir });
    assert.equal(r.exitCode, 0, r.stderr);
    const evs = events(r.stdout);
    assert.ok(evs.some((e) => e.event === 'service' && e.service === 'loki' && e.state === 'healthy'));
    const result = evs[evs.length - 1] as {
      event: string;
      project: string;
      outcome: string;
      services: Array<{ service: string; action: string; health: string }>;
    };
    assert.equal(result.event, 'result');
    assert.equal(result.project, project);
    assert.equal(result.outcome, 'ok');
    assert.deepEqual(
      result.services.map((s) => [s.service, s.action, s.health]),
      [
        ['loki', 'create', 'healthy'],
        ['web', 'create', 'healthy'],
      ],
    );
  });

  it('a live line per service on a terminal (listr2)', async () => {
    const { args } = await ctx('c-tty');
    const cmd = [process.execPath, '--import', import.meta.resolve('tsx'), join(import.meta.dirname, '../src/cli/deploy.ts'), ...args]
      .map((a) => `'${a}'`)
      .join(' ');
    const { run } = await import('./support/run.js');
    // A pseudo-terminal of 120 columns, as a person's terminal would be.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.CI;
    const r = await run('script', ['-qefc', `stty cols 120; ${cmd}`, '/dev/null'], { cwd: dir, env, reject: false });
    assert.equal(r.exitCode, 0, r.stdout);
    // listr2 marks each finished service line with a tick, then the report follows.
    assert.match(r.stdout, /✔ loki\s+healthy/);
    assert.match(r.stdout, /✔ web\s+healthy/);
  });

  it('Ctrl-C in the middle of a deploy stops it (exit 130); a rerun converges without recreating what was done', async () => {
    const { project, args } = await ctx('c-sigint', ['lokiDelay=4']);
    const child = spawnDeployCli([...args, '--json'], { cwd: dir });
    let out = '';
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += String(b)));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout!.on('data', (b: Buffer) => {
        out += String(b);
        // Interrupt once loki runs and web waits for it to be healthy.
        if (/"service":"loki","state":"starting"/.test(out) && !child.killed) setTimeout(() => child.kill('SIGINT'), 300);
      });
      child.once('exit', (c) => resolve(c));
    });
    assert.equal(code, 130, err + out);
    assert.match(err, /interrupting: finishing the Docker calls under way/);
    const result = events(out).find((e) => e.event === 'result') as { outcome: string } | undefined;
    assert.equal(result?.outcome, 'interrupted');
    const e = await requireDocker();
    const mid = await idsOf(e.docker, project);
    // Compose creates every container before it starts any (convergence.go, then start.go): web may exist, never started.
    assert.ok(mid.loki, 'loki was created');
    if (mid.web) assert.equal((await e.docker.getContainer(mid.web).inspect()).State.StartedAt.startsWith('0001'), true, 'web was never started');

    const rerun = await deployCli([...args, '--progress', 'plain'], { cwd: dir });
    assert.equal(rerun.exitCode, 0, rerun.stderr + rerun.stdout);
    const now = await idsOf(e.docker, project);
    assert.equal(now.loki, mid.loki, 'loki was kept, not recreated');
    assert.deepEqual(Object.keys(now), ['loki', 'web']);
  });
});
