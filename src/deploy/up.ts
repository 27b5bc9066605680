import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { loadDeployKey, saveDeployKey, type DeployKey } from './deploy-key.js';
import { connectEngine, type Engine, type EngineOptions } from './engine.js';
import { readEnvFile } from './env-file.js';
import { DeployError, dockerFailure } from './errors.js';
import { NO_EVENTS, type EventSink } from './events.js';
import { ExitCode } from './exit-codes.js';
import { normalizeImageRef, resolveImages, type PullPolicy } from './images.js';
import { interpolateDocument, type MissingVariable, type Variables } from './interpolate.js';
import { checkOutputDirectory, outputWriteError } from './output-check.js';
import { makePlan, planHasChanges, type Plan } from './plan.js';
import { preflight } from './preflight.js';
import { parseProject, type ProjectModel } from './project.js';
import { applyPlan, type ServiceResult } from './reconcile.js';
import { readActualState } from './state.js';
import type { DeployTarget } from './target.js';

/** Options shared by {@link deployUp} and {@link deployPlan}. */
export interface PrepareOptions {
  /**
   * Variables for `${VAR}` references.
   * @default process.env over the `.env` file of the current directory
   */
  readonly variables?: Variables;
  /** The `.env` file read when `variables` is not given. @default `./.env` */
  readonly envFile?: string;
  /** @default 'missing' */
  readonly pull?: PullPolicy;
  /** A connected engine, or how to connect. @default DOCKER_HOST */
  readonly engine?: Engine | EngineOptions;
  readonly events?: EventSink;
  readonly signal?: AbortSignal;
}

/** Options of {@link deployUp}. */
export interface UpOptions extends PrepareOptions {
  /** Seconds to wait, in all, for services to become healthy. @default 180 */
  readonly waitTimeoutSeconds?: number;
  /**
   * Writes the compose file and the generated files it mounts. Called once
   * everything has been checked, right before the first change, so a stack
   * that cannot be deployed leaves the previous output in place.
   * @default none: the files must already be where `target.configFile` says
   */
  readonly writeFiles?: () => void | Promise<void>;
}

/** How a deploy ended. */
export type UpOutcome = 'ok' | 'degraded' | 'failed' | 'interrupted';

/** The result of {@link deployUp}. */
export interface UpResult {
  readonly project: string;
  readonly plan: Plan;
  /** Something was created, recreated, started or removed. */
  readonly changed: boolean;
  readonly services: readonly ServiceResult[];
  readonly outcome: UpOutcome;
  readonly exitCode: ExitCode;
  readonly durationMs: number;
  readonly engine: Engine;
  readonly model: ProjectModel;
}

/** The variables of a run: the environment wins over the `.env` file, as in Compose. */
export function loadVariables(envFile = join(process.cwd(), '.env'), environment: Variables = process.env): Variables {
  return { ...readEnvFile(envFile, environment), ...environment };
}

interface Prepared {
  readonly engine: Engine;
  readonly model: ProjectModel;
  readonly plan: Plan;
  readonly images: Awaited<ReturnType<typeof resolveImages>>;
  readonly deployKey: DeployKey;
}

