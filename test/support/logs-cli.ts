/** Runs the built aixcl-logs (npm test builds dist/ first), as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { run, type RunResult } from './run.js';

const BIN = join(ROOT, 'bin', 'aixcl-logs.js');

function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of ['LOKI_ADDR', 'LOKI_USERNAME', 'LOKI_PASSWORD', 'LOKI_BEARER_TOKEN', 'LOKI_BEARER_TOKEN_FILE', 'LOKI_ORG_ID']) {
    if (!(k in extra)) delete e[k];
  }
  return e;
}

/** Runs `aixcl-logs args` to the end. */
export function logsCli(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(extraEnv), reject: false });
}

/** Starts `aixcl-logs args` (to follow, to signal, to pipe). */
export function spawnLogsCli(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
}
