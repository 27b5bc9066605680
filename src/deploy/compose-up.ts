import type { ComposeInvocation, ComposeProject } from './compose-project.js';
import { composeCli } from './compose-cli.js';
import { oneLine, portInUse } from './daemon-message.js';
import type { Engine } from './engine.js';
import type { EventSink, ServiceState } from './events.js';
import type { PullPolicy } from './images.js';
import { tailLogs } from './logs.js';
import { oneShotServices } from './one-shot.js';
import { optionalServices } from './optional.js';
import type { Plan, ServiceAction } from './plan.js';
import { inspectContainer, projectContainers } from './state.js';
import { dockerCli } from './swarm/docker-cli.js';
import { waitForContainer, type WaitGoal } from './wait.js';

/** How a service ended up after a deploy. */
export type ServiceOutcome = 'healthy' | 'running' | 'completed' | 'failed' | 'blocked' | 'interrupted';

/** The result of a deploy for one service. */
export interface ServiceResult {
  readonly service: string;
  readonly container: string;
  readonly containerId?: string;
  readonly action: ServiceAction;
  readonly reasons: readonly string[];
  readonly outcome: ServiceOutcome;
  /** Why it failed, was blocked or interrupted. */
  readonly detail?: string;
  /** Its last log lines, when it failed. */
  readonly logs?: readonly string[];
  /** Its failure only degrades the stack (see {@link optionalServices}). */
  readonly optional: boolean;
}

/** Options of {@link composeUp}. */
export interface ComposeUpOptions {
  readonly engine: Engine;
  readonly invocation: ComposeInvocation;
  readonly events: EventSink;
  readonly pull: PullPolicy;
  /** Seconds to wait, in all, for services to become healthy. */
  readonly waitTimeoutSeconds: number;
  readonly signal?: AbortSignal;
  /** Log lines shown for a failed service. @default 20 */
  readonly logLines?: number;
}

/**
 * Compose's progress, as `--progress plain` prints it (pkg/progress/plain.go:
 * `<ID> <Text> <StatusText>`, the ID being `Container NAME`, `Network NAME`
 * or `Volume NAME`; the texts are those of pkg/progress/event.go and
 * convergence.go) -> this tool's states. Lines it does not know are skipped:
 * the outcome is read from the daemon afterwards, not from these.
 */
const CONTAINER_STATES: Readonly<Record<string, ServiceState>> = {
  Creating: 'creating',
  Recreate: 'recreating',
  Starting: 'starting',
  Waiting: 'waiting-health',
  Healthy: 'healthy',
  Exited: 'completed',
};

/**
 * Applies the plan with `docker compose up -d --wait`: Compose creates,
 * recreates and starts the containers in dependency order, honouring
 * `depends_on` conditions and `required: false` (convergence.go
 * waitDependencies skips an optional dependency that fails), and with
 * `--wait` waits for every service to be running or healthy, and for a
 * one-shot job (a dependency with `service_completed_successfully`) to have
 * completed (start.go getDependencyCondition). `--wait` stops at the first
 * service that fails (exit 1), so the outcome of each service is read from
 * the daemon afterwards, waiting on those still starting until the same
 * deadline: an optional service that failed leaves the others to finish.
 * Orphans are not removed by Compose (`--remove-orphans` would remove every
 * container of the project it does not know, not only this tool's): the
 * plan's orphans, all deployed by this tool, are removed here, through the
 * CLI, before `up`.
 */
