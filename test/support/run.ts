/** Runs a program and collects its output (execa 10 needs Node 22; these tests run on Node 20). */
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `cmd args`; `input` is written to its stdin. Rejects on a non-zero exit unless `reject: false`. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { input?: Buffer | string; cwd?: string; env?: NodeJS.ProcessEnv; reject?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => {
      const r = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode: code ?? -1 };
      if (r.exitCode !== 0 && opts.reject !== false) reject(new Error(`${cmd} ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.trim()}`));
      else resolve(r);
    });
    // A program that exits without reading its input (a quick `docker image inspect`) closes the pipe
    // first: the write then fails with EPIPE, which says nothing the exit code does not. Any other
    // error on stdin fails the run.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') reject(e);
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a program and returns its stdout as bytes. */
export function runBuffer(cmd: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} exited ${code}: ${Buffer.concat(err)}`))));
  });
}
