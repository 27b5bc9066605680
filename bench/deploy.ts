// Benchmark of deploys. Run: npm run bench:deploy  (needs a running Docker Engine; no registry needed)
// Cold deploy to all-healthy, and a no-op redeploy, of the default stack's shape with stand-in
// images: aixcl-deploy (in process, and the CLI as a user runs it) side by side with
// `docker compose up -d --wait` on the same synthesized compose file. aixcl-deploy itself runs
// `docker compose up -d --wait`, so the difference is what it adds: `docker compose config`, the
// checks before anything changes, the plan, and reading each service's outcome. Needs the compose
// v2 plugin (2.20 or later). Prints a table; numbers go in the README, never in tests.
//
// Safe next to a real AIXCL stack: each run deploys a project of its own, fresh name (it refuses
// to start if one of that name exists, and removes only that project and its volumes at the end),
// and it refuses to start when a port the stack listens on is taken or when an image the stack
// names is a real image rather than a stand-in (building the stand-in would replace its tag).
// The CLI row runs the code of this checkout: `npm run build` first, then bin/aixcl-deploy.js.
//
//   BENCH_RUNS=3                 runs of each case (median and min are shown)
//   BENCH_NETWORK=bridge         the bridge variant (default: host, as AIXCL)
//   BENCH_REAL_INTERVALS=1       keep the stack's healthcheck intervals (10-15 s; Docker 20.10 probes
//                                first after one interval, so both tools then wait for it)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AixclStack } from '../src/aixcl/aixcl-stack.js';
import { stackDown } from '../src/deploy/down.js';
import { connectEngine } from '../src/deploy/engine.js';
import { ComposeLabel } from '../src/deploy/labels.js';
import { writeSynthesis } from '../src/core/output-directory.js';
import { targetsFromSynthesis } from '../src/deploy/target.js';
import { deployUp } from '../src/deploy/up.js';
import { App, NetworkMode, Service } from '../src/index.js';
import { uniqueProject } from '../test/support/docker.js';
import { ensureStandIns, STANDIN_MIRROR } from '../test/support/standins.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const network = process.env.BENCH_NETWORK === 'bridge' ? NetworkMode.BRIDGE : NetworkMode.HOST;
const shortIntervals = process.env.BENCH_REAL_INTERVALS !== '1';
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const project = uniqueProject('aixcl-bench');
const variables = { GRAFANA_ADMIN_PASSWORD: 'bench', WEBUI_SECRET_KEY: 'bench', PGADMIN_PASSWORD: 'bench', POSTGRES_PASSWORD: 'bench' };

/** Stops the bench with a sentence (no stack trace) before it has changed anything. */
function refuse(why: string): never {
  console.error(`bench/deploy: ${why}`);
  process.exit(1);
}

// The CLI row times this checkout's code as a user runs it: build it first, never time a stale dist/.
const built = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
if (built.status !== 0) refuse(`npm run build failed (exit ${built.status}); the CLI row would time stale code:\n${built.stdout}${built.stderr}`);
const cli = [process.execPath, join(root, 'bin/aixcl-deploy.js')];

// Every stack of the run (built here, loaded by the CLI, or run by docker compose from the same file)
// pulls from the stand-ins' mirror, so no stand-in takes a real image's name.
process.env.AIXCL_IMAGE_MIRROR = STANDIN_MIRROR;

const work = mkdtempSync(join(tmpdir(), 'aixcl-bench-deploy-'));
const out = join(work, 'out');
const stackFile = join(work, 'bench-stack.ts');
// The CLI loads this stack file as a user's would: from the package just built.
writeFileSync(
  stackFile,
  `import { AixclStack, App, NetworkMode, Service } from ${JSON.stringify(join(root, 'dist/index.js'))};
export default function () {
  const app = new App();
  const stack = new AixclStack(app, 'aixcl', { projectName: ${JSON.stringify(project)}, networkMode: ${JSON.stringify(network)} as NetworkMode });
  ${shortIntervals ? "for (const s of stack.node.findAll().filter(Service.isService)) s.addOverride('healthcheck.interval', '1s');" : ''}
  return app;
}
`,
);

function build(): { app: App; ports: number[] } {
  const app = new App();
  const stack = new AixclStack(app, 'aixcl', { projectName: project, networkMode: network });
  const services = stack.node.findAll().filter(Service.isService);
  if (shortIntervals) for (const s of services) s.addOverride('healthcheck.interval', '1s');
  // The host ports the stack takes: its services' own ports on host networking, the published ones on a bridge.
  const ports = services.flatMap((s) => s.ports.map((p) => (network === NetworkMode.HOST ? p.containerPort : (p.hostPort ?? p.containerPort))));
  return { app, ports: [...new Set(ports)].sort((a, b) => a - b) };
}

