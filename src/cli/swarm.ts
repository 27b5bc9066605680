import { resolve } from 'node:path';
import { writeSynthesis } from '../core/output-directory.js';
import { Target } from '../core/target.js';
import { connectEngine } from '../deploy/engine.js';
import { DeployError } from '../deploy/errors.js';
import type { Progress } from '../deploy/progress.js';
import { formatSwarmStatus, swarmStatus } from '../deploy/swarm/swarm-status.js';
import { swarmDown } from '../deploy/swarm/swarm-down.js';
import { swarmTargetsFromSynthesis, type SwarmTarget } from '../deploy/swarm/swarm-target.js';
import { swarmUp, type SwarmUpResult } from '../deploy/swarm/swarm-up.js';
import type { PullPolicy } from '../deploy/images.js';
import { loadVariables } from '../deploy/up.js';
import { loadApp, PACKAGE_ROOT, parseContext } from './load-stack.js';
import { locateStack, outputDirectory } from './stack-location.js';

/** The options of `aixcl-deploy` that the Swarm target reads. */
export interface SwarmCliOptions {
  stack?: string;
  context?: string[];
  out?: string;
  project?: string;
  pull?: PullPolicy;
  waitTimeout?: number;
  envFile?: string;
  json?: boolean;
  volumes?: boolean;
}

async function swarmTargets(opts: SwarmCliOptions) {
  const location = locateStack(PACKAGE_ROOT, opts.stack);
  const app = await loadApp(location.file, parseContext(opts.context ?? []), Target.SWARM);
  const stacks = app.synthesize();
  const outdir = outputDirectory(location, opts.out, app.outdir);
  return { stacks, targets: swarmTargetsFromSynthesis(stacks, resolve(outdir)), outdir };
}

/** `aixcl-deploy --target swarm` (up): synthesize, deploy with `docker stack deploy`, wait, report. Returns the exit code. */
export async function swarmUpCli(opts: SwarmCliOptions, progress: Progress, signal: AbortSignal, dryRun: boolean): Promise<number> {
  if (dryRun) {
    throw new DeployError(
      '--dry-run and diff are not available with --target swarm: `aixcl-synth --target swarm` writes the stack file, and `docker stack config -c out/docker-stack.yml` shows what docker stack deploy would deploy',
    );
  }
  progress.sink({ type: 'stage', stage: 'synthesize', message: `synthesizing ${opts.stack ?? 'the default stack'} for Swarm` });
  const { stacks, targets, outdir } = await swarmTargets(opts);
  const variables = loadVariables(resolve(opts.envFile ?? '.env'));
  let worst = 0;
  for (const target of targets) {
    const result = await swarmUp(target, {
      variables,
      pull: opts.pull,
      events: progress.sink,
      signal,
      waitTimeoutSeconds: opts.waitTimeout,
      writeFiles: () => {
        writeSynthesis(outdir, stacks);
      },
    });
    await progress.done();
    if (progress.mode === 'json') process.stdout.write(`${JSON.stringify({ event: 'result', target: 'swarm', ...withoutEngine(result) })}\n`);
    else process.stdout.write(formatSwarmUpReport(result, target));
    const rank = (c: number) => [0, 3, 1, 130].indexOf(c);
    if (rank(result.exitCode) > rank(worst)) worst = result.exitCode;
    if (result.outcome === 'interrupted') break;
  }
  return worst;
}

function withoutEngine(r: SwarmUpResult): Omit<SwarmUpResult, 'engine'> {
  const { engine: _engine, ...rest } = r;
  return rest;
}

/** The end of a Swarm `up`, in words, then the table. */
export function formatSwarmUpReport(r: SwarmUpResult, target: SwarmTarget): string {
  const lines: string[] = [];
  const head =
    r.outcome === 'ok'
      ? `Stack ${r.project} is up on the swarm: ${r.services.length} services converged, healthy where they have a healthcheck (${(r.durationMs / 1000).toFixed(1)}s).`
      : r.outcome === 'degraded'
        ? `Stack ${r.project} is DEGRADED: optional services failed (${r.services
            .filter((s) => s.outcome === 'failed')
            .map((s) => s.service)
            .join(', ')}); the others are up.`
        : r.outcome === 'interrupted'
          ? `Stack ${r.project}: interrupted; run the same command again to converge.`
          : `Stack ${r.project} FAILED: ${r.services
              .filter((s) => s.outcome === 'failed')
              .map((s) => s.service)
              .join(', ')}.`;
  lines.push(head);
  lines.push(r.changed ? `Changed: ${r.changes.join('; ')}.` : 'Nothing changed, no task replaced.');
  for (const s of r.services.filter((x) => x.outcome === 'failed')) {
    lines.push(`  ${s.service}: ${s.message ?? 'failed'}`);
    for (const l of s.logs ?? []) lines.push(`    | ${l}`);
  }
  lines.push(
    formatSwarmStatus(
      r.services.map((s) => ({
        service: s.service,
        mode: s.mode,
        state: s.outcome === 'healthy' ? 'converged' : 'failed',
        running: s.running,
        desired: s.desired,
        urls: target.urls[s.service] ?? [],
      })),
    ).trimEnd(),
  );
  return lines.join('\n') + '\n';
}

/** `aixcl-deploy down --target swarm`: `docker stack rm`, volumes kept. */
export async function swarmDownCli(opts: SwarmCliOptions, progress: Progress): Promise<void> {
  if (opts.volumes) {
    throw new DeployError(
      "--volumes is not available with --target swarm: a stack's volumes live on the nodes that ran its tasks; remove them there with docker volume rm",
    );
  }
  const engine = await connectEngine();
  const projects = opts.project ? [opts.project] : (await swarmTargets(opts)).targets.map((t) => t.projectName);
  for (const project of projects) {
    const r = await swarmDown(project, { engine, events: opts.json ? undefined : progress.sink });
    if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      process.stdout.write(
        (r.removedServices.length
          ? `Stack ${project}: removed ${r.removedServices.length} service(s) (docker stack rm).\n`
          : `Stack ${project}: nothing to remove.\n`) + r.keptVolumes.map((v) => `  kept volume ${v} (data kept)\n`).join(''),
      );
    }
  }
}

/** `aixcl-deploy status --target swarm`. */
export async function swarmStatusCli(opts: SwarmCliOptions): Promise<void> {
  const engine = await connectEngine();
  const targets: Array<{ projectName: string; services?: string[]; urls?: SwarmTarget['urls'] }> = opts.project
    ? [{ projectName: opts.project }]
    : (await swarmTargets(opts)).targets.map((t) => ({ projectName: t.projectName, services: Object.keys(t.document.services), urls: t.urls }));
  const all = [];
  for (const t of targets) {
    const rows = await swarmStatus(t.projectName, { engine, ...(t.services ? { services: t.services } : {}), ...(t.urls ? { urls: t.urls } : {}) });
    all.push(...rows.map((r) => ({ project: t.projectName, ...r })));
    if (!opts.json) {
      process.stdout.write(
        `Stack ${t.projectName}: ${rows.filter((r) => r.state === 'converged').length}/${rows.length} converged\n${formatSwarmStatus(rows)}`,
      );
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
}
