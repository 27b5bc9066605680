import type Docker from 'dockerode';
import { projectLabelsOf, Target } from '../../core/target.js';
import { OPTIONAL_LABEL } from '../../compose/service.js';
import { DeployError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { Engine } from '../engine.js';

/** The label docker/cli puts on every service, network, config and secret of a stack. */
export const STACK_NAMESPACE_LABEL = projectLabelsOf(Target.SWARM).project;

/** A failed task of a service, as Swarm reports it. */
export interface TaskFailure {
  readonly state: string;
  readonly message: string;
  readonly at: string;
  readonly containerId?: string;
}

/** Where one service of a stack is. */
export interface SwarmServiceState {
  /** The service's name in the stack file (without the `<stack>_` prefix). */
  readonly service: string;
  readonly id: string;
  readonly mode: 'replicated' | 'global';
  /** Tasks Swarm wants running (replicas, or one per eligible node). */
  readonly desired: number;
  /** Tasks running the current spec (with a healthcheck: healthy, as Swarm reports a task running only then). */
  readonly current: number;
  /** Tasks of the current spec still on their way (pending, preparing, starting: waiting for health). */
  readonly pending: number;
  /** Tasks of an older spec still meant to run (an update under way). */
  readonly outdated: number;
  /** The state of the newest task still meant to run (`starting` means: waiting for its healthcheck). */
  readonly newestState?: string;
  readonly failures: readonly TaskFailure[];
  readonly updateState?: string;
  readonly updateMessage?: string;
  readonly optional: boolean;
  readonly image: string;
  /** The service's spec, for telling what a deploy changed. */
  readonly spec: unknown;
  /** Running containers of it on this node (for logs). */
  readonly containerIds: readonly string[];
}

interface TaskInfo {
  ID: string;
  CreatedAt: string;
  DesiredState: string;
  Spec: unknown;
  NodeID?: string;
  Status: { State: string; Err?: string; Message?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string } };
}

/**
 * Fails unless the engine is a manager of an active swarm (where
 * `docker stack deploy` can run).
 */
export async function requireSwarmManager(engine: Engine): Promise<{ nodeId: string }> {
  const info = (await engine.docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string } };
  const swarm = info.Swarm ?? {};
  if (swarm.LocalNodeState !== 'active') {
    throw new DeployError(
      `the Docker Engine at ${engine.endpoint} is not part of a swarm (state: ${swarm.LocalNodeState || 'inactive'}): run \`docker swarm init\` to make it a one-node swarm, or point DOCKER_HOST at a manager of yours. Nothing was changed.`,
      ExitCode.USER_ERROR,
    );
  }
  if (!swarm.ControlAvailable) {
    throw new DeployError(
      `the Docker Engine at ${engine.endpoint} is a swarm worker: deploy from a manager node (docker node ls there shows them), e.g. with DOCKER_HOST pointing at it. Nothing was changed.`,
      ExitCode.USER_ERROR,
    );
  }
  return { nodeId: swarm.NodeID ?? '' };
}

/** Every service of a stack, with its tasks counted against its current spec. */
export async function readSwarmStack(docker: Docker, project: string, since?: number): Promise<SwarmServiceState[]> {
  const services = (await docker.listServices({ filters: { label: [`${STACK_NAMESPACE_LABEL}=${project}`] }, status: true } as never)) as unknown as Array<{
    ID: string;
    Spec: {
      Name: string;
      Mode?: { Global?: object; Replicated?: { Replicas?: number } };
      TaskTemplate?: { ContainerSpec?: { Image?: string; Labels?: Record<string, string> } };
    };
    ServiceStatus?: { DesiredTasks?: number };
    UpdateStatus?: { State?: string; Message?: string };
  }>;
  const prefix = `${project}_`;
  const states = await Promise.all(
    services.map(async (s) => {
      // Which tasks run the service's current spec is the engine's answer, not a comparison of specs here
      // (a task's spec carries fields the engine fills in): the task filter `_up-to-date`, which
      // `docker service create/update` and `docker stack deploy` use to follow a rollout (docker/cli
      // cli/command/service/progress/progress.go; moby daemon/cluster/filters.go newListTasksFilters).
      const [tasks, upToDate] = await Promise.all([
        docker.listTasks({ filters: { service: [s.ID] } } as never) as unknown as Promise<TaskInfo[]>,
        docker.listTasks({ filters: { service: [s.ID], '_up-to-date': ['true'] } } as never) as unknown as Promise<TaskInfo[]>,
      ]);
      const current = new Set(upToDate.map((t) => t.ID));
      const live = tasks.filter((t) => t.DesiredState === 'running' || t.DesiredState === 'ready');
      const isCurrent = (t: TaskInfo) => current.has(t.ID);
      const global = !!s.Spec.Mode?.Global;
      const failures = tasks
        .filter((t) => ['failed', 'rejected', 'orphaned'].includes(t.Status.State) && (since === undefined || Date.parse(t.CreatedAt) >= since))
        .sort((a, b) => cmp(b.CreatedAt, a.CreatedAt))
        .map((t) => ({
          state: t.Status.State,
          message: t.Status.Err || t.Status.Message || t.Status.State,
          at: t.Status.Timestamp ?? t.CreatedAt,
          ...(t.Status.ContainerStatus?.ContainerID ? { containerId: t.Status.ContainerStatus.ContainerID } : {}),
        }));
      const newest = [...live].sort((a, b) => cmp(b.CreatedAt, a.CreatedAt))[0];
      const state: SwarmServiceState = {
        service: s.Spec.Name.startsWith(prefix) ? s.Spec.Name.slice(prefix.length) : s.Spec.Name,
        id: s.ID,
        mode: global ? 'global' : 'replicated',
        desired: global ? (s.ServiceStatus?.DesiredTasks ?? live.length) : (s.Spec.Mode?.Replicated?.Replicas ?? 1),
        current: live.filter((t) => isCurrent(t) && t.Status.State === 'running').length,
        pending: live.filter((t) => isCurrent(t) && t.Status.State !== 'running').length,
        outdated: live.filter((t) => !isCurrent(t)).length,
        ...(newest ? { newestState: newest.Status.State } : {}),
        failures,
        ...(s.UpdateStatus?.State ? { updateState: s.UpdateStatus.State } : {}),
        ...(s.UpdateStatus?.Message ? { updateMessage: s.UpdateStatus.Message } : {}),
        optional: s.Spec.TaskTemplate?.ContainerSpec?.Labels?.[OPTIONAL_LABEL] === 'true',
        image: s.Spec.TaskTemplate?.ContainerSpec?.Image?.replace(/@sha256:[0-9a-f]+$/, '') ?? '',
        spec: s.Spec,
        containerIds: live
          .filter((t) => t.Status.State === 'running' && t.Status.ContainerStatus?.ContainerID)
          .map((t) => t.Status.ContainerStatus!.ContainerID!),
      };
      return state;
    }),
  );
  return states.sort((a, b) => cmp(a.service, b.service));
}

/** Converged: every task Swarm wants runs the current spec (and is healthy), and no older task is left. */
export function isConverged(s: SwarmServiceState): boolean {
  return s.current === s.desired && s.pending === 0 && s.outdated === 0 && s.updateState !== 'updating' && s.updateState !== 'rollback_started';
}

/** JSON with sorted keys, to compare specs the API returns. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => cmp(a, b))) : v,
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
