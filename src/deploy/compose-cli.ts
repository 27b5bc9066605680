import { spawn } from 'node:child_process';
import { DeployError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import type { DockerCliResult } from './swarm/docker-cli.js';

/**
 * The oldest Compose this tool drives: 2.20.0 added `depends_on.required`
 * (compose-spec, docs/reference/compose-file "required: ... Compose 2.20.0"),
 * which the stacks use to mark optional services.
 */
export const MIN_COMPOSE_VERSION = [2, 20, 0] as const;

/** How to get a Compose that is new enough, said once in every message about it. */
const INSTALL =
  'install the Docker Compose v2 plugin, 2.20 or later (Debian/Ubuntu: apt-get install docker-compose-plugin, or see https://docs.docker.com/compose/install/linux/)';

/** Options of {@link composeCli}. */
export interface ComposeCliOptions {
  /** The whole environment Compose sees (its `${VAR}` values come from it). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Written to Compose's standard input (for `-f -`). */
  readonly input?: string;
  /** Receives each line Compose prints, as it comes (progress). */
  readonly onLine?: (line: string) => void;
  /** Working directory. @default this process's */
  readonly cwd?: string;
  /** Aborting sends Compose SIGINT: it stops what it is doing and exits (130). */
  readonly signal?: AbortSignal;
}

/**
 * Runs `docker compose ARGS`. Like {@link dockerCli} for `docker stack`, the
 * CLI makes every change; this tool reads the daemon through the API.
 */
export function composeCli(args: readonly string[], opts: ComposeCliOptions = {}): Promise<DockerCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['compose', ...args], {
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    let rest = '';
    const onAbort = () => child.kill('SIGINT');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      // Compose writes its progress to stderr (pkg/progress: the writer is the CLI's Err stream).
      const parts = (rest + c).split('\n');
      rest = parts.pop() ?? '';
      for (const l of parts) if (l.trim()) opts.onLine?.(l.trim());
    });
    child.stdin.on('error', () => undefined); // Compose may exit before reading it all (a usage error)
    child.stdin.end(opts.input ?? '');
    child.on('error', (e: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(e.code === 'ENOENT' ? new DeployError(`the docker CLI is not on PATH: aixcl-deploy deploys with \`docker compose\`; ${INSTALL}`) : e);
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (rest.trim()) opts.onLine?.(rest.trim());
      resolve({ exitCode: code ?? (sig === 'SIGINT' ? ExitCode.INTERRUPTED : 1), stdout, stderr });
    });
  });
}

/** `2.26.1-4`, `v2.20.0`, `2.29.7-desktop.1` -> [2, 26, 1]; undefined when it is no version. */
export function parseComposeVersion(text: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/**
 * The version of the Compose plugin (`[major, minor, patch]`), checked to be 2.20 or later.
 * `docker compose version --short` prints the bare version (cmd/compose/version.go).
 * Any failure of it means there is no plugin: the docker CLI then treats
 * `compose` as an unknown command, whose words differ between CLI releases.
 * @throws DeployError saying how to install it
 */
export async function requireCompose(env?: NodeJS.ProcessEnv): Promise<[number, number, number]> {
  const r = await composeCli(['version', '--short'], env ? { env } : {});
  const version = r.exitCode === 0 ? parseComposeVersion(r.stdout) : undefined;
  if (!version) throw new DeployError(`Docker Compose is not installed (\`docker compose version\` failed): ${INSTALL}. Nothing was changed.`);
  const [a, b, c] = version;
  const [x, y, z] = MIN_COMPOSE_VERSION;
  if (a < x || (a === x && (b < y || (b === y && c < z)))) {
    throw new DeployError(`Docker Compose ${version.join('.')} is too old (the stack uses depends_on.required, from 2.20): ${INSTALL}. Nothing was changed.`);
  }
  return version;
}