export async function composeUp(model: ComposeProject, plan: Plan, opts: ComposeUpOptions): Promise<ServiceResult[]> {
  const { docker } = opts.engine;
  const { signal, invocation } = opts;
  const byContainer = new Map(model.services.map((s) => [s.containerName, s.name]));
  const last = new Map<string, ServiceState>();
  const serviceEvent = (service: string, state: ServiceState, message?: string) => {
    if (last.get(service) === state) return;
    last.set(service, state);
    opts.events({ type: 'service', service, state, ...(message ? { message } : {}) });
  };
  opts.events({ type: 'apply', project: model.name, services: plan.services.map((s) => s.service.name) });
  const started = Date.now();
  const deadline = started + opts.waitTimeoutSeconds * 1000;

  if (plan.orphanContainers.length) {
    const ids = plan.orphanContainers.map((c) => c.id);
    // `docker stop` then `docker rm`, as Compose removes orphans (stop with the grace period, then remove; volumes kept).
    await composeCliDocker(['container', 'stop', ...ids], invocation.env);
    await composeCliDocker(['container', 'rm', ...ids], invocation.env);
    for (const c of plan.orphanContainers) opts.events({ type: 'resource', kind: 'container', name: c.name, action: 'removed' });
  }
  for (const v of plan.orphanVolumes) opts.events({ type: 'resource', kind: 'volume', name: v, action: 'kept' });
  for (const c of plan.keptContainers) opts.events({ type: 'resource', kind: 'container', name: c.name, action: 'kept' });
  for (const n of plan.keptNetworks) opts.events({ type: 'resource', kind: 'network', name: n, action: 'kept' });

  // pull: the images were resolved (and pulled, by the policy) before anything changed; `missing` then pulls nothing more.
  const args = [
    ...invocation.flags,
    '--progress',
    'plain',
    'up',
    '-d',
    '--wait',
    '--wait-timeout',
    String(opts.waitTimeoutSeconds),
    '--pull',
    opts.pull === 'never' ? 'never' : 'missing',
  ];
  const errors: string[] = [];
  // `--wait-timeout` bounds only the final wait (start.go: the timeout context wraps waitDependencies after
  // every service started); a dependent waiting on a dependency that never turns healthy waits without end.
  // So Compose is stopped at the deadline too, as Ctrl-C would stop it, and the services are judged below.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => stop.abort(), Math.max(0, deadline - Date.now()) + 1000);
  const up = await composeCli(args, {
    env: invocation.env,
    signal: stop.signal,
    onLine: (line) => {
      const m = /^(Container|Network|Volume)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) {
        if (/error|failed|denied|invalid/i.test(line)) errors.push(line);
        return;
      }
      const [, kind, quoted, text, detail] = m;
      const name = quoted!.replace(/^"|"$/g, ''); // Compose quotes volume names
      if (kind === 'Container') {
        const service = byContainer.get(name);
        if (!service) return;
        if (text === 'Error') serviceEvent(service, 'failed', detail);
        const state = CONTAINER_STATES[text!];
        if (state) serviceEvent(service, state);
      } else if (text === 'Created') {
        opts.events({ type: 'resource', kind: kind === 'Network' ? 'network' : 'volume', name, action: 'created' });
      }
    },
  });
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  const composeError = up.exitCode === 0 ? undefined : lastError(up.stderr, errors);

  // Each service as it is now; those Compose stopped waiting for are waited on until the same deadline.
  const optional = optionalServices(model);
  const oneShot = oneShotServices(model);
  const { containers } = await projectContainers(docker, model.name);
  const interrupted = () => !!signal?.aborted;
  const outcomes = new Map<string, { outcome: ServiceOutcome; detail?: string; id?: string }>();
  const goals = new Map<string, Promise<{ outcome: ServiceOutcome; detail?: string; id?: string }>>();
  const outcomeOf = (name: string): Promise<{ outcome: ServiceOutcome; detail?: string; id?: string }> => {
    let p = goals.get(name);
    if (p) return p;
    p = (async () => {
      const s = model.services.find((x) => x.name === name)!;
      const sp = plan.services.find((x) => x.service.name === name)!;
      const c = containers.find((x) => x.labels['com.docker.compose.service'] === name && x.name === s.containerName);
      const failedDeps = [];
      for (const d of s.dependsOn.filter((x) => x.required && x.condition !== 'service_started')) {
        const o = await outcomeOf(d.service);
        if (o.outcome === 'failed' || o.outcome === 'blocked') failedDeps.push(d.service);
      }
      const neverStarted = !c || (c.status === 'created' && !c.startedAt);
      if (neverStarted && failedDeps.length)
        return {
          outcome: 'blocked',
          detail: `not started: required dependency ${failedDeps.map((d) => `'${d}'`).join(', ')} failed`,
          ...(c ? { id: c.id } : {}),
        };
      if (neverStarted && interrupted()) return { outcome: 'interrupted', detail: 'interrupted before it was started', ...(c ? { id: c.id } : {}) };
      if (!c) return { outcome: 'failed', detail: startError(composeError ?? 'docker compose did not create it') };
      if (neverStarted) return { outcome: 'failed', detail: startError(composeError ?? c.inspect.State.Error ?? 'it was not started'), id: c.id };
      const hasHealth = s.hasHealthcheck || !!c.inspect.State.Health;
      const goal: WaitGoal = oneShot.has(name) ? 'completed' : hasHealth ? 'healthy' : 'running';
      const w = await waitForContainer(docker, c.id, goal, {
        deadline,
        timeoutSeconds: opts.waitTimeoutSeconds,
        restartCountBefore: sp.existing && sp.action !== 'recreate' ? sp.existing.restartCount : 0,
        ...(signal ? { signal } : {}),
      });
      if (w.ok) return { outcome: w.state, id: c.id };
      return { outcome: w.interrupted ? 'interrupted' : 'failed', detail: w.reason, id: c.id };
    })();
    goals.set(name, p);
    return p;
  };
  await Promise.all(model.services.map(async (s) => outcomes.set(s.name, await outcomeOf(s.name))));
  if (composeError && !interrupted() && [...outcomes.values()].every((o) => o.outcome !== 'failed' && o.outcome !== 'blocked')) {
    // Compose failed, yet every service is where it should be: its error is the one thing to report.
    const first = plan.services.find((s) => s.action !== 'keep') ?? plan.services[0]!;
    outcomes.set(first.service.name, { ...outcomes.get(first.service.name)!, outcome: 'failed', detail: composeError });
  }

  // Read in parallel, reported in the plan's order.
  const results = await Promise.all(
    plan.services.map(async (sp): Promise<ServiceResult> => {
      const name = sp.service.name;
      const o = outcomes.get(name)!;
      // A service that reached its goal is checked once more: one without a healthcheck that crashes at once still looked running.
      let { outcome, detail } = o;
      if ((outcome === 'running' || outcome === 'healthy') && o.id) {
        const now = await inspectContainer(docker, o.id);
        if (!now || now.status !== 'running') {
          outcome = 'failed';
          detail = now ? `stopped after starting: exited with code ${now.exitCode}` : 'its container disappeared';
        }
      }
      return {
        service: name,
        container: sp.service.containerName,
        ...(o.id ? { containerId: o.id } : {}),
        action: sp.action,
        reasons: sp.reasons,
        outcome,
        ...(detail ? { detail } : {}),
        optional: optional.has(name),
        ...(outcome === 'failed' && o.id ? { logs: await tailLogs(docker, o.id, opts.logLines ?? 20) } : {}),
      };
    }),
  );
  for (const r of results)
    serviceEvent(r.service, r.outcome === 'interrupted' ? 'failed' : r.outcome, r.detail ?? (r.action === 'keep' ? 'unchanged' : undefined));

  // Last, once recreated containers have left them: networks this tool deployed that are no longer in the stack.
  for (const n of plan.orphanNetworks) {
    const r = await composeCliDocker(['network', 'rm', n], invocation.env);
    if (r.exitCode === 0) opts.events({ type: 'resource', kind: 'network', name: n, action: 'removed' });
    else opts.events({ type: 'warning', message: `network ${n} is no longer in the stack but could not be removed: ${oneLine(r.stderr.trim())}` });
  }
  return results.sort((a, b) => (a.service < b.service ? -1 : 1));
}

/** Runs a plain `docker` command (orphan removal). */
function composeCliDocker(args: readonly string[], env: NodeJS.ProcessEnv) {
  return dockerCli(args, { env });
}

/** Compose's own error: its last line that is not progress (it prints `Error response from daemon: ...` or the like last). */
function lastError(stderr: string, errors: readonly string[]): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(Container|Network|Volume)\s/.test(l));
  return oneLine(lines[lines.length - 1] ?? errors[errors.length - 1] ?? 'docker compose up failed');
}

/** A create/start failure in words (a port taken is the common one, recognised by meaning in each engine's words). */
function startError(msg: string): string {
  const taken = portInUse(msg);
  if (taken) return `could not start: port ${taken.ip}:${taken.port} is already in use by another program (stop it, or give the service another port)`;
  return `could not start: ${msg.replace(/^Error response from daemon:\s*/i, '')}`;
}
