import type Docker from 'dockerode';
import { isNotFound } from './engine.js';
import { ComposeLabel } from './labels.js';
import type { ComposeProject } from './compose-project.js';

/** A container as found on the daemon. */
export interface ContainerState {
  readonly id: string;
  /** Name without the leading `/`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `created`, `running`, `paused`, `restarting`, `removing`, `exited`, `dead`. */
  readonly status: string;
  readonly exitCode: number;
  readonly health?: string;
  readonly imageId: string;
  readonly imageRef: string;
  readonly startedAt?: string;
  readonly restartCount: number;
  /** Host ports it publishes (`ip:port/proto`), for the port check. */
  readonly publishedPorts: readonly string[];
  readonly networkMode: string;
  readonly inspect: Docker.ContainerInspectInfo;
}

/** What the daemon has of a project, plus anything that collides with its names. */
export interface ActualState {
  /** Containers with the project's label (one-off ones left out). */
  readonly containers: readonly ContainerState[];
  /** Containers, of any origin, named like one of the project's containers. */
  readonly byName: ReadonlyMap<string, ContainerState>;
  /** Networks with the project's label, or named like one of its networks. */
  readonly networks: ReadonlyArray<Docker.NetworkInspectInfo>;
  /** Volumes with the project's label, or named like one of its volumes. */
  readonly volumes: ReadonlyArray<Docker.VolumeInspectInfo>;
}

/** Reads the containers of a project (by label) in full. */
export async function projectContainers(
  docker: Docker,
  project: string,
  alsoNamed: readonly string[] = [],
): Promise<{ containers: ContainerState[]; byName: Map<string, ContainerState> }> {
  const list = await docker.listContainers({ all: true });
  const names = new Set(alsoNamed);
  const wanted = list.filter((c) => c.Labels?.[ComposeLabel.PROJECT] === project || c.Names.some((n) => names.has(n.replace(/^\//, ''))));
  const inspected = (await Promise.all(wanted.map((c) => inspectContainer(docker, c.Id)))).filter((c): c is ContainerState => !!c);
  return {
    containers: inspected.filter((c) => c.labels[ComposeLabel.PROJECT] === project && c.labels[ComposeLabel.ONEOFF] !== 'True'),
    byName: new Map(inspected.filter((c) => names.has(c.name)).map((c) => [c.name, c])),
  };
}

/** Inspects one container; undefined if it is gone. */
export async function inspectContainer(docker: Docker, id: string): Promise<ContainerState | undefined> {
  let i: Docker.ContainerInspectInfo;
  try {
    i = await docker.getContainer(id).inspect();
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const bindings = (i.HostConfig.PortBindings ?? {}) as Record<string, Array<{ HostIp: string; HostPort: string }> | null>;
  const publishedPorts = Object.entries(bindings).flatMap(([k, v]) =>
    (v ?? []).map((b) => `${b.HostIp || '0.0.0.0'}:${b.HostPort}/${k.split('/')[1] ?? 'tcp'}`),
  );
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ''),
    labels: i.Config.Labels ?? {},
    status: i.State.Status,
    exitCode: i.State.ExitCode,
    ...(i.State.Health ? { health: i.State.Health.Status } : {}),
    imageId: i.Image,
    imageRef: i.Config.Image,
    ...(i.State.StartedAt && !i.State.StartedAt.startsWith('0001') ? { startedAt: i.State.StartedAt } : {}),
    restartCount: i.RestartCount ?? 0,
    publishedPorts,
    networkMode: i.HostConfig.NetworkMode ?? '',
    inspect: i,
  };
}

/** Reads everything of the project that the daemon has. */
export async function readActualState(docker: Docker, model: ComposeProject): Promise<ActualState> {
  const project = model.name;
  const [cs, networks, volumes] = await Promise.all([
    projectContainers(
      docker,
      project,
      model.services.map((s) => s.containerName),
    ),
    (async () => {
      const names = new Set(model.networks.map((n) => n.dockerName));
      const list = await docker.listNetworks();
      const mine = list.filter((n) => n.Labels?.[ComposeLabel.PROJECT] === project || names.has(n.Name));
      return (
        await Promise.all(
          mine.map((n) =>
            docker
              .getNetwork(n.Id)
              .inspect()
              .catch(() => undefined),
          ),
        )
      ).filter((n): n is Docker.NetworkInspectInfo => !!n);
    })(),
    (async () => {
      const byLabel = (await docker.listVolumes({ filters: { label: [`${ComposeLabel.PROJECT}=${project}`] } })).Volumes ?? [];
      const seen = new Set(byLabel.map((v) => v.Name));
      const named = await Promise.all(
        model.volumes
          .filter((v) => !seen.has(v.dockerName))
          .map((v) =>
            docker
              .getVolume(v.dockerName)
              .inspect()
              .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e))),
          ),
      );
      return [...byLabel, ...named.filter((v): v is Docker.VolumeInspectInfo => !!v)];
    })(),
  ]);
  return { containers: cs.containers, byName: cs.byName, networks, volumes };
}
