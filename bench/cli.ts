// Start-up benchmark of the CLIs. Run: npm run bench:cli  (after npm install, which builds dist/)
// Each case is a new process (a cold start), timed from spawn to exit; the
// runs of all cases are interleaved so that a busy machine slows them alike.
// Prints the median of BENCH_RUNS runs (default 9) and each case's ratio to
// `node -e 0` in the same run. Numbers go in the README, never in tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'aixcl-bench-cli-'));

// A user's project: aixcl-cdk installed (linked to this checkout), a TypeScript
// stack file importing 'aixcl-cdk' and a second file of its own.
const userDir = join(tmp, 'user');
writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
mkdirSync(join(tmp, 'node_modules'), { recursive: true });
symlinkSync(root, join(tmp, 'node_modules', 'aixcl-cdk'));
mkdirSync(userDir);
writeFileSync(
  join(userDir, 'services.ts'),
  `import { Service, type Stack } from 'aixcl-cdk';
export function web(stack: Stack): Service {
  return new Service(stack, 'web', { image: 'nginx:1.27', ports: [{ containerPort: 8080 }] });
}
`,
);
writeFileSync(
  join(userDir, 'user.ts'),
  `import { App, Logging, Stack } from 'aixcl-cdk';
import { web } from './services.ts';
const app = new App();
const stack = new Stack(app, 'shop');
web(stack);
new Logging(stack, 'logging');
export default app;
`,
);

interface Case {
  readonly name: string;
  readonly argv: readonly string[];
  readonly target?: number;
}
const bin = (b: string) => join(root, 'bin', b);
const cases: Case[] = [
  { name: 'node -e 0 (baseline)', argv: [process.execPath, '-e', '0'] },
  { name: 'aixcl-synth (default stack)', argv: [process.execPath, bin('aixcl-synth.js'), '--quiet', '--out', join(tmp, 'out-default')], target: 1.5 },
  {
    name: 'aixcl-synth --stack user.ts',
    argv: [process.execPath, bin('aixcl-synth.js'), '--quiet', '--stack', join(userDir, 'user.ts'), '--out', join(tmp, 'out-user')],
    target: 2,
  },
  { name: 'aixcl-logs --help', argv: [process.execPath, bin('aixcl-logs.js'), '--help'], target: 1.5 },
  { name: 'aixcl-synth --help', argv: [process.execPath, bin('aixcl-synth.js'), '--help'] },
  { name: 'aixcl-deploy --help', argv: [process.execPath, bin('aixcl-deploy.js'), '--help'] },
];

const times = cases.map(() => [] as number[]);
try {
  for (let i = 0; i < RUNS; i++) {
    cases.forEach((c, k) => {
      const t0 = performance.now();
      const r = spawnSync(c.argv[0], c.argv.slice(1), { cwd: tmp, encoding: 'utf8' });
      times[k].push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`${c.name} failed (${r.status}): ${r.stderr}`);
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times[0]);
const rows = cases.map((c, k) => {
  const m = median(times[k]);
  const ratio = m / base;
  return [
    c.name,
    m.toFixed(0),
    Math.min(...times[k]).toFixed(0),
    `${ratio.toFixed(2)}x`,
    c.target ? `<= ${c.target}x ${ratio <= c.target ? 'met' : 'NOT met'}` : '',
  ];
});
const header = ['case', 'median ms', 'min ms', 'ratio', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`aixcl-cdk CLI start-up: median of ${RUNS} cold runs each, interleaved; node ${process.version}, ${process.platform}/${process.arch}`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
