import type Docker from 'dockerode';
import { cleanPath, containerSpec, type InheritedVolume } from './container-spec.js';
import { portInUse } from './daemon-message.js';
import { describeDockerError, isNotFound, type Engine } from './engine.js';
import type { EventSink } from './events.js';
import { normalizeImageRef, type ResolvedImage } from './images.js';
import { networkLabels, volumeLabels } from './labels.js';
import { tailLogs } from './logs.js';
import { oneShotServices } from './one-shot.js';
import { optionalServices } from './optional.js';
import type { Plan, ServiceAction, ServicePlan } from './plan.js';
import type { ProjectModel, ServiceModel } from './project.js';
import { inspectContainer, type ContainerState } from './state.js';
import { sleep, waitForContainer, type WaitGoal, type WaitOutcome } from './wait.js';

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

/** Options of {@link applyPlan}. */
export interface ApplyOptions {
  readonly engine: Engine;
  readonly events: EventSink;
  readonly images: ReadonlyMap<string, ResolvedImage>;
  /** Seconds to wait, in all, for services to become healthy. */
  readonly waitTimeoutSeconds: number;
  readonly signal?: AbortSignal;
  /** Log lines shown for a failed service. @default 20 */
  readonly logLines?: number;
}

type Started = { ok: true; id: string; restartCount: number; startedNow: boolean } | { ok: false; reason: string; blocked?: boolean; interrupted?: boolean };

/**
 * Makes the daemon match the plan: networks and volumes first, orphan
 * containers removed (only those aixcl-deploy created), then every service
 * as soon as its dependencies allow (services of one level in parallel),
 * honouring depends_on conditions and `required`, then orphan networks.
 * Waits for every service to be healthy (or running, or completed), and
 * never stops at the first failure: the other services keep going, and
 * every result is returned.
 */
