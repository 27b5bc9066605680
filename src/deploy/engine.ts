import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { DaemonUnreachableError } from './errors.js';

/** How to reach the Docker daemon. */
export interface EngineOptions {
  /**
   * `unix:///path/docker.sock`, a socket path, `tcp://host:port` (TLS with
   * DOCKER_TLS_VERIFY=1 / DOCKER_CERT_PATH, or port 2376), or `ssh://...`.
   * @default process.env.DOCKER_HOST, else the local default socket
   */
  readonly dockerHost?: string;
  /** Time to wait for the daemon's first answer. @default 5000 */
  readonly connectTimeoutMs?: number;
}

/** A connected Docker daemon. */
export interface Engine {
  readonly docker: Docker;
  /** Where the daemon is, as the user would write it. */
  readonly endpoint: string;
  /** True when the daemon runs on this machine (a unix socket): host ports and paths can be checked here. */
  readonly isLocal: boolean;
  readonly serverVersion: string;
  readonly apiVersion: string;
}

/** Dockerode options for a DOCKER_HOST value. */
export function dockerOptions(dockerHost: string | undefined): { options: Docker.DockerOptions; endpoint: string; isLocal: boolean } {
  const host = dockerHost?.trim() || undefined;
  if (!host) {
    const socketPath = defaultSocket();
    return { options: { socketPath }, endpoint: `unix://${socketPath}`, isLocal: true };
  }
  if (host.startsWith('unix://') || host.startsWith('/')) {
    const socketPath = host.startsWith('unix://') ? host.slice(7) || '/var/run/docker.sock' : host;
    return { options: { socketPath }, endpoint: `unix://${socketPath}`, isLocal: true };
  }
  if (host.startsWith('ssh://')) {
    const u = new URL(host);
    return {
      options: { protocol: 'ssh', host: u.hostname, port: u.port || 22, username: u.username || undefined, sshOptions: { agent: process.env.SSH_AUTH_SOCK } } as Docker.DockerOptions,
      endpoint: host,
      isLocal: false,
    };
  }
  let u: URL;
  try {
    u = new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch {
    throw new DaemonUnreachableError(`DOCKER_HOST='${host}' is not an address: write unix:///var/run/docker.sock or tcp://HOST:PORT`);
  }
  if (u.protocol !== 'tcp:' && u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new DaemonUnreachableError(`DOCKER_HOST='${host}' uses ${u.protocol}, which is not supported: use unix://, tcp:// or ssh://`);
  }
  const port = u.port || (process.env.DOCKER_TLS_VERIFY === '1' ? '2376' : '2375');
  const tls = u.protocol === 'https:' || process.env.DOCKER_TLS_VERIFY === '1' || port === '2376';
  const options: Docker.DockerOptions = { host: u.hostname, port, protocol: tls ? 'https' : 'http' };
  const certs = process.env.DOCKER_CERT_PATH;
  if (tls && certs) {
    options.ca = readFileSync(join(certs, 'ca.pem'));
    options.cert = readFileSync(join(certs, 'cert.pem'));
    options.key = readFileSync(join(certs, 'key.pem'));
  }
  const local = ['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname);
  return { options, endpoint: `tcp://${u.hostname}:${port}`, isLocal: local };
}

function defaultSocket(): string {
  // Docker Desktop's per-user socket when the system one is absent.
  const user = join(process.env.HOME ?? '', '.docker/run/docker.sock');
  return !existsSync('/var/run/docker.sock') && existsSync(user) ? user : '/var/run/docker.sock';
}

/**
 * Connects to the daemon and checks that it answers.
 * @throws DaemonUnreachableError with one sentence that says why and what to do
 */
export async function connectEngine(opts: EngineOptions = {}): Promise<Engine> {
  const dockerHost = opts.dockerHost ?? process.env.DOCKER_HOST;
  const { options, endpoint, isLocal } = dockerOptions(dockerHost);
  const docker = new Docker(options);
  const timeout = opts.connectTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ac = new AbortController();
    const version = await Promise.race([
      docker.version({ abortSignal: ac.signal } as never) as unknown as Promise<Docker.DockerVersion>,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          ac.abort();
          reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
        }, timeout);
      }),
    ]);
    return { docker, endpoint, isLocal, serverVersion: version.Version, apiVersion: version.ApiVersion };
  } catch (e) {
    throw new DaemonUnreachableError(unreachableMessage(endpoint, e, timeout));
  } finally {
    clearTimeout(timer);
  }
}

function unreachableMessage(endpoint: string, e: unknown, timeout: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'there is no socket there'
      : code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'EACCES'
          ? 'permission denied (add your user to the docker group, or use sudo)'
          : code === 'ETIMEDOUT'
            ? `no answer within ${timeout / 1000}s`
            : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
              ? 'unknown host'
              : describeDockerError(e);
  return `cannot reach the Docker daemon at ${endpoint} (${why}): is Docker running? Start it, or point DOCKER_HOST at it. Nothing was changed.`;
}

/** The daemon's own message of a failed API call, without dockerode's prefixes. */
export function describeDockerError(e: unknown): string {
  const err = e as { json?: { message?: string } | string; reason?: string; message?: string; statusCode?: number };
  if (err?.json && typeof err.json === 'object' && err.json.message) return err.json.message;
  if (typeof err?.json === 'string' && err.json.trim()) return err.json.trim();
  const msg = err?.message ?? String(e);
  return msg.replace(/^\(HTTP code \d+\) [a-z ]+ - /i, '').trim();
}

/** True when a Docker API error is a 404. */
export function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number })?.statusCode === 404;
}
