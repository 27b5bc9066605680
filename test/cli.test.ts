import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { exitCodeHelp, exitCodeTable, ExitCode } from '../src/core/exit-codes.js';
import { deployCli, ROOT, synthCli } from './support/cli.js';
import { tempDir } from './support/temp.js';

const fixture = (name: string) => join(ROOT, 'test', 'fixtures', name);

const tmp = () => tempDir('cli');

/** A user's mistake is one message, never a stack trace. */
function assertNoTrace(stderr: string) {
  assert.doesNotMatch(stderr, /^\s+at /m, `stack trace printed:\n${stderr}`);
}

describe('aixcl-synth', () => {
  test('--help describes the options and the init command', () => {
    const r = synthCli(['--help']);
    assert.equal(r.code, 0);
    for (const s of ['--stack <file>', '--out <dir>', '--context', 'init [options] <dir>', 'Exit codes']) assert.ok(r.stdout.includes(s), s);
  });

  test('synthesizes a stack file into --out and lists what it wrote', () => {
    const out = join(tmp(), 'out');
    const r = synthCli(['--stack', fixture('tiny-stack.ts'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /docker-compose\.yml/);
    assert.match(r.stdout, /aixcl-manifest\.json/);
    assert.match(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), /^name: tiny$/m);
  });

  test('a stack file exporting a function gets the -c context', () => {
    const out = join(tmp(), 'out');
    const r = synthCli(['--stack', fixture('function-export.ts'), '--out', out, '-c', 'project=from-context']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), /^name: from-context$/m);
  });

  test('the logging-only stack attaches to the project named with -c project=...', () => {
    const out = join(tmp(), 'out');
    const r = synthCli(['--stack', join(ROOT, 'stacks', 'logging-only.ts'), '--out', out, '-c', 'project=shop']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(out, 'alloy', 'config.alloy'), 'utf8'), /values = \["com\.docker\.compose\.project=shop"\]/);
    const compose = parse(readFileSync(join(out, 'docker-compose.yml'), 'utf8'));
    assert.equal(compose.name, 'shop-logging');
    assert.deepEqual(Object.keys(compose.services).sort(), ['alloy', 'grafana', 'loki']);
    const dashboard = JSON.parse(readFileSync(join(out, 'grafana/provisioning/dashboards/logs-dashboard.json'), 'utf8'));
    assert.match(JSON.stringify(dashboard.panels), /compose_project=\\"shop\\"/, 'the dashboard queries the collected project');
    // The collector knows no log format of that project's services: the level filters read Loki's own detection.
    const queries = dashboard.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map((t) => t.expr));
    assert.deepEqual(
      queries.map((q: string) => q.match(/\| (\w+)=/)?.[1]),
      ['detected_level', 'detected_level', 'detected_level'],
    );

    const missing = synthCli(['--stack', join(ROOT, 'stacks', 'logging-only.ts'), '--out', join(tmp(), 'o')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /name the Compose project to collect logs from: -c project=<name>/);
  });

  test('the logging-only stack takes its ports and Grafana admin secret as context, beside a project that uses 3000', () => {
    const out = join(tmp(), 'out');
    const args = [
      '--stack',
      'aixcl-cdk/logging-only',
      '--out',
      out,
      '-c',
      'project=shop',
      '-c',
      'grafanaPort=3001',
      '-c',
      'lokiPort=3101',
      '-c',
      'promtailPort=9081',
    ];
    const r = synthCli([...args, '-c', 'grafanaAdminSecret=SHOP_GRAFANA_PASSWORD']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(the built-in stack aixcl-cdk\/logging-only\)/);
    assert.match(r.stdout, /set: SHOP_GRAFANA_PASSWORD\n/);
    // The deploy command it prints deploys this stack, with its context, from this output (not the default stack into ./out).
    assert.equal(
      r.stdout.match(/^  (npx aixcl-deploy.*)$/m)?.[1],
      `npx aixcl-deploy --stack aixcl-cdk/logging-only -c project=shop -c grafanaPort=3001 -c lokiPort=3101 -c promtailPort=9081 -c grafanaAdminSecret=SHOP_GRAFANA_PASSWORD --out ${relative(ROOT, out)}`,
    );
    const compose = parse(readFileSync(join(out, 'docker-compose.yml'), 'utf8'));
    const published = (s: string) => compose.services[s].ports.map((p: { published: string }) => p.published);
    assert.deepEqual([published('grafana'), published('loki'), published('promtail')], [['3001'], ['3101'], ['9081']]);
    assert.match(compose.services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD, /^\$\{SHOP_GRAFANA_PASSWORD:\?/);
    // Everything that reaches Loki follows its port.
    assert.equal(parse(readFileSync(join(out, 'promtail', 'promtail-config.yml'), 'utf8')).clients[0].url, 'http://loki:3101/loki/api/v1/push');
    assert.equal(parse(readFileSync(join(out, 'grafana/provisioning/datasources/loki-datasource.yml'), 'utf8')).datasources[0].url, 'http://loki:3101');

    const bad = synthCli([...args.slice(0, -2), '-c', 'promtailPort=90800', '--out', join(tmp(), 'o')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /context promtailPort=90800 is not a port number \(1-65535\)/);
  });

  test("the docs' container names are the ones Compose and aixcl-deploy give (<project>-<service>-1)", async () => {
    const { LoggingOnlyStack, App, Service } = await import('../src/index.js');
    const { containerName } = await import('../src/deploy/labels.js');
    const app = new App();
    const stack = new LoggingOnlyStack(app, 'logging', { targetProject: 'shop' });
    const names = stack.node
      .findAll()
      .filter(Service.isService)
      .map((s) => containerName(stack.projectName, s.serviceName))
      .sort();
    assert.deepEqual(names, ['shop-logging-alloy-1', 'shop-logging-grafana-1', 'shop-logging-loki-1']);
    const docs = ['README.md', 'LOGGING.md'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    // The docs name them with <project> standing for the watched project.
    for (const m of docs.matchAll(/docker logs\s+(<project>(-logging)?-[a-z]+-1)/g)) {
      const real = m[1]!.replace('<project>', 'shop');
      if (m[2]) assert.ok(names.includes(real), `${m[0]}: no such container in a logging-only stack (${names.join(', ')})`);
      else assert.match(real, /^shop-(loki|alloy|promtail|grafana)-1$/);
    }
    assert.match(docs, /docker logs <project>-logging-alloy-1/, "the docs name the logging-only stack's containers");
  });

  test('same stack, same bytes', () => {
    const [a, b] = [join(tmp(), 'a'), join(tmp(), 'b')];
    assert.equal(synthCli(['--stack', fixture('tiny-stack.ts'), '--out', a]).code, 0);
    assert.equal(synthCli(['--stack', fixture('tiny-stack.ts'), '--out', b]).code, 0);
    for (const f of readdirSync(a)) assert.equal(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'), f);
  });

  test("without --out it writes to the App's outdir", () => {
    const dir = tmp();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', fixture('outdir-stack.ts')], {
      encoding: 'utf8',
      env: { ...process.env, AIXCL_TEST_OUTDIR: join(dir, 'build') },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'build', 'docker-compose.yml')));
  });

  const failures: Array<[string, () => string[], RegExp]> = [
    [
      'a stack file that throws',
      () => ['--stack', fixture('throws.ts')],
      /the stack file .*throws\.ts failed to load: database host not configured \(at .*throws\.ts:4/,
    ],
    [
      'a stack file without a default export',
      () => ['--stack', fixture('no-export.ts')],
      /has no default export \(it exports notDefault\): end it with `export default app`/,
    ],
    ['a stack file that does not exist', () => ['--stack', fixture('missing.ts')], /stack file .*missing\.ts not found/],
    [
      'an invalid stack',
      () => ['--stack', fixture('invalid.ts')],
      /1 problem in the stack; nothing was written:\n {2}\[tiny\] host port 8080\/tcp is used by tiny\/a and tiny\/b/,
    ],
    ['a context that is not key=value', () => ['--stack', fixture('function-export.ts'), '-c', 'oops'], /context 'oops' is not key=value/],
    ['a mistyped context value', () => ['-c', 'network=brige'], /context network=brige is not one of host, bridge \(did you mean -c network=bridge\?\)/],
    [
      'an unknown context key',
      () => ['-c', 'projct=x'],
      /unknown context 'projct' \(did you mean -c project=x\?\): this stack file takes -c project=\.\.\., -c network=\.\.\./,
    ],
    [
      'context for a stack file that takes none',
      () => ['--stack', fixture('tiny-stack.ts'), '-c', 'project=x'],
      /does not take context .* so -c project would be ignored/,
    ],
  ];
  for (const [name, args, message] of failures) {
    test(`${name}: one clear message, exit 2, nothing written`, () => {
      const out = join(tmp(), 'out');
      const r = synthCli([...args(), '--out', out]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assertNoTrace(r.stderr);
      assert.equal(existsSync(out), false);
    });
  }

  test('--stack given something that is not a stack file: what it is, and what to give instead', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'stacks'));
    mkdirSync(join(dir, 'empty'));
    for (const f of ['shop.ts', 'notes.md', 'types.d.ts']) writeFileSync(join(dir, 'stacks', f), '');
    const kinds = '.ts, .mts, .cts, .tsx, .js, .mjs, .cjs or .jsx';
    const cases: Array<[string, string]> = [
      ['stacks', 'stacks is a directory, not a stack file: give one of the stack files in it with --stack (stacks/shop.ts)'],
      ['empty', `empty is a directory, not a stack file, and has none in it (${kinds}): give the path of a stack file with --stack`],
      ['stacks/shop.js', 'stack file stacks/shop.js not found: did you mean --stack stacks/shop.ts?'],
      ['stacks/shop', 'stack file stacks/shop not found: did you mean --stack stacks/shop.ts?'],
      ['stacks/shpo.ts', 'stack file stacks/shpo.ts not found: did you mean --stack stacks/shop.ts?'],
      ['other.ts', `stack file other.ts not found: give the path of a stack file (${kinds}) with --stack`],
      ['stacks/notes.md', `stacks/notes.md is not a stack file (${kinds}): give the path of one with --stack`],
      ['stacks/types.d.ts', `stacks/types.d.ts is not a stack file (${kinds}): give the path of one with --stack`],
    ];
    for (const [stack, message] of cases) {
      const r = synthCli(['--stack', stack, '--out', 'out'], dir);
      assert.equal(r.stderr, `error: ${message}\n`, stack);
      assert.equal(r.code, 2, stack);
      assert.equal(existsSync(join(dir, 'out')), false, stack);
    }
  });

  test('an invalid stack leaves an earlier output untouched', () => {
    const out = join(tmp(), 'out');
    assert.equal(synthCli(['--stack', fixture('tiny-stack.ts'), '--out', out]).code, 0);
    const before = readFileSync(join(out, 'docker-compose.yml'), 'utf8');
    assert.equal(synthCli(['--stack', fixture('invalid.ts'), '--out', out]).code, 2);
    assert.equal(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), before);
  });

  test('an output path that is a file', () => {
    const file = join(tmp(), 'taken');
    writeFileSync(file, 'mine');
    const r = synthCli(['--stack', fixture('tiny-stack.ts'), '--out', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the output path .*taken is a file: give a directory with --out/);
    assertNoTrace(r.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'mine');
  });

  test('an output path that cannot be written is one sentence, exit 2, never a crash: empty, a dangling link, /proc', () => {
    const dir = tmp();
    const link = join(dir, 'link');
    symlinkSync(join(dir, 'gone'), link);
    const cases: Array<[string, RegExp]> = [
      ['', /^error: the output path is empty: give a directory with --out \(e\.g\. --out out\)\n$/],
      [link, /^error: the output path .*link is a symbolic link to .*gone, which does not exist: create that directory, or give another --out\n$/],
      [
        '/proc/aixcl-out',
        /^error: cannot write the output directory \/proc\/aixcl-out \(ENOENT: the file system does not let files be created there\): choose a directory you can write with --out\n$/,
      ],
    ];
    for (const [out, message] of cases) {
      const r = synthCli(['--stack', fixture('tiny-stack.ts'), '--out', out], dir);
      assert.equal(r.code, 2, `--out '${out}': ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(readlinkSync(link), join(dir, 'gone'), 'the link is left as it was');
    assert.deepEqual(readdirSync(dir), ['link'], 'nothing written beside it');
  });
});

describe('CLI manners', () => {
  test('`help init` shows the help of init; an unknown command is named, with the nearest one', () => {
    const help = synthCli(['help', 'init']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: aixcl-synth init \[options\] <dir>/);
    const typo = synthCli(['ini', 'x']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /^error: unknown command 'ini' \(did you mean 'init'\?\): the commands are init, help/m);
    assert.doesNotMatch(typo.stderr, /too many arguments/);
    const helpTypo = synthCli(['help', 'innit']);
    assert.equal(helpTypo.code, 2);
    assert.equal(helpTypo.stderr, "error: unknown command 'innit' (did you mean 'init'?): the commands are init, help (aixcl-synth --help)\n");
  });

  test('a command given after options is named, with the command line in the right order', async () => {
    const r = await deployCli(['--json', '--stack', 'a b.ts', 'status'], { cwd: ROOT });
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, "error: 'status' is a command: give it first, then its options (aixcl-deploy status --json --stack 'a b.ts')\n");
    // Each command's help ends with the exit codes; diff offers no option that does nothing in a plan.
    for (const c of ['up', 'diff', 'down', 'status']) {
      const help = await deployCli([c, '--help'], { cwd: ROOT });
      assert.match(help.stdout, /Exit codes: the same in every aixcl CLI\n/, c);
      if (c === 'diff') assert.doesNotMatch(help.stdout, /--wait-timeout|--dry-run/);
    }
  });

  test('aixcl-deploy names an unknown command too', async () => {
    const r = await deployCli(['statsu'], { cwd: tmp() });
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^error: unknown command 'statsu' \(did you mean 'status'\?\): the commands are up, diff, down, status, help/m);
  });

  test('the same failure has the same exit code in every CLI (an invalid stack: 2)', async () => {
    const dir = tmp();
    const synth = synthCli(['--stack', fixture('invalid.ts'), '--out', join(dir, 'a')]);
    const deploy = await deployCli(['diff', '--stack', fixture('invalid.ts'), '--out', join(dir, 'b')], { cwd: dir });
    assert.equal(synth.code, ExitCode.USER_ERROR, synth.stderr);
    assert.equal(deploy.exitCode, ExitCode.USER_ERROR, deploy.stderr);
    for (const r of [synth.stderr, deploy.stderr]) assert.match(r, /1 problem in the stack; nothing was written/);
    // An unknown option too.
    assert.equal(synthCli(['--bogus']).code, ExitCode.USER_ERROR);
    assert.equal((await deployCli(['--bogus'], { cwd: dir })).exitCode, ExitCode.USER_ERROR);
  });

  test('a stack file that calls process.exit() while it loads is the same user error in aixcl-deploy (from sources) and aixcl-logs (bundle)', async () => {
    const dir = tmp();
    // No import of aixcl-cdk: run from sources, the CLI would not find it from a temp directory (and it exits first).
    // An ES module, as `init` makes a project: from sources, tsx runs a CommonJS one from a data: URL, whose frames name no file.
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'exits.ts'), 'if (!process.env.AIXCL_TEST_UNSET) process.exit(1);\nexport default {};\n');
    const message =
      'error: the stack file exits.ts called process.exit(1) while building the stack (at exits.ts:1:44): throw an Error instead, so the CLI can report it\n';
    const deploy = await deployCli(['diff', '--stack', 'exits.ts', '--out', join(dir, 'out')], { cwd: dir });
    assert.equal(deploy.exitCode, ExitCode.USER_ERROR, deploy.stderr);
    assert.ok(deploy.stderr.endsWith(message), deploy.stderr);
    const logs = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-logs.js'), '--stack', 'exits.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(logs.status, ExitCode.USER_ERROR, logs.stderr);
    assert.equal(logs.stderr, message);
  });

  test('the README has the one exit-code table, and each CLI help lists its rows', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.ok(
      readme.includes(exitCodeTable()),
      `README.md lacks the table of src/core/exit-codes.ts (node --import tsx scripts/exit-codes-table.ts):\n${exitCodeTable()}`,
    );
    const help = synthCli(['--help']).stdout;
    assert.ok(help.includes(exitCodeHelp('synth')), help);
    assert.doesNotMatch(exitCodeHelp('synth'), /degraded/, 'synth never ends degraded');
  });

  test('a reader that closes the pipe early (| head) is not a crash', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', fixture('tiny-stack.ts'), '--out', join(tmp(), 'out')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the first line is written
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    const code = await new Promise<number | null>((res) => child.on('close', res));
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|internal error/);
  });

  test('two stacks in one App that share a secret list it once, with the one place to put it', () => {
    const dir = tmp();
    const r = synthCli(['--stack', fixture('two-stacks.ts'), '--out', join(dir, 'out')], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /set: ONE_DB, SHARED_TOKEN, TWO_DB\n/);
    assert.match(
      r.stdout,
      new RegExp(`^  npx aixcl-deploy --stack ${fixture('two-stacks.ts').replace(/[.]/g, '\\.')}\n`, 'm'),
      'the default --out (out) is not repeated',
    );
    assert.match(r.stdout, /docker compose --env-file \.env -f out\/docker-compose\.yml up -d/);
  });
});