/** True when nothing listens on the port (on loopback, where the stack binds). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: '127.0.0.1', port }, () => srv.close(() => resolve(true)));
  });
}

function stats(ms: number[]): { median: number; min: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0] };
}

function timed(argv: string[], env: NodeJS.ProcessEnv = {}): number {
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: work, encoding: 'utf8', env: { ...process.env, ...variables, ...env } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return ms;
}

const engine = await connectEngine();
const { app, ports } = build();
// Never touch what is not this run's: a project of the same name, a port in use, a real image.
const label = { label: [`${ComposeLabel.PROJECT}=${project}`] };
const [existingContainers, existingVolumes, existingNetworks] = await Promise.all([
  engine.docker.listContainers({ all: true, filters: label }),
  engine.docker.listVolumes({ filters: label }),
  engine.docker.listNetworks({ filters: label }),
]);
if (existingContainers.length || existingVolumes.Volumes?.length || existingNetworks.length) {
  refuse(`a Docker Compose project named ${project} already exists (containers, volumes or networks): not touching it; run again for another name`);
}
const taken: number[] = [];
for (const p of ports) if (!(await portFree(p))) taken.push(p);
if (taken.length) {
  refuse(
    `port(s) ${taken.join(', ')} of the stack are in use on this machine (a running AIXCL stack?): stop what holds them ` +
      `(e.g. aixcl-deploy down), or run the bench on another machine. Docker was not touched.`,
  );
}
const stacks = app.synthesize();
await ensureStandIns(engine.docker, stacks);
const [target] = targetsFromSynthesis(stacks, out);
/** Removes this run's project, volumes included (it is this run's own: checked above). */
const clean = () => stackDown(project, { engine, volumes: true });

const results: Array<{ tool: string; cold: number[]; noop: number[] }> = [];

// If anything fails half-way, this run's project (and only it) is still removed.
try {
  // 1. aixcl-deploy, in process (the engine work alone: no Node start, no stack loading).
  {
    const row = { tool: 'aixcl-deploy (in process)', cold: [] as number[], noop: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      await clean();
      for (const kind of ['cold', 'noop'] as const) {
        const t0 = performance.now();
        const r = await deployUp(target, { engine, variables, writeFiles: () => void writeSynthesis(out, stacks) });
        row[kind].push(performance.now() - t0);
        if (r.outcome !== 'ok') throw new Error(`deploy ended ${r.outcome}: ${JSON.stringify(r.services.filter((s) => s.outcome !== 'healthy'))}`);
        if (kind === 'noop' && r.changed) throw new Error('the no-op redeploy changed something');
      }
    }
    results.push(row);
  }

  // 2. The CLI, as a user runs it (Node start, loading and synthesizing the stack file included), freshly built.
  {
    const row = { tool: 'aixcl-deploy CLI', cold: [] as number[], noop: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      await clean();
      for (const kind of ['cold', 'noop'] as const) row[kind].push(timed([...cli, '--stack', stackFile, '--out', out, '--progress', 'plain'], { CI: '1' }));
    }
    results.push(row);
  }

  // 3. docker compose up -d --wait on the same compose file.
  const composeVersion = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' });
  {
    const row = { tool: `docker compose ${composeVersion.stdout.trim()} up -d --wait`, cold: [] as number[], noop: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      await clean();
      writeSynthesis(out, stacks);
      for (const kind of ['cold', 'noop'] as const)
        row[kind].push(timed(['docker', 'compose', '-p', project, '-f', join(out, 'docker-compose.yml'), 'up', '-d', '--wait']));
    }
    results.push(row);
  }
} finally {
  await clean();
  rmSync(work, { recursive: true, force: true });
}

const header = ['tool', 'cold → all healthy, median s', 'min s', 'no-op redeploy, median s', 'min s'];
const rows = results.map((r) => {
  const c = stats(r.cold);
  const n = stats(r.noop);
  return [r.tool, (c.median / 1000).toFixed(2), (c.min / 1000).toFixed(2), (n.median / 1000).toFixed(2), (n.min / 1000).toFixed(2)];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const services = target.document && Object.keys((target.document as { services: object }).services).length;
console.log(
  `aixcl-deploy benchmark: default stack (${services} services, ${network} networking, stand-in images, ` +
    `healthchecks every ${shortIntervals ? '1 s' : "the stack's own interval"}), ${RUNS} run(s) each, Docker ${engine.serverVersion}, node ${process.version}`,
);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
