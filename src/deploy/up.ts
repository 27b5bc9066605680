import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { requireCompose } from './compose-cli.js';
import { composeInvocation, loadComposeProject, type ComposeProject } from './compose-project.js';
import { composeUp, type ServiceResult } from './compose-up.js';
import { loadDeployKey, saveDeployKey, type DeployKey } from './deploy-key.js';
import { loadDeployRecord, saveDeployRecord, type DeployRecord } from './deploy-record.js';
import { connectEngine, type Engine, type EngineOptions } from './engine.js';
import { readEnvFile } from './env-file.js';
import { DeployError, dockerFailure } from './errors.js';
import { NO_EVENTS, type EventSink } from './events.js';
import { ExitCode } from './exit-codes.js';
import { ComposeLabel } from './labels.js';
import { normalizeImageRef, resolveImages, type PullPolicy } from './images.js';
import type { Variables } from './interpolate.js';
import { checkOutputDirectory, outputWriteError } from './output-check.js';
import { makePlan, planHasChanges, type Plan, type PlanOptions } from './plan.js';
import { preflight } from './preflight.js';
import { projectContainers, readActualState } from './state.js';
import type { DeployTarget } from './target.js';
import { missingVariablesError } from './missing-variables.js';
import { missingRequired, variableRefs } from './variable-refs.js';

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
  readonly model: ComposeProject;
}

/** The variables of a run: the environment wins over the `.env` file, as in Compose. */
export function loadVariables(envFile = join(process.cwd(), '.env'), environment: Variables = process.env): Variables {
  return { ...readEnvFile(envFile, environment), ...environment };
}

interface Prepared {
  readonly engine: Engine;
  readonly model: ComposeProject;
  readonly plan: Plan;
  readonly deployKey: DeployKey;
  readonly record: DeployRecord;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The environment Compose runs with: the variables (its `${VAR}` values),
 * plus how the docker CLI reaches the daemon this run connected to.
 */
function composeEnvironment(variables: Variables, engine: Engine | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...variables };
  for (const k of ['PATH', 'HOME', 'DOCKER_CONFIG', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'XDG_RUNTIME_DIR']) {
    if (env[k] === undefined && process.env[k] !== undefined) env[k] = process.env[k];
  }
  if (engine) env.DOCKER_HOST = engine.endpoint;
  return env;
}

async function prepare(target: DeployTarget, opts: PrepareOptions, dryRun: boolean, filesPending: boolean): Promise<Prepared> {
  const events = opts.events ?? NO_EVENTS;
  const variables = opts.variables ?? loadVariables(opts.envFile);
  // The secrets must be set before the daemon is asked anything; a dry run previews without them.
  const refs = variableRefs(target.document);
  const missing = missingRequired(refs, variables);
  const unset = new Set(refs.filter((r) => r.required !== undefined && !variables[r.variable]).map((r) => r.variable));
  if (missing.length && !dryRun) throw missingVariablesError(missing);
  if (unset.size) {
    const names = [...unset].sort();
    events({
      type: 'warning',
      message: `previewing without ${names.join(', ')} (not set): the values that come from ${names.length === 1 ? 'it' : 'them'} are not compared; up needs ${names.length === 1 ? 'it' : 'them'}`,
    });
  }
  const outDir = dirname(target.configFile);
  // The output directory holds the generated files and the deploy record: it must be writable before anything changes.
  if (!dryRun) checkOutputDirectory(outDir);
  const deployKey = loadDeployKey(outDir);
  events({ type: 'stage', stage: 'connect', message: 'connecting to Docker' });
  // Compose's checks and the connection run side by side (`config` does not ask the daemon). A missing
  // Compose is said first, then a file Compose refuses, then a daemon that cannot be reached.
  // A preview stands placeholders in for the unset variables, so Compose can read the file.
  const previewEnv = { ...composeEnvironment(variables, undefined), ...Object.fromEntries([...unset].map((v) => [v, 'unset'])) };
  const [version, loaded, connected] = await Promise.allSettled([
    requireCompose(composeEnvironment(variables, undefined)),
    loadComposeProject(target, previewEnv),
    'docker' in (opts.engine ?? {}) ? Promise.resolve(opts.engine as Engine) : connectEngine(opts.engine as EngineOptions | undefined),
  ]);
  if (version.status === 'rejected') throw version.reason;
  if (loaded.status === 'rejected') throw loaded.reason;
  if (connected.status === 'rejected') throw connected.reason;
  const [composeVersion, model, engine] = [version.value, loaded.value, connected.value];
  const env = composeEnvironment(variables, engine);
  events({
    type: 'stage',
    stage: 'inspect',
    message: `Docker ${engine.serverVersion} (API ${engine.apiVersion}) at ${engine.endpoint}; reading project ${model.name}`,
  });
  const actual = await readActualState(engine.docker, model);
  const record = loadDeployRecord(outDir, model.name);
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
  const planOptions: PlanOptions = {
    composeVersion,
    fromVariables: groupBy(refs.map((r) => [r.service, r.setting])),
    unknown: new Map(
      [...groupBy(refs.filter((r) => unset.has(r.variable)).map((r) => [r.service, r.setting])).entries()].map(([service, settings]) => [
        service,
        { settings, variables: [...new Set(refs.filter((r) => r.service === service && unset.has(r.variable)).map((r) => r.variable))].sort() },
      ]),
    ),
  };
  const plan = makePlan(model, actual, images, record, deployKey, planOptions);
  if (engine.isLocal) {
    await preflight(plan, { hostNetworkPorts: target.hostNetworkPorts, ...(dryRun || filesPending ? { skipBindSourcesUnder: model.workingDir } : {}) });
  }
  for (const w of plan.warnings) events({ type: 'warning', message: w });
  events({ type: 'stage', stage: 'plan', message: planHasChanges(plan) ? 'changes planned' : 'nothing to change' });
  return { engine, model, plan, deployKey, record, env };
}

