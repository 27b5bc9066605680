/**
 * How the bundled CLIs load a user's stack file without tsx's loader hooks
 * (src/cli/import-stack-file.ts): relative imports between the user's own
 * .ts files, import.meta of each file, the same constructs as the CLI's, a
 * package of the user's own resolved from the stack's directory, and errors
 * that point into the user's .ts file.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, synthCli } from './support/cli.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aixcl-stack-import-'));
  mkdirSync(join(dir, 'lib'));
  mkdirSync(join(dir, 'node_modules', 'my-names'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'my-names', 'package.json'), '{"name":"my-names","type":"module","exports":"./index.js"}\n');
  writeFileSync(join(dir, 'node_modules', 'my-names', 'index.js'), "export const serviceName = 'api';\n");
  writeFileSync(join(dir, 'image.txt'), 'nginx:1.27\n');
  writeFileSync(
    join(dir, 'lib', 'web.ts'),
    `import { readFileSync } from 'node:fs';
import { Service, type Stack } from 'aixcl-cdk';
import { serviceName } from 'my-names';
// import.meta.url is this file's, so a file beside the stack is found.
const image = readFileSync(new URL('../image.txt', import.meta.url), 'utf8').trim();
export function web(stack: Stack): Service {
  return new Service(stack, serviceName, { image, ports: [{ containerPort: 8080 }] });
}
`,
  );
  writeFileSync(
    join(dir, 'stack.ts'),
    `import { App, Stack } from 'aixcl-cdk';
import { Construct } from 'constructs';
import { web } from './lib/web.ts';
const app = new App();
// One copy of constructs: the user's import is the CLI's own.
if (!(app instanceof Construct)) throw new Error('the stack got a second copy of constructs');
const stack = new Stack(app, 'shop');
web(stack);
export default app;
`,
  );
  writeFileSync(join(dir, 'lib', 'timing.ts'), "import { Duration } from 'aixcl-cdk';\nexport const every = (text: string) => Duration.parse(text);\n");
  writeFileSync(
    join(dir, 'timed.ts'),
    "import { App } from 'aixcl-cdk';\nimport { every } from './lib/timing.ts';\nevery('5 minutes');\nexport default new App();\n",
  );
  writeFileSync(join(dir, 'broken.ts'), "import { App } from 'aixcl-cdk';\nconst app = new App(;\nexport default app;\n");
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('relative imports, import.meta.url, packages from the stack directory, one copy of constructs', () => {
  const out = join(dir, 'out');
  const r = synthCli(['--stack', join(dir, 'stack.ts'), '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const compose = readFileSync(join(out, 'docker-compose.yml'), 'utf8');
  assert.match(compose, /^ {2}api:\n {4}image: nginx:1\.27$/m);
});

test('.mts and .mjs stack files load', () => {
  const code =
    "import { App, Service, Stack } from 'aixcl-cdk';\nconst app = new App();\nnew Service(new Stack(app, 'NAME'), 'api', { image: 'nginx:1.27' });\nexport default app;\n";
  for (const ext of ['mts', 'mjs']) {
    writeFileSync(join(dir, `stack-${ext}.${ext}`), code.replace('NAME', ext));
    const out = join(dir, `out-${ext}`);
    const r = synthCli(['--stack', `stack-${ext}.${ext}`, '--out', out, '--quiet'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(join(out, 'docker-compose.yml'), 'utf8'), new RegExp(`^name: ${ext}$`, 'm'));
  }
});

test('an export that is not a stack is named: a function that returned a Service, a Promise', () => {
  const cases: Array<[string, string, string]> = [
    [
      'returns-service.ts',
      "import { App, Service, Stack } from 'aixcl-cdk';\nexport default () => new Service(new Stack(new App(), 'shop'), 'api', { image: 'nginx:1.27' });\n",
      'does not export a stack; its default export is a function that returned a Service (shop/api): return its App or Stack instead',
    ],
    [
      'promise.ts',
      "import { App } from 'aixcl-cdk';\nexport default (async () => new App())();\n",
      'does not export a stack; its default export is a Promise: await it (`export default await ...`), or export the async function itself',
    ],
  ];
  for (const [file, code, message] of cases) {
    writeFileSync(join(dir, file), code);
    const r = synthCli(['--stack', file, '--out', join(dir, 'out-export')], dir);
    assert.equal(r.stderr, `error: the stack file ${file} ${message}\n`);
    assert.equal(r.code, 2);
  }
});

test('a syntax error names the file, line and column, without a stack trace', () => {
  const r = synthCli(['--stack', join(dir, 'broken.ts'), '--out', join(dir, 'out2')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: the stack file .*broken\.ts has a syntax error: .*broken\.ts:2:\d+: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test("the library's own refusal names the line of the user's file that called it, in a file the stack imports too", () => {
  const r = synthCli(['--stack', 'timed.ts', '--out', join(dir, 'out3')], dir);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr,
    "error: the stack file timed.ts failed to load: '5 minutes' is not a duration; write it like 30s, 15m, 24h or 7d (at lib/timing.ts:2:49)\n",
  );
});

describe('a stack file that calls process.exit() or throws in a callback while it loads', () => {
  /** Writes `name` in the test directory and runs aixcl-synth on it with a temp directory of its own, so what it leaves there shows. */
  function synthWithOwnTmp(name: string, code: string) {
    writeFileSync(join(dir, name), code);
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const out = join(dir, `out-${name}`);
    const r = synthCli(['--stack', name, '--out', out], dir, { TMPDIR: tmp });
    return { ...r, leftInTmp: readdirSync(tmp), wrote: existsSync(out) };
  }
  const head = "import { App, Service, Stack } from 'aixcl-cdk';\n";
  const cases: Array<[string, string, string, string]> = [
    [
      'at the top level',
      'exit-top.ts',
      `${head}if (!process.env.AIXCL_TEST_UNSET) { console.error('set SHOP_ENV'); process.exit(1); }\nexport default new App();\n`,
      'set SHOP_ENV\nerror: the stack file exit-top.ts called process.exit(1) while building the stack (at exit-top.ts:2:77): throw an Error instead, so the CLI can report it\n',
    ],
    [
      'in the exported function, after an await, its throw caught by the stack file',
      'exit-caught.ts',
      `${head}export default async function () {\n  await Promise.resolve();\n  try { process.exit(); } catch {}\n  return new App();\n}\n`,
      'error: the stack file exit-caught.ts called process.exit() while building the stack (at exit-caught.ts:4:17): throw an Error instead, so the CLI can report it\n',
    ],
    [
      'in a timer',
      'exit-timer.js',
      `${head}await new Promise(() => setTimeout(() => process.exit(3), 5));\nexport default new App();\n`,
      'error: the stack file exit-timer.js called process.exit(3) while building the stack (at exit-timer.js:2:50): throw an Error instead, so the CLI can report it\n',
    ],
    [
      'an Error thrown in a timer',
      'throw-timer.ts',
      `${head}await new Promise(() => setTimeout(() => { throw new Error('no config'); }, 5));\nexport default new App();\n`,
      'error: the stack file throw-timer.ts failed to load: no config (at throw-timer.ts:2:50)\n',
    ],
  ];
  for (const [name, file, code, stderr] of cases) {
    test(`${name}: one message with the line, exit 2, nothing written, no compiled copy left`, () => {
      const r = synthWithOwnTmp(file, code);
      assert.equal(r.stderr, stderr);
      assert.equal(r.code, 2);
      assert.equal(r.wrote, false);
      assert.deepEqual(r.leftInTmp, []);
    });
  }

  test('a process.exit() a good stack file schedules for later does not decide the result: the CLI ends when its work is done', () => {
    const r = synthWithOwnTmp(
      'exit-later.ts',
      `${head}setTimeout(() => process.exit(5), 500);\nconst app = new App();\nnew Service(new Stack(app, 'shop'), 'api', { image: 'nginx:1.27' });\nexport default app;\n`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.wrote, true);
    assert.deepEqual(r.leftInTmp, []);
  });

  test("a path into this package's bundle is the CLI's own copy, not compiled into the stack file again", () => {
    const bundle = JSON.stringify(join(ROOT, 'dist', 'bundle', 'aixcl-cdk.js'));
    const r = synthWithOwnTmp(
      'bundle-path.mjs',
      `import { App, Service, Stack } from ${bundle};\nconst app = new App();\nnew Service(new Stack(app, 'shop'), 'api', { image: 'nginx:1.27' });\nexport default app;\n`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.wrote, true);
  });

  test("a stack file's process.chdir() is undone: --out is from where the CLI was run", () => {
    const elsewhere = mkdtempSync(join(dir, 'elsewhere-'));
    writeFileSync(
      join(dir, 'chdir.mjs'),
      `${head}process.chdir(${JSON.stringify(elsewhere)});\nconst app = new App();\nnew Service(new Stack(app, 'shop'), 'api', { image: 'nginx:1.27' });\nexport default app;\n`,
    );
    const r = synthCli(['--stack', 'chdir.mjs', '--out', 'out-chdir', '--quiet'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'out-chdir', 'docker-compose.yml')));
    assert.deepEqual(readdirSync(elsewhere), []);
  });

  test('an interval or a later timer a stack file leaves behind neither keeps the CLI alive nor prints a trace after the result', () => {
    writeFileSync(
      join(dir, 'left-running.ts'),
      `${head}setInterval(() => {}, 1000);\nsetTimeout(() => { throw new Error('late'); }, 300);\nconst app = new App();\nnew Service(new Stack(app, 'shop'), 'api', { image: 'nginx:1.27' });\nexport default app;\n`,
    );
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', 'left-running.ts', '--out', join(dir, 'out-left-running')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.signal, null, 'ended by itself, not by the timeout');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /Synthesized left-running\.ts/);
  });

  test('loads that overlap run one after another, and process.exit is given back after both', async () => {
    const { loadApp } = await import('../src/cli/load-stack.js');
    const exit = process.exit;
    // The first one started ends first: each restoring what it saw at its start would leave the second's patch.
    const src = JSON.stringify(join(ROOT, 'src', 'index.ts'));
    writeFileSync(
      join(dir, 'overlap-slow.mts'),
      `import { App, Service, Stack } from ${src};\nawait new Promise((r) => setTimeout(r, 200));\nconst app = new App();\nnew Service(new Stack(app, 'slow'), 'api', { image: 'nginx:1.27' });\nexport default app;\n`,
    );
    const results = await Promise.allSettled([
      loadApp(join(ROOT, 'test', 'fixtures', 'tiny-stack.ts')),
      loadApp(join(dir, 'overlap-slow.mts')),
      loadApp(join(ROOT, 'test', 'fixtures', 'throws.ts')),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'rejected' ? String(r.reason).split(':')[0] : r.status)),
      ['fulfilled', 'fulfilled', 'UserError'],
    );
    assert.equal(process.exit, exit);
  });

  test('Ctrl-C while it loads ends the CLI by SIGINT, and its compiled copy is removed', async () => {
    writeFileSync(join(dir, 'slow.ts'), `${head}console.log('loading');\nawait new Promise((r) => setTimeout(r, 60_000));\nexport default new App();\n`);
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), '--stack', 'slow.ts', '--out', join(dir, 'out-slow')], {
      cwd: dir,
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((res) => child.stdout.on('data', (b: Buffer) => b.toString().includes('loading') && res()));
    assert.equal(readdirSync(tmp).filter((f) => f.startsWith('aixcl-stack-')).length, 1, 'the compiled copy exists while it loads');
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
    assert.deepEqual([code, signal], [null, 'SIGINT']);
    assert.deepEqual(readdirSync(tmp), []);
  });
});