export async function applyPlan(model: ProjectModel, plan: Plan, opts: ApplyOptions): Promise<ServiceResult[]> {
  const { docker } = opts.engine;
  const { signal } = opts;
  // Service states are reported once each, in order; other events pass through.
  const lastState = new Map<string, string>();
  const events: EventSink = (e) => {
    if (e.type === 'service') {
      const key = `${e.state}|${e.message ?? ''}`;
      if (lastState.get(e.service) === key) return;
      lastState.set(e.service, key);
    }
    opts.events(e);
  };
  const deadline = Date.now() + opts.waitTimeoutSeconds * 1000;
  events({ type: 'apply', project: model.name, services: plan.services.map((s) => s.service.name) });

  await Promise.all([
    ...plan.networks
      .filter((n) => n.action === 'create')
      .map(async ({ network: n }) => {
        await docker.createNetwork({
          Name: n.dockerName,
          Driver: n.driver,
          Internal: n.internal,
          Attachable: n.attachable,
          EnableIPv6: n.enableIpv6,
          Options: { ...n.driverOpts },
          Labels: networkLabels(model.name, n.key, { ...n.labels }),
          CheckDuplicate: true,
        });
        events({ type: 'resource', kind: 'network', name: n.dockerName, action: 'created' });
      }),
    ...plan.volumes
      .filter((v) => v.action === 'create')
      .map(async ({ volume: v }) => {
        await docker.createVolume({ Name: v.dockerName, Driver: v.driver, DriverOpts: { ...v.driverOpts }, Labels: volumeLabels(model.name, v.key, { ...v.labels }) });
        events({ type: 'resource', kind: 'volume', name: v.dockerName, action: 'created' });
      }),
    ...plan.orphanContainers.map(async (c) => {
      await stopAndRemove(docker, c.id, 10);
      events({ type: 'resource', kind: 'container', name: c.name, action: 'removed' });
    }),
  ]);
  for (const v of plan.orphanVolumes) events({ type: 'resource', kind: 'volume', name: v, action: 'kept' });
  for (const c of plan.keptContainers) events({ type: 'resource', kind: 'container', name: c.name, action: 'kept' });
  for (const n of plan.keptNetworks) events({ type: 'resource', kind: 'network', name: n, action: 'kept' });

  const optional = optionalServices(model);
  const started = new Map<string, Promise<Started>>();
  const goals = new Map<string, Promise<WaitOutcome>>();
  const oneShot = oneShotServices(model);

  const goalOf = (name: string, goal: WaitGoal): Promise<WaitOutcome> => {
    const key = `${name}:${goal}`;
    let p = goals.get(key);
    if (!p) {
      p = started.get(name)!.then((st) => {
        if (!st.ok) return { ok: false, reason: st.reason, ...(st.interrupted ? { interrupted: true } : {}) } as WaitOutcome;
        return waitForContainer(docker, st.id, goal, {
          deadline,
          timeoutSeconds: opts.waitTimeoutSeconds,
          restartCountBefore: st.restartCount,
          ...(signal ? { signal } : {}),
          onHealth: (h) => {
            if (h === 'starting') events({ type: 'service', service: name, state: 'waiting-health' });
          },
        });
      });
      goals.set(key, p);
    }
    return p;
  };

  const run = async (sp: ServicePlan): Promise<Started> => {
    const s = sp.service;
    const deps = s.dependsOn;
    if (deps.length && sp.action !== 'keep') {
      events({ type: 'service', service: s.name, state: 'waiting', message: `for ${deps.map((d) => `${d.service} (${conditionWord(d.condition)})`).join(', ')}` });
    }
    const depResults = await Promise.all(
      deps.map(async (d) => {
        const outcome =
          d.condition === 'service_started'
            ? await started.get(d.service)!.then((x) => (x.ok ? ({ ok: true, state: 'running' } as WaitOutcome) : ({ ok: false, reason: x.reason } as WaitOutcome)))
            : await goalOf(d.service, d.condition === 'service_healthy' ? 'healthy' : 'completed');
        return { d, outcome };
      }),
    );
    if (signal?.aborted) return { ok: false, reason: 'interrupted before it was started', interrupted: true };
    const failedRequired = depResults.filter((r) => !r.outcome.ok && r.d.required);
    if (failedRequired.length) {
      const reason = `not started: required dependency ${failedRequired.map((r) => `'${r.d.service}'`).join(', ')} failed`;
      events({ type: 'service', service: s.name, state: 'blocked', message: reason });
      return { ok: false, reason, blocked: true };
    }
    for (const r of depResults) {
      if (!r.outcome.ok) {
        events({ type: 'warning', message: `starting ${s.name} although its optional dependency ${r.d.service} failed` });
      }
    }
    try {
      let id = sp.existing?.id;
      if (sp.action === 'create' || sp.action === 'recreate') {
        id = await createAndStart(sp);
      } else if (sp.action === 'start') {
        if (signal?.aborted) throw INTERRUPTED;
        events({ type: 'service', service: s.name, state: 'starting' });
        await docker.getContainer(id!).start();
      }
      const now = await inspectContainer(docker, id!);
      return { ok: true, id: id!, restartCount: now?.restartCount ?? 0, startedNow: sp.action !== 'keep' };
    } catch (e) {
      if (e === INTERRUPTED) return { ok: false, reason: 'interrupted before it was started', interrupted: true };
      const reason = startError(e);
      events({ type: 'service', service: s.name, state: 'failed', message: reason });
      return { ok: false, reason };
    }
  };

  /**
   * Creates the service's container and starts it. A container being
   * replaced is stopped and renamed aside first (as Compose does), its
   * anonymous volumes are mounted on the new one, and it is removed only
   * once the new one has started. If anything fails (or the run is
   * interrupted) between create and start, the new container is removed and
   * the old one gets its name back: no container is left with the final
   * config hash but without its networks.
   */
  async function createAndStart(sp: ServicePlan): Promise<string> {
    const s = sp.service;
    const old = sp.action === 'recreate' ? sp.existing : undefined;
    if (old) {
      events({ type: 'service', service: s.name, state: 'recreating', message: sp.reasons.join('; ') });
      await stopContainer(docker, old.id, s.stopGraceSeconds ?? 10);
      await docker.getContainer(old.id).rename({ name: `${old.id.slice(0, 12)}_${s.containerName}` });
    } else {
      events({ type: 'service', service: s.name, state: 'creating' });
    }
    const image = opts.images.get(normalizeImageRef(s.image));
    const spec = containerSpec(model, s, {
      configHash: sp.configHash,
      settings: { ...sp.settings },
      ...(image?.id ? { imageId: image.id } : {}),
      inheritedVolumes: old ? anonymousVolumes(old, model, s) : [],
    });
    const restoreOld = async () => {
      if (old) await docker.getContainer(old.id).rename({ name: old.name }).catch(() => undefined);
    };
    let c: Docker.Container;
    try {
      c = await docker.createContainer(spec.create);
    } catch (e) {
      await restoreOld();
      throw e;
    }
    try {
      for (const n of spec.connect) {
        await docker.getNetwork(n.network).connect({ Container: c.id, EndpointConfig: { Aliases: [...n.aliases], ...(n.ipv4Address ? { IPAMConfig: { IPv4Address: n.ipv4Address } } : {}) } });
      }
      if (signal?.aborted) throw INTERRUPTED;
      events({ type: 'service', service: s.name, state: 'starting' });
      await c.start();
    } catch (e) {
      await c.remove({ force: true, v: false }).catch(() => undefined);
      await restoreOld();
      throw e;
    }
    if (old) {
      try {
        await stopAndRemove(docker, old.id, 0);
      } catch (e) {
        events({ type: 'warning', message: `the replaced container of ${s.name} (${old.id.slice(0, 12)}) could not be removed: ${describeDockerError(e)}` });
      }
    }
    return c.id;
  }

  // Every service gets its promise before any runs, so dependents can wait on it.
  const order = topological(plan.services);
  const tasks = new Map<string, () => Promise<Started>>();
  for (const sp of order) {
    let resolveStart!: (s: Started) => void;
    started.set(sp.service.name, new Promise<Started>((r) => (resolveStart = r)));
    tasks.set(sp.service.name, () => run(sp).then((x) => (resolveStart(x), x)));
  }
  const finals = await Promise.all(
    order.map(async (sp): Promise<ServiceResult> => {
      const name = sp.service.name;
      const st = await tasks.get(name)!();
      const base = {
        service: name,
        container: sp.service.containerName,
        action: sp.action,
        reasons: sp.reasons,
        optional: optional.has(name),
        ...(st.ok ? { containerId: st.id } : sp.existing ? { containerId: sp.existing.id } : {}),
      };
      if (!st.ok) {
        const outcome: ServiceOutcome = st.interrupted ? 'interrupted' : st.blocked ? 'blocked' : 'failed';
        return { ...base, outcome, detail: st.reason };
      }
      const hasHealth = sp.service.healthcheck ? sp.service.healthcheck.test[0] !== 'NONE' : !!(await inspectContainer(docker, st.id))?.inspect.State.Health;
      const goal: WaitGoal = oneShot.has(name) ? 'completed' : hasHealth ? 'healthy' : 'running';
      const w = await goalOf(name, goal);
      if (!w.ok) {
        if (w.interrupted) return { ...base, outcome: 'interrupted', detail: w.reason };
        events({ type: 'service', service: name, state: 'failed', message: w.reason });
        return { ...base, outcome: 'failed', detail: w.reason };
      }
      if (w.state === 'running' && st.startedNow) {
        // A container without a healthcheck that crashes at once still looks "running" right after start.
        await sleep(1000, signal);
      }
      events({ type: 'service', service: name, state: w.state, ...(sp.action === 'keep' ? { message: 'unchanged' } : {}) });
      return { ...base, outcome: w.state };
    }),
  );

  // Last, once recreated containers have left them: networks no longer in the stack.
  for (const n of plan.orphanNetworks) {
    try {
      await docker.getNetwork(n).remove();
      events({ type: 'resource', kind: 'network', name: n, action: 'removed' });
    } catch (e) {
      events({ type: 'warning', message: `network ${n} is no longer in the stack but could not be removed: ${describeDockerError(e)}` });
    }
  }

  // A last look: anything that stopped after reaching its goal is reported as it is now.
  const results = await Promise.all(
    finals.map(async (r): Promise<ServiceResult> => {
      if ((r.outcome === 'running' || r.outcome === 'healthy') && r.containerId) {
        const now = await inspectContainer(docker, r.containerId);
        if (!now || now.status !== 'running') {
          const detail = now ? `stopped after starting: exited with code ${now.exitCode}` : 'its container disappeared';
          events({ type: 'service', service: r.service, state: 'failed', message: detail });
          return { ...r, outcome: 'failed', detail };
        }
      }
      return r;
    }),
  );
  return Promise.all(
    results.map(async (r) =>
      r.outcome === 'failed' && r.containerId ? { ...r, logs: await tailLogs(docker, r.containerId, opts.logLines ?? 20) } : r,
    ),
  ).then((rs) => rs.sort((a, b) => (a.service < b.service ? -1 : 1)));

  function conditionWord(c: string): string {
    return c === 'service_healthy' ? 'healthy' : c === 'service_completed_successfully' ? 'completed' : 'started';
  }
}

