import { describeDockerError, connectEngine, isNotFound, type Engine, type EngineOptions } from './engine.js';
import { NO_EVENTS, type EventSink } from './events.js';
import { ComposeLabel } from './labels.js';
import { projectContainers, type ContainerState } from './state.js';

/** Options of {@link stackDown}. */
export interface DownOptions {
  /** Also remove the project's named volumes and its containers' anonymous volumes, and the data in them. @default false */
  readonly volumes?: boolean;
  readonly engine?: Engine | EngineOptions;
  readonly events?: EventSink;
}

/** What {@link stackDown} did. */
export interface DownResult {
  readonly project: string;
  readonly removedContainers: readonly string[];
  readonly removedNetworks: readonly string[];
  /** Named volumes, then anonymous ones, removed (only with `volumes`). */
  readonly removedVolumes: readonly string[];
  /** Named volumes left in place (their data survives the next `up`). */
  readonly keptVolumes: readonly string[];
  /**
   * Anonymous volumes of the removed containers (an image's VOLUMEs the
   * stack does not mount) that were left in place, without `volumes`; no
   * container uses them any more (`docker volume prune` removes them).
   */
  readonly keptAnonymousVolumes: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Stops and removes the project's containers (dependents first) and its
 * networks, found by the Compose project label (so a stack deployed by
 * `docker compose` goes too, and nothing else). Named volumes are kept
 * unless `volumes` is set.
 */
export async function stackDown(project: string, opts: DownOptions = {}): Promise<DownResult> {
  const engine = opts.engine && 'docker' in opts.engine ? opts.engine : await connectEngine(opts.engine as EngineOptions | undefined);
  const events = opts.events ?? NO_EVENTS;
  const { docker } = engine;
  events({ type: 'stage', stage: 'down', message: `removing project ${project}` });
  const { containers } = await projectContainers(docker, project);
  const warnings: string[] = [];
  // Read before the containers go: afterwards nothing says which anonymous volumes were the project's.
  const anonymous = [
    ...new Set(containers.flatMap((c) => (c.inspect.Mounts ?? []).filter((m) => m.Type === 'volume' && !!m.Name && ANONYMOUS_VOLUME.test(m.Name)).map((m) => m.Name!))),
  ].sort();
  for (const level of stopLevels(containers)) {
    await Promise.all(
      level.map(async (c) => {
        const service = c.labels[ComposeLabel.SERVICE] ?? c.name;
        events({ type: 'service', service, state: 'stopping' });
        const grace = (c.inspect.Config as { StopTimeout?: number }).StopTimeout ?? 10;
        await stopAndRemove(docker, c.id, grace);
        events({ type: 'resource', kind: 'container', name: c.name, action: 'removed' });
      }),
    );
  }
  const removedNetworks: string[] = [];
  const networks = (await docker.listNetworks({ filters: { label: [`${ComposeLabel.PROJECT}=${project}`] } })) ?? [];
  for (const n of networks) {
    try {
      await docker.getNetwork(n.Id).remove();
      removedNetworks.push(n.Name);
      events({ type: 'resource', kind: 'network', name: n.Name, action: 'removed' });
    } catch (e) {
      warnings.push(`network ${n.Name} was not removed: ${describeDockerError(e)}`);
    }
  }
  const volumes = ((await docker.listVolumes({ filters: { label: [`${ComposeLabel.PROJECT}=${project}`] } })).Volumes ?? []).map((v) => v.Name).sort();
  const removedVolumes: string[] = [];
  // Volumes go only with --volumes; otherwise each is kept, and said so.
  const removeVolume = async (v: string, anonymousVolume: boolean): Promise<void> => {
    try {
      await docker.getVolume(v).remove();
      removedVolumes.push(v);
      events({ type: 'resource', kind: 'volume', name: v, action: 'removed' });
    } catch (e) {
      // An anonymous volume may be gone already (removed with its container) or used by another project's
      // container: either way, not ours to fight over.
      if (!(anonymousVolume && isNotFound(e))) {
        warnings.push(`${anonymousVolume ? 'anonymous volume' : 'volume'} ${v} was not removed: ${describeDockerError(e)}`);
      }
    }
  };
  const keptVolumes = opts.volumes ? [] : volumes;
  const keptAnonymousVolumes = opts.volumes ? [] : anonymous;
  for (const v of keptVolumes) events({ type: 'resource', kind: 'volume', name: v, action: 'kept' });
  if (opts.volumes) {
    for (const v of volumes) await removeVolume(v, false);
    for (const v of anonymous) await removeVolume(v, true);
  }
  for (const w of warnings) events({ type: 'warning', message: w });
  return {
    project,
    removedContainers: containers.map((c) => c.name).sort(),
    removedNetworks: removedNetworks.sort(),
    removedVolumes,
    keptVolumes,
    keptAnonymousVolumes,
    warnings,
  };
}

/** Containers grouped so that each group only has dependencies in later groups (dependents stop first). */
function stopLevels(containers: readonly ContainerState[]): ContainerState[][] {
  const service = (c: ContainerState) => c.labels[ComposeLabel.SERVICE] ?? c.name;
  const deps = new Map(
    containers.map((c) => [
      service(c),
      (c.labels[ComposeLabel.DEPENDS_ON] ?? '')
        .split(',')
        .filter(Boolean)
        .map((d) => d.split(':')[0]),
    ]),
  );
  const remaining = new Set(containers);
  const levels: ContainerState[][] = [];
  while (remaining.size) {
    // Stop a container once nothing still running depends on it.
    const level = [...remaining].filter((c) => ![...remaining].some((o) => o !== c && (deps.get(service(o)) ?? []).includes(service(c))));
    const pick = level.length ? level : [...remaining];
    pick.forEach((c) => remaining.delete(c));
    levels.push(pick);
  }
  return levels;
}

/** Docker names an anonymous volume with 64 random hex digits. */
export const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;

/** Stops (with the grace period) and removes a container, keeping its volumes; a container already stopped or gone is fine. */
async function stopAndRemove(docker: Engine['docker'], id: string, graceSeconds: number): Promise<void> {
  const c = docker.getContainer(id);
  try {
    await c.stop({ t: graceSeconds });
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 304 && !isNotFound(e)) throw e;
  }
  try {
    await c.remove({ v: false, force: true });
  } catch (e) {
    if (!isNotFound(e) && (e as { statusCode?: number }).statusCode !== 409) throw e;
  }
}
