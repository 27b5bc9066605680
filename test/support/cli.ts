/** Runs the CLIs as child processes, as a user would. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from './run.js';
import { STANDIN_MIRROR } from './standins.js';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const CLI = join(ROOT, 'src/cli/deploy.ts');
const TSX = import.meta.resolve('tsx');

/** Runs the built aixcl-synth, as installed (npm test builds dist/ first). */
export function synthCli(args: string[], cwd = ROOT, env?: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), ...args], { cwd, encoding: 'utf8', env: env && { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `aixcl-deploy args` (from src, through tsx) to the end. */
export function deployCli(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return run(process.execPath, ['--import', TSX, CLI, ...args], { cwd: opts.cwd, env: cliEnv(opts.env), reject: false });
}

/** Starts `aixcl-deploy args` and hands back the process (to signal it). */
export function spawnDeployCli(args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd: opts.cwd, env: cliEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // The stacks it loads pull from the stand-ins' mirror (never a real image's name).
  const env: NodeJS.ProcessEnv = { ...process.env, AIXCL_IMAGE_MIRROR: STANDIN_MIRROR, ...extra };
  // Tests read plain output unless they ask for colour.
  if (!('NO_COLOR' in extra) && !('FORCE_COLOR' in extra)) env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

/**
 * Writes a stack file (in `dir`) that builds the small logs-like test stack
 * from `-c` context values: project, lokiPort, webPort, and optionally
 * lokiDelay (seconds before Loki is ready), webPassword (a Secret).
 */
export function writeTestStackFile(dir: string): string {
  const file = join(dir, 'test-stack.ts');
  // Not stacks.ts: that imports node:test (temp dirs), whose report would land in the CLI's stdout.
  const stacks = JSON.stringify(join(ROOT, 'test/support/logs-like-stack.ts'));
  const index = JSON.stringify(join(ROOT, 'src/index.ts'));
  writeFileSync(
    file,
    `import { logsLikeStack } from ${stacks};
import { Secret, Service } from ${index};
export default function ({ context }: { context: Record<string, string> }) {
  const { app, stack } = logsLikeStack({
    project: context.project,
    ports: { loki: Number(context.lokiPort), web: Number(context.webPort) },
    lokiEnv: context.lokiDelay ? { STANDIN_READY_DELAY: context.lokiDelay } : {},
    lokiStartPeriodSeconds: context.lokiDelay ? Number(context.lokiDelay) + 10 : 0,
    withInit: false,
  });
  if (context.webPassword) {
    stack.node.findAll().filter(Service.isService).find((s) => s.serviceName === 'web')!.addEnvironment('WEB_PASSWORD', Secret.fromEnv('WEB_PASSWORD'));
  }
  return app;
}
`,
  );
  return file;
}
