import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { exitCodeHelp } from '../core/exit-codes.js';
import { PACKAGE_ROOT, packageVersion } from './package-root.js';
import { exitWhenFlushed, refuseUnknownCommand, runProgram } from './run-cli.js';
import { shellWord } from './shell-word.js';
import { BUILT_IN_PREFIX, locateStack, outputDirectory, PACKAGE_JSON_FIELD } from './stack-location.js';

// The library (stack loading, synthesis, output) is imported when a command runs, not at start-up:
// `aixcl-synth --help` loads the option parser only.
const lib = async () => {
  const [zod, out, secret, init, target, load] = await Promise.all([
    import('zod'),
    import('../core/output-directory.js'),
    import('../compose/secret.js'),
    import('./init.js'),
    import('../core/target.js'),
    import('./load-stack.js'),
  ]);
  // One process, one synthesis: each schema parses once, so zod's JIT-compiled parsers cost more than they save.
  zod.config({ jitless: true });
  return { ...out, ...secret, ...init, ...target, ...load };
};

const version = packageVersion();

const program = new Command()
  .name('aixcl-synth')
  .description('Synthesize docker-compose.yml, Loki, collector (Alloy or Promtail), Prometheus and Grafana provisioning files from a TypeScript stack.')
  .version(version)
  .option(
    '-s, --stack <file>',
    `stack file (TypeScript or JavaScript: .ts, .mts, .cts, .tsx, .js, .mjs, .cjs, .jsx) whose default export is an App or Stack, or ${BUILT_IN_PREFIX}NAME for a built-in stack`,
    undefined,
  )
  .option('-o, --out <dir>', "output directory (default: the App's outdir, 'out')")
  .option('-c, --context <key=value...>', 'values passed to a stack file that exports a function (e.g. -c project=myapp)')
  .option(
    '-t, --target <target>',
    "what runs the stack: compose (docker-compose.yml) or swarm (docker-stack.yml for docker stack deploy); default: the stack's own, compose",
  )
  .option('-q, --quiet', 'print nothing on success')
  .helpCommand(true)
  .allowExcessArguments(true)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addHelpText(
    'after',
    `
Stack file: --stack, else "${PACKAGE_JSON_FIELD}": { "stack": FILE } in the project's package.json (init writes it),
else the AIXCL stack shipped with aixcl-cdk. Built-in stacks: ${BUILT_IN_PREFIX}aixcl, ${BUILT_IN_PREFIX}logging-only.
A new output directory is built beside --out and renamed into place; an existing one is updated
file by file (each file replaced by rename, unchanged files left alone, so running containers keep
their mounts; files you added, such as .env, are kept).

${exitCodeHelp('synth')}

Examples:
  $ aixcl-synth                              # the project's stack (or the default one) -> ./out
  $ aixcl-synth --stack stacks/my-stack.ts --out build
  $ aixcl-synth --stack ${BUILT_IN_PREFIX}logging-only -c project=shop
  $ aixcl-synth --target swarm               # docker-stack.yml for docker stack deploy
  $ aixcl-synth init my-stack                # scaffold a stack project of your own`,
  )
  .action(async (opts: { stack?: string; out?: string; quiet?: boolean; context?: string[]; target?: string }, cmd: Command) => {
    refuseUnknownCommand(program, cmd.args);
    const { loadApp, parseContext, secretVariables, Target, targetOption, writeSynthesis } = await lib();
    const target = targetOption(opts.target);
    const location = locateStack(PACKAGE_ROOT, opts.stack);
    const app = await loadApp(location.file, parseContext(opts.context ?? []), target);
    const stacks = app.synthesize();
    const outdir = outputDirectory(location, opts.out, app.outdir);
    const result = writeSynthesis(outdir, stacks);
    if (opts.quiet) return;
    const out = relative(process.cwd(), resolve(outdir)) || '.';
    process.stdout.write(`Synthesized ${relative(process.cwd(), location.file) || location.file} (${location.source}) into ${out}/:\n`);
    const unchanged = new Set(result.unchanged);
    for (const f of result.files) process.stdout.write(`  ${f}${unchanged.has(f) ? ' (unchanged)' : ''}\n`);
    for (const f of result.removed) process.stdout.write(`  ${f} (removed)\n`);
    const swarm = stacks.some((s) => s.stack.target === Target.SWARM);
    process.stdout.write(
      secretsHint(
        stacks.flatMap((s) => secretVariables(s.stack)),
        out,
        deployCommand(opts, out, swarm),
        swarm,
      ),
    );
  });

program
  .command('init')
  .description('scaffold a stack project of your own (a type-checked stack file, package.json, tsconfig.json and a snapshot test)')
  .argument('<dir>', 'directory to create (must not exist, or be empty)')
  .option('--project-name <name>', 'compose project name of the new stack (default: the directory name)')
  .action(async (dir: string, opts: { projectName?: string }) => {
    const { initProject } = await lib();
    const created = initProject(dir, { projectName: opts.projectName });
    process.stdout.write(
      `Created ${dir}:\n${created.map((f) => `  ${f}`).join('\n')}\n\nNext:\n  cd ${shellWord(dir)} && npm install && npm run synth && npm test\n`,
    );
  });

/**
 * The aixcl-deploy command that deploys what this synth wrote: the same stack, context and output
 * directory (a bare `npx aixcl-deploy` would load the default stack into ./out).
 */
function deployCommand(opts: { stack?: string; context?: string[] }, out: string, swarm: boolean): string {
  const args = ['npx', 'aixcl-deploy'];
  if (opts.stack !== undefined) args.push('--stack', opts.stack);
  for (const c of opts.context ?? []) args.push('-c', c);
  if (out !== 'out') args.push('--out', out);
  if (swarm) args.push('--target', 'swarm');
  return args.map(shellWord).join(' ');
}

/**
 * Which variables to set, and where: one place, `./.env`, read by aixcl-deploy (its --env-file
 * default). Compose reads only the `.env` of the project directory (the compose file's, here the
 * output directory) unless given --env-file, so the hint prints that command in full.
 */
function secretsHint(variables: readonly string[], out: string, deploy: string, swarm: boolean): string {
  const names = [...new Set(variables)].sort();
  if (!names.length) return '';
  if (swarm) {
    // Under Swarm each becomes a swarm secret, created by aixcl-deploy under a name that changes with
    // the value (swarm secrets are immutable); docker stack deploy alone does not create them.
    return (
      `Secrets are not written into these files. Before deploying, set: ${names.join(', ')}\n` +
      `in the environment or in ./.env (one NAME=value a line); each becomes a swarm secret:\n` +
      `  ${deploy}\n`
    );
  }
  return (
    `Secrets are not written into these files. Before starting the stack, set: ${names.join(', ')}\n` +
    `in the environment or in ./.env (one NAME=value a line), which both tools read:\n` +
    `  ${deploy}\n` +
    `  docker compose --env-file .env -f ${shellWord(`${out}/docker-compose.yml`)} up -d\n`
  );
}

await exitWhenFlushed(await runProgram(program, process.argv));
