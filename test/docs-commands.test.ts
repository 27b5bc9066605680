// The command blocks of the docs are run, and their output compared with what the docs show.
//
// Every ```sh block, and every plain ``` block that shows a command (`$ ...`) or a CLI's output,
// carries a marker comment on the line before it:
//   <!-- docs-test: transcript -->     each `$ command` line is run; the lines after it, up to the
//                                      next `$`, are its output (stdout and stderr), compared exactly
//   <!-- docs-test: run -->            each command line is run and must exit 0
//   <!-- docs-test: output of CMD -->  the block is exactly what CMD prints
//   <!-- docs-test: files of CMD -->   the block is a tree of the files CMD writes into out/
//   <!-- docs-test: skip, WHY -->      not run here, and why (e.g. it deploys the real images)
// A block without a marker fails the test, so a new example cannot go unchecked by accident.
// Commands run in a sandbox inside the package (so `import ... from 'aixcl-cdk'` resolves), with
// `npx aixcl-synth` being this checkout's built CLI; ```ts blocks whose first line is
// `// PATH` are written there first (the README's own stack examples).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT } from './support/cli.js';

const DOCS = ['README.md', 'LOGGING.md', 'MONITORING.md'];

interface Block {
  readonly doc: string;
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  readonly marker?: string;
}

/** The fenced blocks of a Markdown file, with the `docs-test` marker on the line before each. */
function blocksOf(doc: string): Block[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = /^\s*/.exec(lines[i]!)![0].length;
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) j++;
    const marker = /<!-- docs-test: (.*?) -->/.exec(lines[i - 1] ?? '')?.[1];
    out.push({
      doc,
      line: i + 1,
      lang: open[1]!,
      body: lines
        .slice(i + 1, j)
        .map((l) => l.slice(indent))
        .join('\n'),
      ...(marker ? { marker } : {}),
    });
    i = j;
  }
  return out;
}

/** A block that shows commands or a CLI's output (a ```sh block, or a plain one starting with `$ ` or `Usage:`). */
function isCommandBlock(b: Block): boolean {
  return b.lang === 'sh' || b.lang === 'console' || (b.lang === '' && /^(\$ |Usage: |out\/$)/.test(b.body));
}

const all = DOCS.flatMap(blocksOf);

// The sandbox: inside the package, with `npx` running this checkout's CLIs.
const sandbox = mkdtempSync(join(ROOT, 'test', 'fixtures', '.docs-'));
const shims = join(sandbox, '.bin');
mkdirSync(shims);
for (const bin of ['aixcl-synth', 'aixcl-deploy', 'aixcl-logs']) {
  writeFileSync(join(shims, bin), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', `${bin}.js`)}" "$@"\n`);
  chmodSync(join(shims, bin), 0o755);
}
writeFileSync(join(shims, 'npx'), '#!/bin/sh\nexec "$@"\n');
chmodSync(join(shims, 'npx'), 0o755);
for (const b of all) {
  const path = b.lang === 'ts' ? /^\/\/ ([\w./-]+\.ts)\b/.exec(b.body)?.[1] : undefined;
  if (!path) continue;
  mkdirSync(dirname(join(sandbox, path)), { recursive: true });
  writeFileSync(join(sandbox, path), b.body + '\n');
}
after(() => rmSync(sandbox, { recursive: true, force: true }));

function sh(command: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${shims}:${process.env.PATH}`, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync('sh', ['-c', command], { cwd: sandbox, encoding: 'utf8', env });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Output as the docs show it: no trailing blanks, paths of the sandbox as written. */
const normalize = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

/** The files under a directory, as the `out/` tree in the README shows them. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile() && !f.split('/').some((p) => p.startsWith('.')))
    .sort();
}

describe('the command blocks of the docs', () => {
  test('every command block is run or says why not', () => {
    const unmarked = all.filter((b) => isCommandBlock(b) && !b.marker).map((b) => `${b.doc}:${b.line}: ${b.body.split('\n')[0]}`);
    assert.deepEqual(unmarked, [], 'add <!-- docs-test: ... --> before each (see test/docs-commands.test.ts)');
    const reasonless = all.filter((b) => b.marker && /^skip\b/.test(b.marker) && !/^skip, \S/.test(b.marker));
    assert.deepEqual(
      reasonless.map((b) => `${b.doc}:${b.line}`),
      [],
      'a skipped block says why: <!-- docs-test: skip, WHY -->',
    );
    assert.ok(all.filter((b) => b.marker && !b.marker.startsWith('skip')).length >= 4, 'the docs have blocks that run');
  });

  for (const b of all.filter((x) => x.marker && !x.marker.startsWith('skip'))) {
    const where = `${b.doc}:${b.line}`;
    const marker = b.marker!;
    if (b.marker === 'transcript') {
      test(`${where}: the transcript is what the commands print`, () => {
        const steps = b.body.split(/^\$ /m).filter(Boolean);
        for (const step of steps) {
          const [commandLine, ...expected] = step.split('\n');
          const command = commandLine!.replace(/\s+#.*$/, '');
          const r = sh(command);
          assert.equal(normalize(r.out), normalize(expected.join('\n')), `${where}: \`${command}\` printed another output (exit ${r.code})`);
        }
      });
    } else if (b.marker === 'run') {
      test(`${where}: every command runs`, () => {
        for (const line of b.body
          .replace(/\\\n\s*/g, ' ')
          .split('\n')
          .filter((l) => l.trim() && !l.trim().startsWith('#'))) {
          const r = sh(line);
          assert.equal(r.code, 0, `${where}: \`${line}\` exited ${r.code}:\n${r.out}`);
        }
      });
    } else if (marker.startsWith('output of ')) {
      const command = marker.slice('output of '.length);
      test(`${where}: the block is what \`${command}\` prints`, () => {
        const r = sh(command);
        assert.equal(r.code, 0, r.out);
        assert.equal(normalize(b.body), normalize(r.out));
      });
    } else if (marker.startsWith('files of ')) {
      const command = marker.slice('files of '.length);
      test(`${where}: the tree lists the files \`${command}\` writes`, () => {
        const out = mkdtempSync(join(sandbox, 'files-'));
        const r = sh(`${command} --out ${relative(sandbox, out)}/out`);
        assert.equal(r.code, 0, r.out);
        // `├── path   (comment)` lines: the paths.
        const shown = [...b.body.matchAll(/[├└]── (\S+)/g)].map((m) => m[1]!).sort();
        assert.deepEqual(shown, filesUnder(join(out, 'out')));
      });
    } else {
      test(`${where}: a known marker`, () => assert.fail(`unknown docs-test marker '${b.marker}'`));
    }
  }

  test('a transcript that differs from the real output fails (the comparison can fail)', () => {
    assert.notEqual(normalize(sh('npx aixcl-synth --stack nowhere.ts').out), normalize('error: something else'));
    assert.match(sh('npx aixcl-synth --stack nowhere.ts').out, /stack file nowhere\.ts not found/);
  });
});
