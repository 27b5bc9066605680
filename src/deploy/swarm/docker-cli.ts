import { spawn } from 'node:child_process';
import { DeployError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

/** What a `docker` command printed, and how it ended. */
export interface DockerCliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `docker` CLI: `docker stack deploy` and `docker stack rm` are the
 * engine's own stack support (a stack is the CLI's notion: it converts the
 * compose file into services, networks, configs and secrets through the
 * API). `onLine` receives each line as it comes, for progress.
 */
export function dockerCli(
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void } = {},
): Promise<DockerCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', [...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const lines = (chunk: string, pending: { rest: string }) => {
      const text = pending.rest + chunk;
      const parts = text.split('\n');
      pending.rest = parts.pop() ?? '';
      for (const l of parts) if (l.trim()) opts.onLine?.(l.trim());
    };
    const out = { rest: '' };
    const err = { rest: '' };
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      lines(c, out);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      lines(c, err);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'ENOENT'
          ? new DeployError('the docker CLI is not on PATH: the Swarm target deploys with `docker stack deploy`; install the Docker CLI', ExitCode.USER_ERROR)
          : e,
      );
    });
    child.on('close', (code) => {
      for (const p of [out, err]) if (p.rest.trim()) opts.onLine?.(p.rest.trim());
      resolve({ exitCode: code ?? 1, stdout, stderr });
    });
  });
}
