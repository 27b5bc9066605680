import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { describeDockerError } from './daemon-message.js';
import { DaemonUnreachableError } from './errors.js';

export { describeDockerError };

/** How to reach the Docker daemon. */
export interface EngineOptions {
  /**
   * `unix:///path/docker.sock`, a socket path, `tcp://host:port` (TLS with
   * DOCKER_TLS_VERIFY set / DOCKER_CERT_PATH, or port 2376), or `ssh://...`.
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

/** Where the TLS client certificates are to be read from (`ca.pem`, `cert.pem`, `key.pem`). */
export interface TlsCertificates {
  readonly dir: string;
  /** DOCKER_TLS_VERIFY is set (otherwise they are read because DOCKER_CERT_PATH names them). Either way all three are required. */
  readonly verify: boolean;
}

/**
 * Dockerode options for a DOCKER_HOST value. Certificates are not read here
 * (see `tls`): {@link connectEngine} reads them, so a missing one is a
 * connection problem, reported as such.
 */
export function dockerOptions(
  dockerHost: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { options: Docker.DockerOptions; endpoint: string; isLocal: boolean; tls?: TlsCertificates } {
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
      options: {
        protocol: 'ssh',
        host: u.hostname,
        port: u.port || 22,
        username: u.username || undefined,
        sshOptions: { agent: process.env.SSH_AUTH_SOCK },
      } as Docker.DockerOptions,
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
  // As the docker CLI: any non-empty DOCKER_TLS_VERIFY (even "0") turns verification on.
  const verify = !!env.DOCKER_TLS_VERIFY;
  const port = u.port || (verify ? '2376' : '2375');
  const tls = u.protocol === 'https:' || verify || port === '2376';
  const options: Docker.DockerOptions = { host: u.hostname, port, protocol: tls ? 'https' : 'http' };
  const certDir = env.DOCKER_CERT_PATH || join(env.HOME || homedir(), '.docker');
  // Without verification, certificates are used only where DOCKER_CERT_PATH points.
  const certs = tls && (verify || env.DOCKER_CERT_PATH) ? { tls: { dir: certDir, verify } } : {};
  const local = ['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname);
  return { options, endpoint: `tcp://${u.hostname}:${port}`, isLocal: local, ...certs };
}

/** Reads the TLS client certificates into the options. */
function readCertificates(options: Docker.DockerOptions, tls: TlsCertificates): void {
  options.ca = readFileSync(join(tls.dir, 'ca.pem'));
  options.cert = readFileSync(join(tls.dir, 'cert.pem'));
  options.key = readFileSync(join(tls.dir, 'key.pem'));
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
  const { options, endpoint, isLocal, tls } = dockerOptions(dockerHost);
  const timeout = opts.connectTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  try {
    if (tls) {
      try {
        readCertificates(options, tls);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        const why = err.code === 'ENOENT' ? `${err.path ?? 'a file'} does not exist` : (err.message ?? String(e));
        throw new DaemonUnreachableError(
          `cannot read the TLS certificates in ${tls.dir}: ${why} (put ca.pem, cert.pem and key.pem there, or point DOCKER_CERT_PATH at their directory). Nothing was changed.`,
        );
      }
    }
    const docker = new Docker(options);
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
    // Something that answers HTTP but is not a Docker daemon (a web server on that port, a proxy).
    if (!version || typeof version !== 'object' || typeof version.ApiVersion !== 'string' || typeof version.Version !== 'string') throw notDocker(endpoint);
    return { docker, endpoint, isLocal, serverVersion: version.Version, apiVersion: version.ApiVersion };
  } catch (e) {
    if (e instanceof DaemonUnreachableError) throw e;
    // A daemon always answers /version: an HTTP error there (an HTML page, say) is something else.
    if (typeof (e as { statusCode?: unknown })?.statusCode === 'number') throw notDocker(endpoint, (e as { statusCode: number }).statusCode);
    throw new DaemonUnreachableError(unreachableMessage(endpoint, e, timeout));
  } finally {
    clearTimeout(timer);
  }
}

function notDocker(endpoint: string, status?: number): DaemonUnreachableError {
  return new DaemonUnreachableError(
    `something answered at ${endpoint}${status ? ` (HTTP ${status})` : ''}, but it is not a Docker API: point DOCKER_HOST at the Docker daemon. Nothing was changed.`,
  );
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

/** True when a Docker API error is a 404. */
export function isNotFound(e: unknown): boolean {
  return (e as { statusCode?: number })?.statusCode === 404;
}