/** Thrown inside {@link applyPlan} when the run is interrupted before a start. */
const INTERRUPTED = Symbol('interrupted');

/**
 * The anonymous volumes of a container being replaced (those of image
 * VOLUMEs, or declared without a source) that the new container must mount
 * again, by name, so their data survives a recreate as under Compose: every
 * `volume` mount whose volume is not a named volume of the stack, has the
 * generated name of an anonymous volume, and whose path the service does not
 * mount anything else on.
 */
export function anonymousVolumes(old: ContainerState, model: ProjectModel, s: ServiceModel): InheritedVolume[] {
  const named = new Set(model.volumes.map((v) => v.dockerName));
  const covered = new Set(s.mounts.filter((m) => m.type !== 'volume' || m.dockerName).map((m) => cleanPath(m.target)));
  return (old.inspect.Mounts ?? [])
    .filter((m) => m.Type === 'volume' && !!m.Name && !named.has(m.Name) && ANONYMOUS_VOLUME.test(m.Name) && !covered.has(cleanPath(m.Destination)))
    .map((m) => ({ name: m.Name!, target: cleanPath(m.Destination), readOnly: !m.RW }));
}

/** Docker names an anonymous volume with 64 random hex digits. */
export const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

/** Stops a container with a grace period; one already stopped or gone is fine. */
async function stopContainer(docker: Docker, id: string, graceSeconds: number): Promise<void> {
  try {
    await docker.getContainer(id).stop({ t: graceSeconds });
  } catch (e) {
    const code = (e as { statusCode?: number }).statusCode;
    if (code !== 304 && !isNotFound(e)) throw e;
  }
}

