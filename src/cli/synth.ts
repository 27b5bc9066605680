import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { writeSynthesis } from '../core/output-directory.js';
import { secretVariables } from '../compose/secret.js';
import { initProject } from './init.js';
import { defaultStackFile, loadApp, PACKAGE_ROOT, parseContext, targetOption } from './load-stack.js';
import { runCli } from './run-cli.js';

const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const program = new Command()
  .name('aixcl-synth')
  .description('Synthesize docker-compose.yml, Loki, Promtail, Prometheus and Grafana provisioning files from a TypeScript stack.')
  .version(version)
  .option('-s, --stack <file>', 'stack file (.ts or .js) whose default export is an App or Stack', undefined)
  .option('-o, --out <dir>', "output directory (default: the App's outdir, 'out')")
  .option('-c, --context <key=value...>', 'values passed to a stack file that exports a function (e.g. -c project=myapp)')
  .option('-t, --target <target>', "what runs the stack: compose (docker-compose.yml) or swarm (docker-stack.yml for docker stack deploy); default: the stack's own, compose")
  .option('-q, --quiet', 'print nothing on success')
  .addHelpText(
    'after',
    `
Default stack: ./stacks/aixcl.ts if present, else the AIXCL stack shipped with aixcl-cdk.
Exit codes: 0 written; 1 invalid stack or options (nothing written); 70 internal error.
A new output directory is built beside --out and renamed into place; an existing one is updated
file by file (each file replaced by rename, unchanged files left alone, so running containers keep
their mounts; files you added, such as .env, are kept).

Examples:
  $ aixcl-synth                              # default stack -> ./out
  $ aixcl-synth --stack stacks/my-stack.ts --out build
  $ aixcl-synth --target swarm               # docker-stack.yml for docker stack deploy
  $ aixcl-synth init my-stack                # scaffold a stack project of your own`,
  )
  .action(async (opts: { stack?: string; out?: string; quiet?: boolean; context?: string[]; target?: string }) => {
    const stackFile = opts.stack ?? defaultStackFile();
    const app = await loadApp(stackFile, parseContext(opts.context ?? []), targetOption(opts.target));
    const stacks = app.synthesize();
    const outdir = opts.out ?? app.outdir;
    const result = writeSynthesis(outdir, stacks);
    if (opts.quiet) return;
    const out = relative(process.cwd(), resolve(outdir)) || '.';
    process.stdout.write(`Synthesized ${relative(process.cwd(), resolve(stackFile))} into ${out}/:\n`);
    const unchanged = new Set(result.unchanged);
    for (const f of result.files) process.stdout.write(`  ${f}${unchanged.has(f) ? ' (unchanged)' : ''}\n`);
    for (const f of result.removed) process.stdout.write(`  ${f} (removed)\n`);
    const secrets = stacks.flatMap((s) => secretVariables(s.stack));
    if (secrets.length) {
      process.stdout.write(
        `Secrets are not written into these files. Before starting the stack, set: ${secrets.join(', ')}\n` +
          `(in the environment, or in a .env file given to docker compose with --env-file).\n`,
      );
    }
  });

program
  .command('init')
  .description('scaffold a stack project of your own (a stack file, package.json and a snapshot test)')
  .argument('<dir>', 'directory to create (must not exist, or be empty)')
  .option('--project-name <name>', 'compose project name of the new stack (default: the directory name)')
  .action(async (dir: string, opts: { projectName?: string }) => {
    const created = initProject(dir, { projectName: opts.projectName });
    process.stdout.write(`Created ${dir}:\n${created.map((f) => `  ${f}`).join('\n')}\n\nNext:\n  cd ${dir} && npm install && npm run synth && npm test\n`);
  });

runCli(async () => {
  await program.parseAsync(process.argv);
});
