// What aixcl-deploy's commands do, imported when one runs (deploy.ts): `aixcl-deploy --help` loads
// the option parser only, not the stack library, the Docker client or zod.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { config as zodConfig } from 'zod';
import type { App } from '../core/app.js';
import { UserError } from '../core/errors.js';
import type { SynthesizedStack } from '../core/synthesizer.js';
import { stackDown } from '../deploy/down.js';
import { connectEngine, type Engine } from '../deploy/engine.js';
import { DeployError } from '../deploy/errors.js';
import { ComposeLabel } from '../deploy/labels.js';
import { ExitCode } from '../core/exit-codes.js';
import type { PullPolicy } from '../deploy/images.js';
import { formatPlan, planToJson } from '../deploy/plan.js';
import { createProgress, type ProgressMode } from '../deploy/progress.js';
import { formatDownReport, formatStatusTable, formatUpReport } from '../deploy/report.js';
import { stackStatus } from '../deploy/status.js';
import { styleFor } from '../deploy/style.js';
import { writeSynthesis } from '../core/output-directory.js';
import { targetsFromSynthesis, type DeployTarget } from '../deploy/target.js';
import { deployPlan, deployUp, loadVariables } from '../deploy/up.js';
import { Target } from '../core/target.js';
import { loadApp, PACKAGE_ROOT, parseContext, targetOption } from './load-stack.js';
import { swarmDownCli, swarmStatusCli, swarmUpCli } from './swarm.js';
import { locateStack, outputDirectory, type StackLocation } from './stack-location.js';

// One process, one synthesis: each schema parses once, so zod's JIT-compiled parsers cost more than they save.
zodConfig({ jitless: true });

export interface StackOptions {
  stack?: string;
  context?: string[];
  /** Where the files are written; default the App's outdir (`new App({ outdir })`, 'out'), as aixcl-synth. */
  out?: string;
  target?: string;
}
export interface UpCliOptions extends StackOptions {
  pull: PullPolicy;
  waitTimeout: number;
  dryRun?: boolean;
  progress: ProgressMode;
  json?: boolean;
  envFile?: string;
}

/** Where the stack file of these options is, and why that one (printed, so a bare `aixcl-deploy` says what it deploys). */
function stackLocation(opts: StackOptions): StackLocation {
  return locateStack(PACKAGE_ROOT, opts.stack);
}

async function synthesize(opts: StackOptions): Promise<{ app: App; stacks: SynthesizedStack[]; targets: DeployTarget[]; outdir: string }> {
  const location = stackLocation(opts);
  const app = await loadApp(location.file, parseContext(opts.context ?? []), targetOption(opts.target));
  const swarm = app.stacks.find((s) => s.target === Target.SWARM);
  if (swarm) throw new DeployError(`[${swarm.node.path}] is built for Swarm, and this deploy is for Compose (deploy it with --target swarm)`);
  const stacks = app.synthesize();
  const outdir = outputDirectory(location, opts.out, app.outdir);
  return { app, stacks, targets: targetsFromSynthesis(stacks, resolve(outdir)), outdir };
}