/** Stops (with the grace period) and removes a container, keeping its volumes; a container already gone is fine. */
export async function stopAndRemove(docker: Docker, id: string, graceSeconds: number): Promise<void> {
  const c = docker.getContainer(id);
  await stopContainer(docker, id, graceSeconds);
  try {
    await c.remove({ v: false, force: true });
  } catch (e) {
    if (!isNotFound(e) && (e as { statusCode?: number }).statusCode !== 409) throw e;
  }
}

/** A create/start failure in words (a port taken is the common one). */
function startError(e: unknown): string {
  const msg = describeDockerError(e);
  const taken = portInUse(msg);
  if (taken) return `could not start: port ${taken.ip}:${taken.port} is already in use by another program (stop it, or give the service another port)`;
  return `could not start: ${msg}`;
}

/** Services sorted so that dependencies come first (stable by name). */
export function topological(services: readonly ServicePlan[]): ServicePlan[] {
  const by = new Map(services.map((s) => [s.service.name, s]));
  const out: ServicePlan[] = [];
  const seen = new Set<string>();
  const visit = (s: ServicePlan) => {
    if (seen.has(s.service.name)) return;
    seen.add(s.service.name);
    for (const d of s.service.dependsOn) {
      const dep = by.get(d.service);
      if (dep) visit(dep);
    }
    out.push(s);
  };
  for (const s of [...services].sort((a, b) => (a.service.name < b.service.name ? -1 : 1))) visit(s);
  return out;
}
