import { createHmac } from 'node:crypto';
import { dirname } from 'node:path';
import { connectEngine, type Engine, type EngineOptions } from '../engine.js';
import { loadDeployKey, saveDeployKey } from '../deploy-key.js';
import { DeployError } from '../errors.js';
import { missingVariablesError } from '../missing-variables.js';
import { NO_EVENTS, type EventSink } from '../events.js';
import { ExitCode } from '../exit-codes.js';
import { resolveImages, type PullPolicy } from '../images.js';
import { tailLogs } from '../logs.js';
import type { Variables } from '../interpolate.js';
import { loadVariables } from '../up.js';
import { dockerCli } from './docker-cli.js';
import { canonical, isConverged, readSwarmStack, requireSwarmManager, STACK_NAMESPACE_LABEL, type SwarmServiceState } from './swarm-state.js';
import type { SwarmTarget } from './swarm-target.js';

/** Options of {@link swarmUp}. */
export interface SwarmUpOptions {
  /** Variables the secrets' values come from. @default process.env over `./.env` */
  readonly variables?: Variables;
  /** @default 'missing' */
  readonly pull?: PullPolicy;
  readonly engine?: Engine | EngineOptions;
  readonly events?: EventSink;
  readonly signal?: AbortSignal;
  /** Seconds to wait, in all, for every service to converge. @default 180 */
  readonly waitTimeoutSeconds?: number;
  /** Writes the stack file and the generated files, right before the first change. */
  readonly writeFiles?: () => void | Promise<void>;
}

/** How one service ended. */
export interface SwarmServiceResult {
  readonly service: string;
  readonly mode: 'replicated' | 'global';
  readonly desired: number;
  readonly running: number;
  readonly outcome: 'healthy' | 'failed';
  readonly optional: boolean;
  /** Why it failed, with its last task error. */
  readonly message?: string;
  /** Its last log lines, when a container of it is on this node. */
  readonly logs?: readonly string[];
}

/** The result of {@link swarmUp}. */
export interface SwarmUpResult {
  readonly project: string;
  readonly outcome: 'ok' | 'degraded' | 'failed' | 'interrupted';
  readonly exitCode: ExitCode;
  /** A service, config or secret was created, changed or removed. */
  readonly changed: boolean;
  /** What changed, one line each (`loki: updated`, `config ... created`). */
  readonly changes: readonly string[];
  readonly services: readonly SwarmServiceResult[];
  readonly durationMs: number;
  readonly engine: Engine;
}

/**
 * Deploys a stack to the swarm the engine manages, through the engine's own
 * stack support (`docker stack deploy`), and waits until every service's
 * tasks run the current spec and are healthy.
 *
 * Before anything changes: the secrets' values are read, the engine must be
 * a swarm manager, the images present (or pullable), and every node label a
 * placement constraint needs must be on a node (on a one-node swarm this
 * labels the node). Then the secrets are created under content-addressed
 * names, the files written, the stack deployed (`--prune`: services no longer
 * in the stack are removed), and, once it converged, the configs and secrets
 * that no service uses any more are removed.
 */
