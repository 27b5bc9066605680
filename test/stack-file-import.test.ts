/**
 * How the bundled CLIs load a user's stack file without tsx's loader hooks
 * (src/cli/import-stack-file.ts): relative imports between the user's own
 * .ts files, import.meta of each file, the same constructs as the CLI's, a
 * package of the user's own resolved from the stack's directory, and errors
 * that point into the user's .ts file.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { synthCli } from './support/cli.js';

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
  writeFileSync(join(dir, 'timed.ts'), "import { App } from 'aixcl-cdk';\nimport { every } from './lib/timing.ts';\nevery('5 minutes');\nexport default new App();\n");
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

test('a syntax error names the file, line and column, without a stack trace', () => {
  const r = synthCli(['--stack', join(dir, 'broken.ts'), '--out', join(dir, 'out2')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: the stack file .*broken\.ts has a syntax error: .*broken\.ts:2:\d+: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test("the library's own refusal names the line of the user's file that called it, in a file the stack imports too", () => {
  const r = synthCli(['--stack', 'timed.ts', '--out', join(dir, 'out3')], dir);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "error: the stack file timed.ts failed to load: '5 minutes' is not a duration; write it like 30s, 15m, 24h or 7d (at lib/timing.ts:2:49)\n");
});
