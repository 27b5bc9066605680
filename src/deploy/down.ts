import { composeCli } from './compose-cli.js';
import { oneLine } from './daemon-message.js';
import { connectEngine, isNotFound, type Engine, type EngineOptions } from './engine.js';
import { NO_EVENTS, type EventSink } from './events.js';
import { ComposeLabel } from './labels.js';
import { projectContainers } from './state.js';
import { dockerCli } from './swarm/docker-cli.js';

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
 * Removes the project's containers (dependents first) and networks with
 * `docker compose -p PROJECT down`, which finds them by the Compose project
 * label (so a stack deployed by `docker compose` goes too, and nothing
 * else). Named volumes are kept unless `volumes` is set. What was there is
 * read before, so the result says what went and what was kept.
 */
export async function stackDown(project: string, opts: DownOptions = {}): Promise<DownResult> {
  const engine = opts.engine && 'docker' in opts.engine ? opts.engine : await connectEngine(opts.engine as EngineOptions | undefined);
  const events = opts.events ?? NO_EVENTS;
  const { docker } = engine;
  events({ type: 'stage', stage: 'down', message: `removing project ${project}` });
  const byLabel = { filters: { label: [`${ComposeLabel.PROJECT}=${project}`] } };
  const { containers } = await projectContainers(docker, project);
  // Read before the containers go: afterwards nothing says which anonymous volumes were the project's.
  const anonymous = [
    ...new Set(
      containers.flatMap((c) => (c.inspect.Mounts ?? []).filter((m) => m.Type === 'volume' && !!m.Name && ANONYMOUS_VOLUME.test(m.Name)).map((m) => m.Name!)),
    ),
  ].sort();
  const networksBefore = ((await docker.listNetworks(byLabel)) ?? []).map((n) => n.Name).sort();
  const volumes = ((await docker.listVolumes(byLabel)).Volumes ?? []).map((v) => v.Name).sort();
  for (const c of containers) events({ type: 'service', service: c.labels[ComposeLabel.SERVICE] ?? c.name, state: 'stopping' });
  // Compose removes by the project label alone (no file is read: run from `/`, where none is found), dependents
  // first, each container stopped with its own grace period; `--volumes` also removes the named volumes and
  // the containers' anonymous ones (docker compose down reference).
  const r = await composeCli(['-p', project, 'down', ...(opts.volumes ? ['--volumes'] : [])], {
    env: { ...process.env, DOCKER_HOST: engine.endpoint },
    cwd: '/',
  });
  const warnings: string[] = [];
  if (r.exitCode !== 0) warnings.push(`docker compose down failed: ${oneLine(r.stderr.trim() || `exit ${r.exitCode}`)}`);
  // Compose leaves a container of the project that it cannot place in a service (one made by hand with
  // only the project label, never started): `down` removes every container of the project, so those too.
  const strays = (await projectContainers(docker, project)).containers.map((c) => c.id);
  if (strays.length) {
    const env = { ...process.env, DOCKER_HOST: engine.endpoint };
    await dockerCli(['container', 'stop', ...strays], { env });
    await dockerCli(['container', 'rm', ...strays], { env });
  }
  const left = new Set((await projectContainers(docker, project)).containers.map((c) => c.id));
  const removedContainers = containers.filter((c) => !left.has(c.id));
  for (const c of removedContainers) events({ type: 'resource', kind: 'container', name: c.name, action: 'removed' });
  const networksAfter = new Set(((await docker.listNetworks(byLabel)) ?? []).map((n) => n.Name));
  const removedNetworks = networksBefore.filter((n) => !networksAfter.has(n));
  for (const n of removedNetworks) events({ type: 'resource', kind: 'network', name: n, action: 'removed' });
  for (const n of networksBefore.filter((x) => networksAfter.has(x))) warnings.push(`network ${n} was not removed`);
  const removedVolumes: string[] = [];
  if (opts.volumes) {
    const exists = async (v: string) =>
      !!(await docker
        .getVolume(v)
        .inspect()
        .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))));
    for (const v of [...volumes, ...anonymous]) {
      if (await exists(v)) warnings.push(`${anonymous.includes(v) ? 'anonymous volume' : 'volume'} ${v} was not removed`);
      else removedVolumes.push(v);
    }
    for (const v of removedVolumes) events({ type: 'resource', kind: 'volume', name: v, action: 'removed' });
  }
  const keptVolumes = opts.volumes ? [] : volumes;
  const keptAnonymousVolumes = opts.volumes ? [] : anonymous;
  for (const v of keptVolumes) events({ type: 'resource', kind: 'volume', name: v, action: 'kept' });
  for (const w of warnings) events({ type: 'warning', message: w });
  return {
    project,
    removedContainers: removedContainers.map((c) => c.name).sort(),
    removedNetworks,
    removedVolumes,
    keptVolumes,
    keptAnonymousVolumes,
    warnings,
  };
}

/** Docker names an anonymous volume with 64 random hex digits. */
export const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;