describe('CommonJS stack files (npm\'s default: a package.json without "type", or .cjs, .cts)', () => {
  let cjs: string;
  before(() => {
    cjs = mkdtempSync(join(dir, 'commonjs-'));
    writeFileSync(join(cjs, 'package.json'), '{ "name": "shop" }\n');
    mkdirSync(join(cjs, 'lib'));
    mkdirSync(join(cjs, 'node_modules', 'shop-ports'), { recursive: true });
    writeFileSync(join(cjs, 'node_modules', 'shop-ports', 'package.json'), '{ "name": "shop-ports", "main": "index.js" }\n');
    writeFileSync(join(cjs, 'node_modules', 'shop-ports', 'index.js'), 'exports.api = 8080;\n');
    writeFileSync(join(cjs, 'image.txt'), 'nginx:1.27\n');
    writeFileSync(
      join(cjs, 'lib', 'web.js'),
      `const { readFileSync } = require('fs');
const path = require('node:path');
const { Service } = require('aixcl-cdk');
// __dirname is this file's directory, as Node gives it to a CommonJS module.
const image = readFileSync(path.join(__dirname, '..', 'image.txt'), 'utf8').trim();
module.exports = (stack) => new Service(stack, 'api', { image, ports: [{ containerPort: require('shop-ports').api }] });
`,
    );
    writeFileSync(
      join(cjs, 'stack.js'),
      `const { App, Stack } = require('aixcl-cdk');
const { Construct } = require('constructs');
const web = require('./lib/web');
const app = new App();
// One copy of constructs and of aixcl-cdk: the required ones are the CLI's own.
if (!(app instanceof Construct)) throw new Error('the stack got a second copy of constructs');
web(new Stack(app, 'shop'));
module.exports = app;
`,
    );
    writeFileSync(
      join(cjs, 'by-context.cjs'),
      `const { App, Service, Stack } = require('aixcl-cdk');
exports.default = ({ context }) => {
  const app = new App();
  new Service(new Stack(app, context.project), 'api', { image: 'nginx:1.27' });
  return app;
};
`,
    );
    writeFileSync(
      join(cjs, 'stack.cts'),
      `import aixcl = require('aixcl-cdk');
const app = new aixcl.App();
new aixcl.Service(new aixcl.Stack(app, 'typed'), 'api', { image: 'nginx:1.27' });
export = app;
`,
    );
    writeFileSync(join(cjs, 'throws.js'), "const { Duration } = require('aixcl-cdk');\n\nDuration.parse('5 minutes');\n");
    mkdirSync(join(cjs, 'esm'));
    writeFileSync(join(cjs, 'esm', 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(cjs, 'esm', 'stack.js'), "const { App } = require('aixcl-cdk');\nmodule.exports = new App();\n");
  });

  const compose = (out: string) => readFileSync(join(out, 'docker-compose.yml'), 'utf8');

  test("require() of aixcl-cdk and constructs gets the CLI's copy; relative files, packages, built-ins and __dirname work; module.exports is the export", () => {
    const out = join(cjs, 'out');
    const r = synthCli(['--stack', 'stack.js', '--out', out, '--quiet'], cjs);
    assert.equal(r.code, 0, r.stderr);
    assert.match(compose(out), /^name: shop$/m);
    assert.match(compose(out), /^ {2}api:\n {4}image: nginx:1\.27$/m);
    assert.match(compose(out), /published: "8080"/);
  });

  test('.cjs with exports.default = function, given the -c context', () => {
    const out = join(cjs, 'out-cjs');
    const r = synthCli(['--stack', 'by-context.cjs', '--out', out, '--quiet', '-c', 'project=from-cjs'], cjs);
    assert.equal(r.code, 0, r.stderr);
    assert.match(compose(out), /^name: from-cjs$/m);
  });

  test('.cts with import = require() and export =', () => {
    const out = join(cjs, 'out-cts');
    const r = synthCli(['--stack', 'stack.cts', '--out', out, '--quiet'], cjs);
    assert.equal(r.code, 0, r.stderr);
    assert.match(compose(out), /^name: typed$/m);
  });

  test("an error names the CommonJS file's own line", () => {
    const r = synthCli(['--stack', 'throws.js', '--out', join(cjs, 'out-throws')], cjs);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "error: the stack file throws.js failed to load: '5 minutes' is not a duration; write it like 30s, 15m, 24h or 7d (at throws.js:3:10)\n",
    );
  });

  test('a CommonJS file that exports no stack is told to end with module.exports = app, naming what it exports', () => {
    writeFileSync(join(cjs, 'named.js'), "const { App } = require('aixcl-cdk');\nexports.app = new App();\n");
    const r = synthCli(['--stack', 'named.js', '--out', join(cjs, 'out-named')], cjs);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: the stack file named.js does not export a stack; module.exports is an object with app: end it with `module.exports = app` (an App or a Stack, or a function returning one)\n',
    );
  });

  test('module.exports in an ES module ("type": "module") is refused at its line, with both ways out', () => {
    const r = synthCli(['--stack', 'esm/stack.js', '--out', join(cjs, 'out-esm')], cjs);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: the stack file esm/stack.js failed to load: esm/stack.js:2:1: module is not defined in an ES module: write `export default app`, or rename the file to .cjs\n',
    );
  });
});

