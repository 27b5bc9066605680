// Benchmark of synthesis. Run: npm run bench:synth  (after npm install, which builds dist/)
// Prints a table; numbers go in the README, never in tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Logging, Service, Stack } from '../src/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

function timeCommand(argv: string[]): number[] {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  }
  return times;
}

function stats(ms: number[]): { median: number; min: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0] };
}

function synthOf(services: number): { ms: number[]; heapMiB: number; files: number } {
  const ms: number[] = [];
  let heapMiB = 0;
  let files = 0;
  for (let i = 0; i < RUNS; i++) {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const app = new App();
    const stack = new Stack(app, 'bench');
    for (let n = 0; n < services; n++) {
      new Service(stack, `svc-${n}`, {
        image: 'busybox:1.36',
        ports: [{ containerPort: 20000 + n }],
        metrics: { port: 20000 + n },
      });
    }
    new Logging(stack, 'logging');
    const out = app.synthesize();
    ms.push(performance.now() - t0);
    heapMiB = Math.max(heapMiB, (process.memoryUsage().heapUsed - before) / 2 ** 20);
    files = out[0].files.length;
  }
  return { ms, heapMiB, files };
}

const rows: string[][] = [];
const out = mkdtempSync(join(tmpdir(), 'aixcl-bench-'));
try {
  const bare = stats(timeCommand([process.execPath, '-e', '0']));
  rows.push(['node -e 0 (baseline)', `${bare.median.toFixed(0)}`, `${bare.min.toFixed(0)}`, '', '']);
  const cold = stats(timeCommand([process.execPath, 'bin/aixcl-synth.js', '--quiet', '--out', join(out, 'o')]));
  rows.push(['aixcl-synth, default stack (cold process)', `${cold.median.toFixed(0)}`, `${cold.min.toFixed(0)}`, '', '']);
} finally {
  rmSync(out, { recursive: true, force: true });
}
synthOf(10); // warm up the schema compilers once, as a long-lived process would
for (const n of [10, 100, 1000]) {
  const r = synthOf(n);
  const s = stats(r.ms);
  rows.push([`synthesize ${n} services + logging (in process)`, s.median.toFixed(0), s.min.toFixed(0), r.heapMiB.toFixed(1), String(r.files)]);
}

const header = ['case', 'median ms', 'min ms', 'heap MiB', 'files'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`aixcl-cdk synth benchmark: ${RUNS} runs each, node ${process.version}, ${process.platform}/${process.arch}`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
