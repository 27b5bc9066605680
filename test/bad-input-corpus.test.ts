// Every mistake of the corpus (test/bad-input/), run through the CLI as a user runs it:
// `aixcl-synth --stack FILE --out DIR` over a good output directory. Each must exit 2 with exactly
// the expected `[path] message` lines, print no stack trace, and leave the directory byte-identical.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLASSES, corpusCases, expectedStderr, mistakesSection } from './support/bad-input-corpus.js';
import { ROOT, synthCli } from './support/cli.js';

const CASES = corpusCases();
const work = mkdtempSync(join(tmpdir(), 'aixcl-bad-input-'));
const good = join(work, 'good');

/** Every file under `dir` with its bytes and mtime. */
function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number }> {
  const out = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), { bytes: readFileSync(p).toString('base64'), mtimeMs: statSync(p).mtimeMs });
    }
  };
  walk(dir);
  return out;
}

function runSynth(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'aixcl-synth.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

before(() => {
  const r = synthCli(['--stack', 'test/fixtures/tiny-stack.ts', '--out', good, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(join(good, '.env'), 'KEPT=1\n'); // a file of the user's, which must stay too
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('the corpus of mistakes', () => {
  test(`has at least 60 cases (${CASES.length}), .ts and .js`, () => {
    assert.ok(CASES.length >= 60, `${CASES.length} cases`);
    assert.ok(CASES.some((c) => c.file.endsWith('.js')) && CASES.some((c) => c.file.endsWith('.ts')));
  });

  test('every class of the corpus is described (README words and example)', () => {
    assert.deepEqual([...new Set(CASES.map((c) => c.klass))].sort(), Object.keys(CLASSES).sort());
  });

  test('the README\'s "Mistakes it catches" is the corpus (node --import tsx scripts/mistakes-section.ts prints it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const heading = '### Mistakes it catches\n\n';
    assert.ok(readme.includes(heading), 'README has no "Mistakes it catches" section');
    const body = readme.slice(readme.indexOf(heading) + heading.length);
    const section = mistakesSection(CASES);
    assert.equal(body.slice(0, section.length), section);
  });

  test("the README's validation example is what the CLI prints for validation/readme-example.ts", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /\$ npx aixcl-synth --stack stacks\/bad\.ts[^\n]*\n([\s\S]*?)```/.exec(readme)?.[1];
    const example = CASES.find((c) => c.name === 'validation/readme-example.ts');
    assert.ok(block && example);
    assert.equal(block, expectedStderr(example.errors));
  });

  // Each case is its own process, as a user runs it; two at a time to keep the suite's time down.
  describe('each mistake: exit 2, exactly its message, no trace, output untouched', { concurrency: 2 }, () => {
    for (const c of CASES) {
      test(`${c.name}: ${c.mistake}`, async () => {
        const dir = join(work, c.name.replace(/[/.]/g, '_'));
        mkdirSync(dir);
        const out = join(dir, 'out');
        cpSync(good, out, { recursive: true, preserveTimestamps: true });
        const before = snapshot(out);
        let outArg = out;
        if (c.out === 'below-a-file') {
          writeFileSync(join(dir, 'file'), 'mine');
          outArg = join(dir, 'file', 'out');
        }
        // As messages show a path: relative when below the working directory (ROOT), else absolute.
        const tmp = relative(ROOT, dir).startsWith('..') ? dir : relative(ROOT, dir);
        const args = c.args.map((a) => a.replaceAll('{tmp}', dir));
        const r = await runSynth(['--stack', c.file, '--out', outArg, ...args]);
        assert.equal(r.code, c.exit, `exit code\n${r.stderr}`);
        assert.doesNotMatch(r.stderr, /^\s+at |internal error/m, 'a stack trace was printed');
        assert.equal(r.stdout, '');
        assert.equal(r.stderr, expectedStderr(c.errors.map((e) => e.replaceAll('{tmp}', tmp))));
        assert.deepEqual(snapshot(out), before, 'the output directory changed');
        if (c.out === 'below-a-file') assert.equal(readFileSync(join(dir, 'file'), 'utf8'), 'mine');
      });
    }
  });
});
