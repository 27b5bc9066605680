import { connectEngine, type Engine, type EngineOptions } from './engine.js';
import { ComposeLabel } from './labels.js';
import { projectContainers } from './state.js';

/** The state of one service of a deployed stack. */
export interface ServiceStatus {
  readonly service: string;
  readonly container?: string;
  /** Container state (`running`, `exited`, ...), or `missing` when the service has no container. */
  readonly state: string;
  /** `healthy`, `unhealthy`, `starting`, or undefined without a healthcheck. */
  readonly health?: string;
  readonly startedAt?: string;
  /** Seconds since it started, while running. */
  readonly uptimeSeconds?: number;
  readonly exitCode?: number;
  readonly image?: string;
  readonly urls: readonly string[];
}

/** Options of {@link stackStatus}. */
export interface StatusOptions {
  /** Services the stack declares (so missing ones are listed). @default those found on the daemon */
  readonly services?: readonly string[];
  /** Host URLs by service. @default from the published ports */
  readonly urls?: Readonly<Record<string, readonly string[]>>;
  readonly engine?: Engine | EngineOptions;
  /** "Now", for uptimes. @default Date.now() */
  readonly now?: number;
}

/** Per service of a project: container state, health, uptime and URLs. */
export async function stackStatus(project: string, opts: StatusOptions = {}): Promise<ServiceStatus[]> {
  const engine = opts.engine && 'docker' in opts.engine ? opts.engine : await connectEngine(opts.engine as EngineOptions | undefined);
  const { containers } = await projectContainers(engine.docker, project);
  const names = new Set([...(opts.services ?? []), ...containers.map((c) => c.labels[ComposeLabel.SERVICE] ?? c.name)]);
  const now = opts.now ?? Date.now();
  return [...names].sort().map((service) => {
    const c = containers.find((x) => x.labels[ComposeLabel.SERVICE] === service);
    if (!c) return { service, state: 'missing', urls: opts.urls?.[service] ?? [] };
    const running = c.status === 'running';
    const published = c.publishedPorts.map((p) => {
      const [ip, rest] = [p.slice(0, p.lastIndexOf(':')), p.slice(p.lastIndexOf(':') + 1)];
      // An address: what speaks on a port is not known from the container (the stack's URLs carry the scheme).
      return `${ip === '0.0.0.0' || ip === '127.0.0.1' ? 'localhost' : ip}:${rest.split('/')[0]}`;
    });
    return {
      service,
      container: c.name,
      state: c.status,
      ...(c.health ? { health: c.health } : {}),
      ...(c.startedAt ? { startedAt: c.startedAt } : {}),
      ...(running && c.startedAt ? { uptimeSeconds: Math.max(0, Math.round((now - Date.parse(c.startedAt)) / 1000)) } : {}),
      ...(!running && c.status === 'exited' ? { exitCode: c.exitCode } : {}),
      image: c.imageRef,
      urls: opts.urls?.[service] ?? published,
    };
  });
}
