import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, synthCli } from './support/cli.js';
import { tempDir } from './support/temp.js';

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  // The scaffold's own `node --test` must not think it is a child of this test run.
  const { NODE_TEST_CONTEXT: _, ...clean } = env;
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: clean });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('aixcl-synth init', () => {
  test('scaffolds a project that installs, synthesizes and passes its own test as generated', () => {
    const dir = join(tempDir('init'), 'my-stack');
    const r = synthCli(['init', dir]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of ['package.json', 'tsconfig.json', 'stack.ts', 'test/stack.test.ts', '.gitignore', 'README.md']) {
      assert.ok(existsSync(join(dir, f)), `${f} missing`);
    }
    assert.match(readFileSync(join(dir, 'stack.ts'), 'utf8'), /new Stack\(app, 'my-stack'/);

    // The dependency on aixcl-cdk is a tarball inside the project, not a path of this machine.
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    assert.match(pkg.dependencies['aixcl-cdk'], /^file:vendor\/aixcl-cdk-[\d.]+\.tgz$/);
    assert.ok(existsSync(join(dir, pkg.dependencies['aixcl-cdk'].slice('file:'.length))), 'the tarball is in the project');
    assert.ok(pkg.devDependencies.typescript, 'typescript is a devDependency');
    assert.deepEqual(pkg.aixcl, { stack: 'stack.ts' });
    for (const f of ['package.json', 'README.md', 'stack.ts', 'tsconfig.json', 'test/stack.test.ts']) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.ok(!text.includes(ROOT), `${f} names this machine's path ${ROOT}`);
      // The package is not on the npm registry: no link to a registry page that does not exist.
      assert.doesNotMatch(text, /npmjs\.(com|org)/, f);
    }

    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir);
    assert.equal(install.code, 0, install.out);
    const synth = run('npm', ['run', 'synth'], dir);
    assert.equal(synth.code, 0, synth.out);
    assert.match(readFileSync(join(dir, 'out', 'alloy', 'config.alloy'), 'utf8'), /com\.docker\.compose\.project=my-stack/);
    // Found from package.json, and said so.
    assert.match(synth.out, /Synthesized stack\.ts \("aixcl\.stack" of package\.json\) into out\//);

    // A bare `npx aixcl-synth`, also from a subdirectory, finds the project's stack (not the package's AIXCL stack).
    const bare = run('npx', ['aixcl-synth', '--out', join(dir, 'out-bare')], join(dir, 'test'));
    assert.equal(bare.code, 0, bare.out);
    assert.match(bare.out, /Synthesized \.\.\/stack\.ts \("aixcl\.stack" of \.\.\/package\.json\)/);
    assert.match(readFileSync(join(dir, 'out-bare', 'docker-compose.yml'), 'utf8'), /^name: my-stack$/m);
    // Without --out, from the subdirectory too, the output is the project's out/ (not test/out/).
    const fromSub = run('npx', ['aixcl-synth'], join(dir, 'test'));
    assert.equal(fromSub.code, 0, fromSub.out);
    assert.match(fromSub.out, /into \.\.\/out\/:\n/);
    assert.ok(!existsSync(join(dir, 'test', 'out')), 'nothing written under test/');
    // The secrets hint names each secret of the project once, and the one place for them.
    assert.match(bare.out, /set: GRAFANA_ADMIN_PASSWORD\n/);
    assert.match(bare.out, /docker compose --env-file \.env -f \.\.\/out-bare\/docker-compose\.yml up -d/);
    // So does aixcl-deploy: `up` stops at the project's only secret, before connecting to any daemon.
    const deploy = run('npx', ['aixcl-deploy', '--out', join(dir, 'out-bare')], dir, {
      ...process.env,
      GRAFANA_ADMIN_PASSWORD: '',
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    assert.equal(deploy.code, 2, deploy.out);
    assert.match(deploy.out, /a required variable is not set; nothing was changed/);
    assert.match(deploy.out, /synthesizing stack\.ts \("aixcl\.stack" of package\.json\)/);
    assert.match(deploy.out, /GRAFANA_ADMIN_PASSWORD/);
    assert.doesNotMatch(deploy.out, /POSTGRES_PASSWORD|WEBUI_SECRET_KEY/);

    // The package's built-in stacks are named aixcl-cdk/NAME.
    const logging = run('npx', ['aixcl-synth', '--stack', 'aixcl-cdk/logging-only', '-c', 'project=my-stack', '--out', join(dir, 'out-logging')], dir);
    assert.equal(logging.code, 0, logging.out);
    assert.match(readFileSync(join(dir, 'out-logging', 'docker-compose.yml'), 'utf8'), /^name: my-stack-logging$/m);

    // A typo in a prop is a type error: synth and test fail, and out/ is left as it was.
    const stackFile = join(dir, 'stack.ts');
    const good = readFileSync(stackFile, 'utf8');
    const before = readFileSync(join(dir, 'out', 'docker-compose.yml'), 'utf8');
    writeFileSync(
      stackFile,
      good
        .replace('import { App,', 'import { App, Duration,')
        .replace("new Logging(stack, 'logging');", "new Logging(stack, 'logging', { retension: Duration.days(3) });"),
    );
    const typo = run('npm', ['run', 'synth'], dir);
    assert.notEqual(typo.code, 0, typo.out);
    assert.match(typo.out, /stack\.ts\(\d+,\d+\): error TS2561: .*'retension'.*Did you mean to write 'retention'\?/);
    assert.equal(readFileSync(join(dir, 'out', 'docker-compose.yml'), 'utf8'), before);
    const typoTest = run('npm', ['test'], dir);
    assert.notEqual(typoTest.code, 0);
    assert.match(typoTest.out, /error TS2561/);
    writeFileSync(stackFile, good);

    // First run writes the snapshot (as a developer's first `npm test` does), outside CI.
    const env = { ...process.env };
    delete env.CI;
    const first = run('npm', ['test'], dir, env);
    assert.equal(first.code, 0, first.out);
    assert.ok(existsSync(join(dir, 'test', '__snapshots__', 'stack.snap')));
    // Then, as in CI, the snapshot must match.
    // (Type-checked above: the rest runs the tests alone, to spare a few cold tsc runs.)
    const second = run('node', ['--import', 'tsx', '--test', 'test/stack.test.ts'], dir, { ...process.env, CI: 'true' });
    assert.equal(second.code, 0, second.out);
    // The test runner's summary: TAP ("# pass 2") on Node 20 in a pipe, spec ("ℹ pass 2") on Node 24.
    assert.match(second.out, /^(?:# |ℹ )pass 2$/m);

    // A change to the stack is caught by the snapshot.
    writeFileSync(stackFile, readFileSync(stackFile, 'utf8').replace('hostPort: 8088', 'hostPort: 8089'));
    const third = run('node', ['--import', 'tsx', '--test', 'test/stack.test.ts'], dir, { ...process.env, CI: 'true' });
    assert.notEqual(third.code, 0);
    assert.match(third.out, /docker-compose\.yml differ/);
  });

  test('refuses a path that is a file, without a stack trace', () => {
    const file = join(tempDir('init'), 'f');
    writeFileSync(file, 'mine');
    const r = synthCli(['init', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is a file: give a new directory to init/);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });

  test('refuses a directory that is not empty', () => {
    const dir = tempDir('init');
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'keep.txt'), 'mine');
    const r = synthCli(['init', join(dir, 'x')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exists and is not empty: give a new directory to init/);
    assert.equal(readFileSync(join(dir, 'x', 'keep.txt'), 'utf8'), 'mine');
  });
});