export async function swarmUp(target: SwarmTarget, opts: SwarmUpOptions = {}): Promise<SwarmUpResult> {
  const started = Date.now();
  const events = opts.events ?? NO_EVENTS;
  const variables = opts.variables ?? loadVariables();
  const missing = target.secrets.filter((s) => !variables[s.variable]);
  if (missing.length) {
    throw missingVariablesError(
      missing.map((s) => ({ variable: s.variable, message: '', services: [], path: `secrets.${s.key}` })),
      missing.length === 1 ? 'it becomes a swarm secret' : 'each becomes a swarm secret',
    );
  }
  events({ type: 'stage', stage: 'connect', message: 'connecting to the Docker daemon' });
  const engine = opts.engine && 'docker' in opts.engine ? opts.engine : await connectEngine(opts.engine as EngineOptions | undefined);
  const { docker } = engine;
  await requireSwarmManager(engine);

  events({ type: 'stage', stage: 'images', message: 'checking images' });
  const pull = opts.pull ?? 'missing';
  await resolveImages(
    docker,
    Object.values(target.document.services).map((s) => ({ ref: s.image })),
    { policy: pull, events, signal: opts.signal },
  );

  // Placement: a one-replica service with a named volume runs on the node labelled for that volume.
  const nodes = (await docker.listNodes()) as Array<{ ID: string; Spec: { Labels?: Record<string, string> }; Description?: { Hostname?: string } }>;
  const unlabelled = target.nodeLabels.filter((l) => !nodes.some((n) => n.Spec.Labels?.[l] === 'true'));
  if (unlabelled.length && nodes.length > 1) {
    throw new DeployError(
      `no node holds the label${unlabelled.length === 1 ? '' : 's'} ${unlabelled.join(', ')}, which pin services to the node of their volumes: ` +
        `choose the node for each and run ${unlabelled.map((l) => `\`docker node update --label-add ${l}=true NODE\``).join(', ')}. Nothing was changed.`,
    );
  }
  const before = await readSwarmStack(docker, target.projectName);
  const changes: string[] = [];

  await opts.writeFiles?.();
  if (unlabelled.length) {
    // A one-node swarm: the only node holds every volume.
    const node = nodes[0];
    const labelled = await dockerCli(['node', 'update', ...unlabelled.flatMap((l) => ['--label-add', `${l}=true`]), node.ID], { env: cliEnv(engine) });
    if (labelled.exitCode !== 0) throw new DeployError(`docker node update failed: ${labelled.stderr.trim()}. Nothing was changed.`);
    for (const l of unlabelled) {
      events({ type: 'resource', kind: 'node', name: `${node.Description?.Hostname ?? node.ID} ${l}=true`, action: 'labelled' });
      changes.push(`node ${node.Description?.Hostname ?? node.ID} labelled ${l}=true`);
    }
  }

  // Secrets are immutable: the name carries an HMAC of the value (keyed outside the swarm, as the
  // Compose deploy's fingerprints are), so a new value is a new secret and an unchanged one is reused.
  const deployKey = loadDeployKey(dirname(target.stackFile));
  saveDeployKey(deployKey);
  const existing = new Set(((await docker.listSecrets()) as Array<{ Spec: { Name: string } }>).map((s) => s.Spec.Name));
  const secretEnv: Record<string, string> = {};
  for (const s of target.secrets) {
    const value = variables[s.variable]!;
    const digest = createHmac('sha256', deployKey.key).update(value).digest('hex').slice(0, 12);
    const name = `${target.projectName}_${s.key}_${digest}`;
    secretEnv[s.nameVariable] = name;
    if (existing.has(name)) continue;
    await docker.createSecret({ Name: name, Labels: { [STACK_NAMESPACE_LABEL]: target.projectName }, Data: Buffer.from(value).toString('base64') } as never);
    events({ type: 'resource', kind: 'secret', name, action: 'created' });
    changes.push(`secret ${name} created`);
  }

  // The engine's own stack support does the rest: networks, configs, services.
  events({ type: 'stage', stage: 'apply', message: `docker stack deploy ${target.projectName}` });
  const resolve = pull === 'never' ? 'never' : pull === 'always' ? 'always' : 'changed';
  const deployStarted = Date.now();
  const r = await dockerCli(['stack', 'deploy', '--compose-file', target.stackFile, '--resolve-image', resolve, '--prune', target.projectName], {
    cwd: dirname(target.stackFile),
    env: { ...secretEnv, ...cliEnv(engine) },
    onLine: (line) => {
      const m = /^(Creating|Updating|Removing) (service|network|config|secret) (\S+)/.exec(line);
      if (m && m[1] !== 'Updating') changes.push(`${m[2]} ${m[3]} ${m[1] === 'Creating' ? 'created' : 'removed'}`);
      if (m && m[2] === 'service') {
        const svc = m[3].slice(target.projectName.length + 1);
        events({ type: 'service', service: svc, state: m[1] === 'Creating' ? 'creating' : m[1] === 'Updating' ? 'starting' : 'removed' });
      } else if (m) {
        events({
          type: 'resource',
          kind: m[2] === 'network' ? 'network' : m[2] === 'config' ? 'config' : 'secret',
          name: m[3],
          action: m[1] === 'Creating' ? 'created' : 'removed',
        });
      } else if (!line.startsWith('Since --detach') && (/^Ignoring/.test(line) || /warning|could not be accessed/i.test(line))) {
        // (CLI 26+ notes that it does not wait: this deploy waits itself.)
        events({ type: 'warning', message: line });
      }
    },
  });
  if (r.exitCode !== 0) {
    throw new DeployError(
      `docker stack deploy failed: ${r.stderr.trim() || r.stdout.trim()}${changes.length ? '. Partly deployed: run the same command again once this is fixed.' : ''}`,
      changes.length ? ExitCode.FAILED : ExitCode.USER_ERROR,
    );
  }

  const result = await waitForStack(target, engine, { events, since: deployStarted, timeoutMs: (opts.waitTimeoutSeconds ?? 180) * 1000, signal: opts.signal });
  const after = await readSwarmStack(docker, target.projectName);
  for (const s of after) {
    const old = before.find((b) => b.service === s.service);
    if (old && canonical(old.spec) !== canonical(s.spec)) changes.push(`service ${s.service} updated`);
  }
  if (result.outcome !== 'failed') changes.push(...(await pruneUnused(target.projectName, engine, events)));
  const exitCode =
    result.outcome === 'ok'
      ? ExitCode.OK
      : result.outcome === 'degraded'
        ? ExitCode.DEGRADED
        : result.outcome === 'interrupted'
          ? ExitCode.INTERRUPTED
          : ExitCode.FAILED;
  return { project: target.projectName, ...result, exitCode, changed: changes.length > 0, changes, durationMs: Date.now() - started, engine };
}

/** The docker CLI talks to the same daemon as the API client (DOCKER_HOST, when it is one the CLI can parse). */
export function cliEnv(engine: Engine): NodeJS.ProcessEnv {
  return /^(unix|tcp|ssh):\/\//.test(engine.endpoint) ? { DOCKER_HOST: engine.endpoint } : {};
}

/** Polls the stack until every service converged, one failed for good, or time ran out. */
async function waitForStack(
  target: SwarmTarget,
  engine: Engine,
  o: { events: EventSink; since: number; timeoutMs: number; signal?: AbortSignal },
): Promise<{ outcome: SwarmUpResult['outcome']; services: SwarmServiceResult[] }> {
  const deadline = Date.now() + o.timeoutMs;
  const reported = new Map<string, string>();
  const expected = Object.keys(target.document.services).sort();
  for (;;) {
    const states = await readSwarmStack(engine.docker, target.projectName, o.since);
    const done = new Map<string, SwarmServiceResult>();
    for (const name of expected) {
      const s = states.find((x) => x.service === name);
      if (!s) continue;
      const state = isConverged(s) ? 'healthy' : s.newestState === 'starting' ? 'waiting-health' : 'starting';
      const msg = `${s.current}/${s.desired} ${s.mode === 'global' ? 'nodes' : 'replicas'}`;
      if (reported.get(name) !== `${state} ${msg}`) {
        reported.set(name, `${state} ${msg}`);
        o.events({ type: 'service', service: name, state, message: msg });
      }
      // Swarm restarts a failing task; three failures of the new spec (or a rolled-back update) are an answer.
      const failedForGood =
        s.failures.length >= 3 || s.updateState === 'paused' || s.updateState === 'rollback_completed' || s.updateState === 'rollback_paused';
      if (isConverged(s) && !failedForGood) done.set(name, result(s, 'healthy'));
      else if (failedForGood) done.set(name, await failed(engine, s, s.updateMessage ?? `${s.failures.length} tasks failed`));
    }
    const timedOut = Date.now() > deadline;
    if (done.size === expected.length || timedOut || o.signal?.aborted) {
      const services: SwarmServiceResult[] = [];
      for (const name of expected) {
        const got = done.get(name);
        if (got) services.push(got);
        else {
          const s = states.find((x) => x.service === name);
          services.push(
            s
              ? await failed(
                  engine,
                  s,
                  o.signal?.aborted
                    ? 'interrupted'
                    : `not converged after ${Math.round(o.timeoutMs / 1000)}s (${s.current}/${s.desired} running the current spec${s.newestState ? `, newest task ${s.newestState}` : ''})`,
                )
              : { service: name, mode: 'replicated', desired: 1, running: 0, outcome: 'failed', optional: false, message: 'the service was not created' },
          );
        }
      }
      for (const s of services) if (s.outcome === 'failed') o.events({ type: 'service', service: s.service, state: 'failed', message: s.message });
      const bad = services.filter((s) => s.outcome === 'failed');
      const outcome = o.signal?.aborted ? 'interrupted' : bad.length === 0 ? 'ok' : bad.every((s) => s.optional) ? 'degraded' : 'failed';
      return { outcome, services };
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function result(s: SwarmServiceState, outcome: 'healthy' | 'failed', message?: string): SwarmServiceResult {
  return { service: s.service, mode: s.mode, desired: s.desired, running: s.current, outcome, optional: s.optional, ...(message ? { message } : {}) };
}

async function failed(engine: Engine, s: SwarmServiceState, why: string): Promise<SwarmServiceResult> {
  const last = s.failures[0];
  const message = `${why}${last ? `; last task ${last.state}: ${last.message}` : ''}`;
  const container = last?.containerId ?? s.containerIds[0];
  const logs = container ? await tailLogs(engine.docker, container).catch(() => undefined) : undefined;
  return { ...result(s, 'failed', message), ...(logs?.length ? { logs } : {}) };
}

/**
 * Removes the stack's configs and secrets that no service uses any more
 * (content-addressed names leave the old ones behind; Swarm refuses to
 * remove one still in use, which is then kept).
 */
async function pruneUnused(project: string, engine: Engine, events: EventSink): Promise<string[]> {
  const { docker } = engine;
  const filter = { filters: { label: [`${STACK_NAMESPACE_LABEL}=${project}`] } } as never;
  const services = (await docker.listServices(filter)) as unknown as Array<{
    Spec: { TaskTemplate?: { ContainerSpec?: { Configs?: Array<{ ConfigID: string }>; Secrets?: Array<{ SecretID: string }> } } };
  }>;
  const usedConfigs = new Set(services.flatMap((s) => (s.Spec.TaskTemplate?.ContainerSpec?.Configs ?? []).map((c) => c.ConfigID)));
  const usedSecrets = new Set(services.flatMap((s) => (s.Spec.TaskTemplate?.ContainerSpec?.Secrets ?? []).map((c) => c.SecretID)));
  const removed: string[] = [];
  for (const [kind, list, used] of [
    ['config', (await docker.listConfigs(filter)) as unknown as Array<{ ID: string; Spec: { Name: string } }>, usedConfigs],
    ['secret', (await docker.listSecrets(filter)) as unknown as Array<{ ID: string; Spec: { Name: string } }>, usedSecrets],
  ] as const) {
    for (const item of list) {
      if (used.has(item.ID)) continue;
      try {
        await (kind === 'config' ? docker.getConfig(item.ID).remove() : docker.getSecret(item.ID).remove());
        events({ type: 'resource', kind, name: item.Spec.Name, action: 'removed' });
        removed.push(`${kind} ${item.Spec.Name} removed`);
      } catch {
        // Still in use by a task being replaced: removed by a later deploy.
      }
    }
  }
  return removed;
}
