import { connectEngine, type Engine, type EngineOptions } from '../engine.js';
import { DeployError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { NO_EVENTS, type EventSink } from '../events.js';
import { dockerCli } from './docker-cli.js';
import { readSwarmStack, STACK_NAMESPACE_LABEL } from './swarm-state.js';
import { cliEnv } from './swarm-up.js';

/** What {@link swarmDown} removed and kept. */
export interface SwarmDownResult {
  readonly project: string;
  readonly removedServices: readonly string[];
  /** Named volumes of the stack left in place (on this node), with their data. */
  readonly keptVolumes: readonly string[];
}

/**
 * Removes a stack from the swarm with `docker stack rm` (services, networks,
 * configs and secrets of the stack) and waits until its containers and
 * networks are gone. Named volumes are kept: `docker stack rm` never removes
 * volumes (each node's volumes stay on that node).
 */
export async function swarmDown(
  project: string,
  opts: { engine?: Engine | EngineOptions; events?: EventSink; timeoutSeconds?: number } = {},
): Promise<SwarmDownResult> {
  const events = opts.events ?? NO_EVENTS;
  const engine = opts.engine && 'docker' in opts.engine ? opts.engine : await connectEngine(opts.engine as EngineOptions | undefined);
  const { docker } = engine;
  const services = await readSwarmStack(docker, project);
  events({ type: 'stage', stage: 'down', message: `docker stack rm ${project}` });
  if (services.length) {
    const r = await dockerCli(['stack', 'rm', project], { env: cliEnv(engine) });
    if (r.exitCode !== 0) throw new DeployError(`docker stack rm failed: ${r.stderr.trim() || r.stdout.trim()}`, ExitCode.FAILED);
    for (const s of services) events({ type: 'service', service: s.service, state: 'removed' });
  }
  // `docker stack rm` returns before the tasks have stopped: wait for the containers and the networks.
  const label = `${STACK_NAMESPACE_LABEL}=${project}`;
  const deadline = Date.now() + (opts.timeoutSeconds ?? 60) * 1000;
  for (;;) {
    const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
    const networks = await docker.listNetworks({ filters: { label: [label] } });
    if (containers.length === 0 && networks.length === 0) break;
    if (Date.now() > deadline) {
      throw new DeployError(
        `the stack ${project} was removed, but ${containers.length} containers and ${networks.length} networks are still going away: run the same command again in a moment`,
        ExitCode.FAILED,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const volumes = ((await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? []).map((v) => v.Name).sort();
  for (const v of volumes) events({ type: 'resource', kind: 'volume', name: v, action: 'kept' });
  return { project, removedServices: services.map((s) => s.service), keptVolumes: volumes };
}