async function prepare(target: DeployTarget, opts: PrepareOptions, dryRun: boolean, filesPending: boolean): Promise<Prepared> {
  const events = opts.events ?? NO_EVENTS;
  const variables = opts.variables ?? loadVariables(opts.envFile);
  // Variables and the document are checked before the daemon is asked anything.
  // A dry run previews without the secrets: only whether their values changed cannot be told.
  const { value: doc, report } = interpolateDocument(target.document, variables, { allowMissing: dryRun });
  for (const v of report.unset) events({ type: 'warning', message: `variable ${v} is not set: using an empty string` });
  const unknown = servicesWithMissingVariables(report.missing);
  if (report.missing.length) {
    const names = [...new Set(report.missing.map((m) => m.variable))].sort();
    events({
      type: 'warning',
      message: `previewing without ${names.join(', ')} (not set): the values that come from ${names.length === 1 ? 'it' : 'them'} are not compared; up needs ${names.length === 1 ? 'it' : 'them'}`,
    });
  }
  const model = parseProject(doc, {
    configFile: target.configFile,
    projectName: target.projectName,
    generatedFiles: target.generatedFiles,
    interpolated: report.interpolated,
  });
  // The output directory holds the generated files and the deploy key: it must be writable before anything changes.
  const outDir = dirname(model.configFile);
  if (!dryRun) checkOutputDirectory(outDir);
  const deployKey = loadDeployKey(outDir);
  events({ type: 'stage', stage: 'connect', message: 'connecting to Docker' });
  const engine = 'docker' in (opts.engine ?? {}) ? (opts.engine as Engine) : await connectEngine(opts.engine as EngineOptions | undefined);
  events({ type: 'stage', stage: 'inspect', message: `Docker ${engine.serverVersion} (API ${engine.apiVersion}) at ${engine.endpoint}; reading project ${model.name}` });
  const actual = await readActualState(engine.docker, model);
  events({ type: 'stage', stage: 'images', message: 'checking images' });
  const interrupted = () => new DeployError('interrupted before anything was changed', ExitCode.INTERRUPTED);
  let images: Awaited<ReturnType<typeof resolveImages>>;
  try {
    images = await resolveImages(
      engine.docker,
      model.services.map((s) => ({ ref: normalizeImageRef(s.image), ...(s.pullPolicy ? { policy: s.pullPolicy } : {}) })),
      { policy: opts.pull ?? 'missing', dryRun, events, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
  } catch (e) {
    throw opts.signal?.aborted ? interrupted() : e;
  }
  if (opts.signal?.aborted) throw interrupted();
  const plan = makePlan(model, actual, images, deployKey, { unknownValues: unknown });
  if (engine.isLocal) {
    await preflight(plan, { hostNetworkPorts: target.hostNetworkPorts, ...(dryRun || filesPending ? { skipBindSourcesUnder: model.workingDir } : {}) });
  }
  for (const w of plan.warnings) events({ type: 'warning', message: w });
  events({ type: 'stage', stage: 'plan', message: planHasChanges(plan) ? 'changes planned' : 'nothing to change' });
  return { engine, model, plan, images, deployKey };
}

/** Service name -> the required variables it uses that are not set (document paths `services.NAME....`). */
function servicesWithMissingVariables(missing: readonly MissingVariable[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of missing) {
    const service = /^services\.([^.[]+)/.exec(m.path)?.[1];
    if (service) out.set(service, [...new Set([...(out.get(service) ?? []), m.variable])].sort());
  }
  return out;
}

/** The result of {@link deployPlan}. */
export interface PlanResult {
  readonly plan: Plan;
  readonly engine: Engine;
  readonly model: ProjectModel;
}

/**
 * What `up` would do, without changing anything (no pull, no write).
 * @throws DeployError for every problem `up` would stop at before changing anything
 */
export async function deployPlan(target: DeployTarget, opts: PrepareOptions = {}): Promise<PlanResult> {
  const { plan, engine, model } = await prepare(target, opts, true, true).catch((e: unknown) => {
    throw dockerFailure(e, false) ?? e;
  });
  return { plan, engine, model };
}

/**
 * Makes the Docker daemon match the stack: creates what is missing,
 * recreates what changed, starts in dependency order, waits for health.
 * The compose file and the generated files it mounts must already be
 * written where `target.configFile` says.
 * @throws DeployError for problems found before anything was changed
 */
export async function deployUp(target: DeployTarget, opts: UpOptions = {}): Promise<UpResult> {
  const t0 = Date.now();
  const events = opts.events ?? NO_EVENTS;
  const { engine, model, plan, images, deployKey } = await prepare(target, opts, false, !!opts.writeFiles).catch((e: unknown) => {
    throw dockerFailure(e, false) ?? e;
  });
  try {
    await opts.writeFiles?.();
    saveDeployKey(deployKey);
  } catch (e) {
    throw UserError.isUserError(e) ? e : outputWriteError(dirname(model.configFile), e);
  }
  const services = await applyPlan(model, plan, {
    engine,
    events,
    images,
    waitTimeoutSeconds: opts.waitTimeoutSeconds ?? 180,
    ...(opts.signal ? { signal: opts.signal } : {}),
  }).catch((e: unknown) => {
    throw dockerFailure(e, true) ?? e;
  });
  const failed = services.filter((s) => s.outcome === 'failed' || s.outcome === 'blocked');
  const interrupted = opts.signal?.aborted || services.some((s) => s.outcome === 'interrupted');
  const outcome: UpOutcome = interrupted ? 'interrupted' : failed.length === 0 ? 'ok' : failed.every((s) => s.optional) ? 'degraded' : 'failed';
  const exitCode = { ok: ExitCode.OK, degraded: ExitCode.DEGRADED, failed: ExitCode.FAILED, interrupted: ExitCode.INTERRUPTED }[outcome];
  return { project: model.name, plan, changed: planHasChanges(plan), services, outcome, exitCode, durationMs: Date.now() - t0, engine, model };
}