/** Pairs -> key: set of values. */
function groupBy(pairs: ReadonlyArray<[string, string]>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [k, v] of pairs) out.set(k, (out.get(k) ?? new Set()).add(v));
  return out;
}

/** The result of {@link deployPlan}. */
export interface PlanResult {
  readonly plan: Plan;
  readonly engine: Engine;
  readonly model: ComposeProject;
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
  const { engine, model, plan, deployKey, record, env } = await prepare(target, opts, false, !!opts.writeFiles).catch((e: unknown) => {
    throw dockerFailure(e, false) ?? e;
  });
  const outDir = dirname(model.configFile);
  try {
    await opts.writeFiles?.();
    saveDeployKey(deployKey);
  } catch (e) {
    throw UserError.isUserError(e) ? e : outputWriteError(outDir, e);
  }
  // Compose reads the file itself (so `docker compose` in the output directory sees the same project).
  if (!existsSync(model.configFile))
    throw new DeployError(
      `${model.configFile} does not exist: write the synthesized files there first (aixcl-synth), or give writeFiles. Nothing was changed.`,
    );
  const services = await composeUp(model, plan, {
    engine,
    invocation: composeInvocation(target, env),
    events,
    pull: opts.pull ?? 'missing',
    waitTimeoutSeconds: opts.waitTimeoutSeconds ?? 180,
    ...(opts.signal ? { signal: opts.signal } : {}),
  }).catch((e: unknown) => {
    throw dockerFailure(e, true) ?? e;
  });
  // What this run deployed, so the next can say what changed, and remove only its own orphans.
  const actual = await projectContainers(engine.docker, model.name);
  saveDeployRecord(outDir, {
    project: model.name,
    services: Object.fromEntries(
      plan.services.flatMap((sp) => {
        const c = actual.containers.find((x) => x.name === sp.service.containerName);
        if (c && c.labels[ComposeLabel.CONFIG_HASH] === sp.service.configHash)
          return [[sp.service.name, { configHash: sp.service.configHash, containerId: c.id, settings: sp.settings }]];
        const before = record.services[sp.service.name];
        return before ? [[sp.service.name, before]] : [];
      }),
    ),
    networks: [
      ...new Set([
        ...record.networks,
        ...plan.networks.filter((n) => n.action === 'create' || record.networks.includes(n.network.dockerName)).map((n) => n.network.dockerName),
      ]),
    ]
      .filter((n) => !plan.orphanNetworks.includes(n))
      .sort(),
  });
  const failed = services.filter((s) => s.outcome === 'failed' || s.outcome === 'blocked');
  const interrupted = opts.signal?.aborted || services.some((s) => s.outcome === 'interrupted');
  const outcome: UpOutcome = interrupted ? 'interrupted' : failed.length === 0 ? 'ok' : failed.every((s) => s.optional) ? 'degraded' : 'failed';
  const exitCode = { ok: ExitCode.OK, degraded: ExitCode.DEGRADED, failed: ExitCode.FAILED, interrupted: ExitCode.INTERRUPTED }[outcome];
  return { project: model.name, plan, changed: planHasChanges(plan), services, outcome, exitCode, durationMs: Date.now() - t0, engine, model };
}
