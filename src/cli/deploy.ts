import { Command, Option } from 'commander';
import { DeployError, dockerFailure } from '../deploy/errors.js';
import { exitCodeHelp } from '../core/exit-codes.js';
import { packageVersion } from './package-root.js';
import { exitWhenFlushed, refuseUnknownCommand, runProgram } from './run-cli.js';
import { BUILT_IN_PREFIX } from './stack-location.js';
import type { StackOptions, UpCliOptions } from './deploy-commands.js';

// The commands (stack library, Docker client, zod) are imported when one runs, not at start-up.
const commands = () => import('./deploy-commands.js');

const version = packageVersion();

const EXIT_CODES = `
${exitCodeHelp('deploy')}`;

function stackOptions(cmd: Command): Command {
  return cmd
    .option(
      '-s, --stack <file>',
      `stack file (TypeScript or JavaScript: .ts, .mts, .cts, .tsx, .js, .mjs, .cjs, .jsx) whose default export is an App or Stack, or ${BUILT_IN_PREFIX}NAME (default: the project's package.json "aixcl.stack", else the AIXCL stack)`,
    )
    .option('-c, --context <key=value...>', 'values passed to a stack file that exports a function (e.g. -c network=bridge -c project=dev)')
    .option('-o, --out <dir>', "where the synthesized files are written (bind mounts point into it; default: the App's outdir, 'out')")
    .option(
      '-t, --target <target>',
      'compose (this daemon, as Docker Compose does; the default) or swarm (docker stack deploy to the swarm this daemon manages)',
    );
}

/** The options of up; `diff` (upOnly false) has those that matter to a plan, so not --wait-timeout nor --dry-run. */
function upOptions(cmd: Command, upOnly: boolean): Command {
  stackOptions(cmd).addOption(new Option('--pull <policy>', 'when to pull images').choices(['missing', 'always', 'never']).default('missing'));
  if (upOnly) cmd.option('--wait-timeout <seconds>', 'how long to wait, in all, for services to become healthy', seconds, 180);
  cmd
    .addOption(
      new Option('--progress <mode>', 'progress display (auto: live lines on a terminal, plain lines in CI or a pipe)')
        .choices(['auto', 'tty', 'plain', 'json'])
        .default('auto'),
    )
    .option('--json', 'machine-readable output: one JSON event per line, ending with the result (same as --progress json)')
    .option('--env-file <file>', 'file of variables for ${VAR} references (the environment wins over it)', '.env');
  if (upOnly) cmd.option('--dry-run', 'show what would be created, recreated (and why) or removed; change nothing');
  return cmd.addHelpText('after', EXIT_CODES);
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new DeployError(`--wait-timeout must be a positive number of seconds (got '${v}')`);
  return n;
}

const program = new Command()
  .name('aixcl-deploy')
  .description('Deploy a synthesized stack to the local Docker daemon: create what is missing, recreate only what changed, wait for health.')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

upOptions(program.command('up', { isDefault: true }), true)
  .description('synthesize the stack and bring it up (the default command)')
  .allowExcessArguments(true)
  .action(async (opts: UpCliOptions, cmd: Command) => {
    refuseUnknownCommand(program, cmd.args);
    process.exitCode = await (await commands()).runUp(opts, !!opts.dryRun);
  });

upOptions(program.command('diff'), false)
  .description('show what up would create, recreate (and which setting or generated file caused it) or remove; change nothing')
  .action(async (opts: UpCliOptions) => {
    process.exitCode = await (await commands()).runUp(opts, true);
  });

stackOptions(program.command('down'))
  .description("stop and remove the stack's containers and networks (named volumes are kept unless --volumes)")
  .option('-p, --project <name>', 'the Compose project to remove (instead of loading the stack)')
  .option('-v, --volumes', "also remove the stack's named volumes, and the data in them")
  .option('--json', 'print the result as JSON')
  .addHelpText('after', EXIT_CODES)
  .action(async (opts: StackOptions & { project?: string; volumes?: boolean; json?: boolean }) => {
    await (await commands()).runDown(opts);
  });

stackOptions(program.command('status'))
  .description('per service: container state, health, uptime and URLs')
  .option('-p, --project <name>', 'the Compose project to show (instead of loading the stack)')
  .option('--json', 'print a JSON array (one object per service) for scripts')
  .addHelpText('after', EXIT_CODES)
  .action(async (opts: StackOptions & { project?: string; json?: boolean }) => {
    await (await commands()).runStatus(opts);
  });

program.addHelpText(
  'after',
  `
Options of up, the default command (--stack, --out, --dry-run, --pull, --wait-timeout, --json...):
  $ aixcl-deploy up --help
${EXIT_CODES}

Examples:
  $ aixcl-deploy                          # the project's stack (package.json "aixcl".stack), else the AIXCL one -> ./out, up
  $ aixcl-deploy -c network=bridge        # the same stack on a bridge network
  $ aixcl-deploy --target swarm           # docker stack deploy to this daemon's swarm (status, down too)
  $ aixcl-deploy --dry-run                # what would change, and why
  $ aixcl-deploy status --json
  $ aixcl-deploy down                     # volumes (Loki's logs, Grafana's data) are kept
  $ aixcl-deploy down --volumes           # ...and removed

Variables for \${VAR} references come from the environment, then ./.env.
DOCKER_HOST selects the daemon (unix:///path/docker.sock or tcp://host:port; TLS when
DOCKER_TLS_VERIFY is set, with the certificates in DOCKER_CERT_PATH, default ~/.docker).
NO_COLOR turns colours off; CI=1 (or --progress plain) prints plain lines.`,
);

/** Runs the CLI; resolves to the exit code (nothing is thrown). */
export function main(argv: readonly string[]): Promise<number> {
  return runProgram(program, argv, { classify: (e) => dockerFailure(e) });
}

// Run when executed (bin/aixcl-deploy.js imports this module).
await exitWhenFlushed(await main(process.argv));
