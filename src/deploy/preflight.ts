import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { relative } from 'node:path';
import { DeployError } from './errors.js';
import type { Plan } from './plan.js';

import type { HostPort } from './host-port.js';

export type { HostPort };

/** Inputs of {@link preflight}. */
export interface PreflightOptions {
  /**
   * Ports each service listens on directly on the host (host networking,
   * where the compose file has no `ports`), by service name.
   * @default none
   */
  readonly hostNetworkPorts?: Readonly<Record<string, readonly HostPort[]>>;
  /** Bind sources under this directory are not checked (generated files a dry run has not written). @default none */
  readonly skipBindSourcesUnder?: string;
}

/**
 * Checks, on this machine, what would make containers fail to start: a host
 * port another program holds, a bind-mount source that does not exist.
 * Only meaningful when the daemon runs here.
 * @throws DeployError listing every problem; nothing has been changed
 */
export async function preflight(plan: Plan, opts: PreflightOptions = {}): Promise<void> {
  const problems: string[] = [];
  const checks: Array<Promise<void>> = [];
  // Ports held by containers that this run stops anyway.
  const released = new Set<string>();
  for (const c of plan.orphanContainers) if (c.status === 'running') c.publishedPorts.forEach((p) => released.add(p));
  for (const s of plan.services) {
    if (s.action === 'keep') continue;
    const running = s.existing?.status === 'running' || s.existing?.status === 'restarting';
    if (running) s.existing!.publishedPorts.forEach((p) => released.add(p));
    const wanted: HostPort[] = [];
    if (s.service.networkMode === 'host') {
      if (!running) wanted.push(...(opts.hostNetworkPorts?.[s.service.name] ?? []));
    } else {
      for (const p of s.service.ports) wanted.push({ ip: p.hostIp || '0.0.0.0', port: p.hostPort, protocol: p.protocol });
    }
    for (const w of wanted) {
      if (released.has(`${w.ip}:${w.port}/${w.protocol}`)) continue;
      checks.push(
        portIsFree(w).then((free) => {
          if (!free) {
            problems.push(
              `port ${w.ip}:${w.port}/${w.protocol}, needed by service '${s.service.name}', is already in use by another program: stop that program, or give the service another port in the stack`,
            );
          }
        }),
      );
    }
    for (const m of s.service.binds) {
      if (opts.skipBindSourcesUnder && !relative(opts.skipBindSourcesUnder, m.source).startsWith('..')) continue;
      if (!existsSync(m.source)) {
        problems.push(
          `service '${s.service.name}' bind-mounts ${m.source} on ${m.target}, which does not exist on this machine: create it, or change the mount`,
        );
      }
    }
  }
  await Promise.all(checks);
  if (problems.length) {
    throw new DeployError(
      `the stack cannot start on this machine; nothing was changed:\n${problems
        .sort()
        .map((p) => `  ${p}`)
        .join('\n')}`,
    );
  }
}

/** True unless binding the port fails with EADDRINUSE (other errors, e.g. an address not on this host, say nothing). */
export function portIsFree(p: HostPort): Promise<boolean> {
  const host = p.ip === '' ? '0.0.0.0' : p.ip.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    if (p.protocol === 'udp') {
      const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      sock.once('error', (e: NodeJS.ErrnoException) => {
        sock.close();
        resolve(e.code !== 'EADDRINUSE');
      });
      sock.bind({ address: host, port: p.port, exclusive: true }, () => sock.close(() => resolve(true)));
      return;
    }
    if (p.protocol !== 'tcp') return resolve(true);
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e.code !== 'EADDRINUSE'));
    server.listen({ host, port: p.port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