describe('a name the imported package does not export', () => {
  const cases: Array<[string, string, string]> = [
    [
      'constructs, in an import over several lines',
      "import { App } from 'aixcl-cdk';\nimport {\n  Construct,\n  Construkt,\n} from 'constructs';\nconsole.log(Construct, Construkt);\nexport default new App();\n",
      "constructs has no export 'Construkt'; did you mean 'Construct'? (at NAME:4:3)",
    ],
    [
      'aixcl-cdk/deploy',
      "import { App } from 'aixcl-cdk';\nimport { deployUpp } from 'aixcl-cdk/deploy';\nconsole.log(deployUpp);\nexport default new App();\n",
      "aixcl-cdk/deploy has no export 'deployUpp'; did you mean 'deployUp'? (at NAME:2:10)",
    ],
    [
      'a default import',
      "import aixcl from 'aixcl-cdk';\nexport default new aixcl.App();\n",
      "aixcl-cdk has no default export: import the names you use, e.g. import { App } from 'aixcl-cdk' (at NAME:1:8)",
    ],
    [
      'a name like none of its exports',
      "import { App, Frobnicate } from 'aixcl-cdk';\nexport default new Frobnicate(new App());\n",
      "aixcl-cdk has no export 'Frobnicate' (at NAME:1:15)",
    ],
  ];
  for (const [name, code, message] of cases) {
    test(`${name}: the package's name, the line, the nearest name`, () => {
      const file = `missing-export-${name.replace(/\W+/g, '-')}.ts`;
      writeFileSync(join(dir, file), code);
      const r = synthCli(['--stack', file, '--out', join(dir, 'out-missing')], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `error: the stack file ${file} failed to load: ${message.replace('NAME', file)}\n`);
    });
  }
});