/** SIGINT stops a deploy between Docker calls; a second one quits at once. */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const onSigint = () => {
    if (ac.signal.aborted) process.exit(ExitCode.INTERRUPTED);
    process.stderr.write('\ninterrupting: finishing the Docker calls under way (Ctrl-C again to quit at once)...\n');
    ac.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/** `up` (and `diff`, `--dry-run`): synthesize, then plan or converge each stack; resolves to the exit code. */
export async function runUp(opts: UpCliOptions, dryRun: boolean): Promise<number> {
  const mode: ProgressMode = opts.json ? 'json' : opts.progress;
  const progress = createProgress(mode);
  const json = progress.mode === 'json';
  const out = styleFor(process.stdout);
  const { signal, dispose } = interruptible();
  let worst = ExitCode.OK;
  try {
    if (targetOption(opts.target) === Target.SWARM) return await swarmUpCli(opts, progress, signal, dryRun);
    const location = stackLocation(opts);
    progress.sink({
      type: 'stage',
      stage: 'synthesize',
      message: `synthesizing ${relative(process.cwd(), location.file) || location.file} (${location.source})`,
    });
    const { stacks, targets, outdir } = await synthesize(opts);
    const envFile = resolve(opts.envFile ?? '.env');
    const variables = loadVariables(envFile);
    const outEnv = join(resolve(outdir), '.env');
    if (outEnv !== envFile && existsSync(outEnv)) {
      // Compose reads only the compose file's directory's .env; this tool reads one place, ./.env.
      progress.sink({
        type: 'warning',
        message: `${relative(process.cwd(), outEnv)} is not read: aixcl-deploy reads ./.env (--env-file); keep the variables there and give docker compose --env-file .env`,
      });
    }
    // Connected by the first target, once its variables and document have been checked.
    let engine: Engine | undefined;
    for (const target of targets) {
      const common = { variables, pull: opts.pull, events: progress.sink, signal, ...(engine ? { engine } : {}) };
      if (dryRun) {
        const { plan, engine: e } = await deployPlan(target, common);
        engine = e;
        await progress.done();
        if (json) process.stdout.write(`${JSON.stringify({ event: 'plan', ...planToJson(plan) })}\n`);
        else process.stdout.write(formatPlan(plan));
        continue;
      }
      const result = await deployUp(target, {
        ...common,
        waitTimeoutSeconds: opts.waitTimeout,
        writeFiles: () => {
          writeSynthesis(outdir, stacks);
        },
      });
      engine = result.engine;
      await progress.done();
      const status = await stackStatus(result.project, { engine: result.engine, services: result.model.services.map((s) => s.name), urls: target.urls });
      if (json) {
        process.stdout.write(
          `${JSON.stringify({
            event: 'result',
            project: result.project,
            outcome: result.outcome,
            exitCode: result.exitCode,
            changed: result.changed,
            durationMs: result.durationMs,
            services: result.services.map((s) => ({ ...s, ...pick(status.find((x) => x.service === s.service)) })),
          })}\n`,
        );
      } else {
        process.stdout.write(formatUpReport(result, status, out));
      }
      worst = worse(worst, result.exitCode);
      if (result.outcome === 'interrupted') break;
    }
    return worst;
  } catch (e) {
    // Scripts reading --json get the failure as an event too (the message also goes to stderr).
    if (json && UserError.isUserError(e)) {
      process.stdout.write(`${JSON.stringify({ event: 'error', message: e.message, exitCode: DeployError.exitCodeOf(e) })}\n`);
    }
    throw e;
  } finally {
    dispose();
    await progress.done();
  }
}

function pick(s: { state: string; health?: string; uptimeSeconds?: number; urls: readonly string[] } | undefined) {
  return s ? { state: s.state, health: s.health, uptimeSeconds: s.uptimeSeconds, urls: s.urls } : {};
}

function worse(a: number, b: number): number {
  const rank = (c: number) => [ExitCode.OK, ExitCode.DEGRADED, ExitCode.FAILED, ExitCode.INTERRUPTED].indexOf(c);
  return rank(b) > rank(a) ? b : a;
}

/**
 * The projects a command works on: `--project`, or the stack's. With `--project`, the stack file
 * (--stack, or the project's own) still gives the URLs when its project is that one: containers do
 * not record what speaks on a port, and on host networking they publish none.
 */
async function projects(opts: StackOptions & { project?: string }): Promise<Array<{ name: string; services?: string[]; urls?: DeployTarget['urls'] }>> {
  if (opts.project) {
    const urls = await synthesize(opts).then(
      ({ targets }) => targets.find((t) => t.projectName === opts.project)?.urls,
      () => undefined, // a stack that does not load is not needed to show a project by name
    );
    return [{ name: opts.project, ...(urls ? { urls } : {}) }];
  }
  const { targets } = await synthesize(opts);
  return targets.map((t) => ({
    name: t.projectName,
    services: Object.keys((t.document as { services?: Record<string, unknown> }).services ?? {}),
    urls: t.urls,
  }));
}

/** `status -p NAME` of a project with no container on this daemon: say so, with the projects there are. */
async function refuseUnknownProject(engine: Engine, name: string): Promise<never> {
  const list = await engine.docker.listContainers({ all: true });
  const known = [...new Set(list.map((c) => c.Labels?.[ComposeLabel.PROJECT]).filter((x): x is string => !!x))].sort();
  throw new DeployError(
    `there is no project '${name}' on this Docker daemon (no container carries com.docker.compose.project=${name}): ` +
      (known.length ? `the projects there are ${known.join(', ')}` : 'it has no Compose project') +
      ' (docker compose ls lists them)',
  );
}

/** `down`: remove the stack's (or `--project`'s) containers and networks, and volumes with `--volumes`. */
export async function runDown(opts: StackOptions & { project?: string; volumes?: boolean; json?: boolean }): Promise<void> {
  if (targetOption(opts.target) === Target.SWARM) return swarmDownCli(opts, createProgress('plain'));
  const engine = await connectEngine();
  for (const p of await projects(opts)) {
    const r = await stackDown(p.name, { engine, volumes: !!opts.volumes, events: opts.json ? undefined : createProgress('plain').sink });
    process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : formatDownReport(r));
  }
}

/** `status`: per service, state, health, uptime and URLs (a table, or JSON). */
export async function runStatus(opts: StackOptions & { project?: string; json?: boolean }): Promise<void> {
  if (targetOption(opts.target) === Target.SWARM) return swarmStatusCli(opts);
  const engine = await connectEngine();
  const all = [];
  for (const p of await projects(opts)) {
    const rows = await stackStatus(p.name, { engine, ...(p.services ? { services: p.services } : {}), ...(p.urls ? { urls: p.urls } : {}) });
    if (opts.project && rows.length === 0) await refuseUnknownProject(engine, opts.project);
    all.push(...rows.map((r) => ({ project: p.name, ...r })));
    if (!opts.json) {
      const up = rows.filter((r) => r.state === 'running').length;
      process.stdout.write(`Project ${p.name}: ${up}/${rows.length} running\n${formatStatusTable(rows, styleFor(process.stdout))}`);
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
}
