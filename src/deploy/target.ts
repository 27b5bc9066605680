import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { Service } from '../compose/service.js';
import { NetworkMode } from '../core/stack.js';
import { MANIFEST_FILE, type SynthesizedStack } from '../core/synthesizer.js';
import { DeployError } from './errors.js';
import type { HostPort } from './host-port.js';

/** Name of the compose file in a synthesized stack. */
export const COMPOSE_FILE = 'docker-compose.yml';

/** One stack to deploy: its compose document and where its files are (or will be) written. */
export interface DeployTarget {
  readonly projectName: string;
  /** Absolute path of the compose file; bind mounts resolve against its directory. */
  readonly configFile: string;
  /** The compose document as synthesized (not interpolated). */
  readonly document: unknown;
  /** Generated files (relative to the compose file's directory) and their hashes. */
  readonly generatedFiles: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
  /** URLs by which a person on the host reaches each service (Service.hostUrl of each declared port). */
  readonly urls: Readonly<Record<string, readonly string[]>>;
  /** With host networking: the ports each service listens on, for the port check. */
  readonly hostNetworkPorts: Readonly<Record<string, readonly HostPort[]>>;
}

/**
 * The deploy targets of synthesized stacks written (or to be written) to
 * `outdir`: one per stack, in `outdir` itself or `outdir/<project>` when the
 * app has several.
 */
export function targetsFromSynthesis(stacks: readonly SynthesizedStack[], outdir: string): DeployTarget[] {
  const root = isAbsolute(outdir) ? outdir : resolve(outdir);
  return stacks.map((s) => {
    const compose = s.files.find((f) => f.path === COMPOSE_FILE);
    if (!compose) throw new DeployError(`stack ${s.projectName} has no services, so there is nothing to deploy`);
    const dir = s.directory ? join(root, s.directory) : root;
    const urls: Record<string, string[]> = {};
    const hostNetworkPorts: Record<string, HostPort[]> = {};
    const host = s.stack.networkMode === NetworkMode.HOST;
    for (const svc of s.stack.node.findAll().filter((c): c is Service => Service.isService(c) && c.stack === s.stack)) {
      urls[svc.serviceName] = svc.ports.map((p) => svc.hostUrl(p.containerPort)).filter((u): u is string => !!u);
      if (host) {
        hostNetworkPorts[svc.serviceName] = svc.ports.map((p) => ({ ip: s.stack.bindAddress, port: p.containerPort, protocol: p.protocol ?? 'tcp' }));
      }
    }
    return {
      projectName: s.projectName,
      configFile: join(dir, COMPOSE_FILE),
      document: parse(compose.content),
      generatedFiles: s.files.filter((f) => f.path !== COMPOSE_FILE && f.path !== MANIFEST_FILE).map((f) => ({ path: f.path, sha256: f.sha256 })),
      urls,
      hostNetworkPorts,
    };
  });
}
