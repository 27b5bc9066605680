// Benchmark of the log pipeline. Run: npm run bench:pipeline  (needs Docker and the REAL Loki and
// Promtail images present locally; no registry is contacted, nothing is pulled)
//
// Measures what issue 7 §5 targets: a NEW container of the project prints 5,000 lines at 500/s;
// for each line, the time from its print to the moment Loki returns it to a query (p50, p99, max,
// lost lines), then the resident memory of Loki and Promtail. Targets: p50 <= 0.5 s, p99 <= 2 s,
// nothing lost, Loki <= 75 MiB, Promtail <= 30 MiB.
//
// Loki and Promtail are the library's own constructs (the same generated configuration as in the
// default stack), deployed as a project of their own with a fresh name and removed at the end,
// volumes included. The writer is a container of that project started once both are ready, so
// Promtail must discover it first, as it would a new service. Each line carries its print time
// (bash's $EPOCHREALTIME, µs); Loki is polled every POLL_MS, which adds up to that much to a
// line's measured latency.
//
//   BENCH_LOKI_IMAGE=grafana/loki:3.6.15   another Loki (default: the library's default image)
//   BENCH_LINES=5000 BENCH_RATE=500        the load
//   BENCH_NETWORK=host                     host networking (default: bridge)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthesis } from '../src/core/output-directory.js';
import { stackDown } from '../src/deploy/down.js';
import { connectEngine, type Engine } from '../src/deploy/engine.js';
import { ComposeLabel } from '../src/deploy/labels.js';
import { targetsFromSynthesis } from '../src/deploy/target.js';
import { deployUp } from '../src/deploy/up.js';
import { App, DEFAULT_LOKI_IMAGE, Loki, NetworkMode, Promtail, PROMTAIL_LAST_VERSION, Stack } from '../src/index.js';
import { uniqueProject } from '../test/support/docker.js';

const LINES = Number(process.env.BENCH_LINES ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const POLL_MS = 100;
const WRITER = 'bench-writer';
const lokiImage = process.env.BENCH_LOKI_IMAGE ?? DEFAULT_LOKI_IMAGE;
const promtailImage = `grafana/promtail:${PROMTAIL_LAST_VERSION}`;
const network = process.env.BENCH_NETWORK === 'host' ? NetworkMode.HOST : NetworkMode.BRIDGE;
const STANDIN_LABEL = 'dev.aixcl.standin';

/** Stops with a sentence, before anything was changed. */
function refuse(why: string): never {
  console.error(`bench/pipeline: ${why}`);
  process.exit(1);
}

let engine: Engine;
try {
  engine = await connectEngine();
} catch (e) {
  refuse(`no Docker Engine reachable (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): this benchmark runs the real Loki and Promtail`);
}
const { docker } = engine;

// Only the real programs tell the truth about latency and memory: refuse missing images and the
// test suite's stand-ins (busybox images tagged with the real names, labelled dev.aixcl.standin).
for (const image of [lokiImage, promtailImage]) {
  const info = await docker
    .getImage(image)
    .inspect()
    .catch(() => undefined);
  if (!info) {
    refuse(
      `the real image ${image} is not available locally, and this benchmark pulls nothing: ` +
        `load it first (docker pull ${image} where a registry is reachable, or docker load -i <file>). No numbers were measured.`,
    );
  }
  if (info.Config?.Labels?.[STANDIN_LABEL] !== undefined) {
    refuse(`${image} here is the test suite's stand-in (label ${STANDIN_LABEL}), not the real program: measuring it would be meaningless. No numbers were measured.`);
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
let lokiPort = 3100;
while (!(await portFree(lokiPort)) || !(await portFree(9080))) {
  if (network === NetworkMode.HOST) refuse('port 3100 or 9080 is in use (a running stack?): stop it, or use the default bridge networking');
  lokiPort++;
  if (lokiPort > 3200) refuse('no free port between 3100 and 3200 for Loki');
}

const project = uniqueProject('aixcl-bench-pipeline');
const app = new App();
const stack = new Stack(app, 'bench', { projectName: project, networkMode: network });
const loki = new Loki(stack, 'loki', { image: lokiImage, port: lokiPort });
new Promtail(stack, 'promtail', { loki });
const work = mkdtempSync(join(tmpdir(), 'aixcl-bench-pipeline-'));
const out = join(work, 'out');
const stacks = app.synthesize();
const [target] = targetsFromSynthesis(stacks, out);
const lokiUrl = `http://127.0.0.1:${lokiPort}`;

/** The writer: prints LINES lines at RATE per second, each with its sequence number and print time in µs. */
function writerScript(): string {
  return [
    'start=${EPOCHREALTIME/./}',
    `for ((i=0; i<${LINES}; i++)); do`,
    '  printf "bench seq=%d printed_us=%s\\n" "$i" "${EPOCHREALTIME/./}"',
    `  if (( i % 25 == 24 )); then`,
    `    due=$(( start + (i + 1) * 1000000 / ${RATE} )); now=\${EPOCHREALTIME/./}`,
    '    if (( due > now )); then d=$(( due - now )); sleep "$(( d / 1000000 )).$(printf %06d $(( d % 1000000 )))"; fi',
    '  fi',
    'done',
  ].join('\n');
}

async function waitReady(url: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready in ${seconds} s`);
}

/** Resident memory (VmRSS) of a container's main process, in MiB. */
async function rssMiB(container: string): Promise<number> {
  const info = await docker.getContainer(container).inspect();
  try {
    const status = readFileSync(`/proc/${info.State.Pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  } catch {
    // A remote engine: the cgroup's usage without the page cache.
    const s = (await docker.getContainer(container).stats({ stream: false })) as { memory_stats: { usage: number; stats?: Record<string, number> } };
    return (s.memory_stats.usage - (s.memory_stats.stats?.inactive_file ?? 0)) / 1024 ** 2;
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

let writerId: string | undefined;
try {
  const up = await deployUp(target, { engine, writeFiles: () => void writeSynthesis(out, stacks) });
  if (up.outcome !== 'ok') throw new Error(`deploy ended ${up.outcome}`);
  await waitReady(`${lokiUrl}/ready`, 120);
  const containers = await docker.listContainers({ filters: { label: [`${ComposeLabel.PROJECT}=${project}`] } });
  const idOf = (svc: string) => containers.find((c) => c.Labels[ComposeLabel.SERVICE] === svc)!.Id;

  // A new container of the project, as Compose labels it: Promtail's discovery finds it on its next refresh.
  const writer = await docker.createContainer({
    Image: promtailImage,
    Entrypoint: ['bash', '-c', writerScript()],
    Labels: { [ComposeLabel.PROJECT]: project, [ComposeLabel.SERVICE]: WRITER, 'com.docker.compose.oneoff': 'False' },
    HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'json-file', Config: {} } },
  });
  writerId = writer.id;
  const startNs = BigInt(Date.now() - 1000) * 1_000_000n;
  await writer.start();

  const seen = new Map<number, number>(); // seq -> latency ms
  let from = startNs;
  let lastNew = Date.now();
  while (seen.size < LINES && Date.now() - lastNew < 30_000) {
    const q = new URLSearchParams({
      query: `{compose_project="${project}", compose_service="${WRITER}"}`,
      start: String(from),
      end: String(BigInt(Date.now() + 1000) * 1_000_000n),
      limit: '5000',
      direction: 'forward',
    });
    const now = Date.now();
    const res = await fetch(`${lokiUrl}/loki/api/v1/query_range?${q}`);
    if (res.ok) {
      const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } };
      for (const { values } of body.data.result) {
        for (const [ts, line] of values) {
          const m = /bench seq=(\d+) printed_us=(\d+)/.exec(line);
          if (!m || seen.has(Number(m[1]))) continue;
          seen.set(Number(m[1]), now - Number(m[2]) / 1000);
          lastNew = now;
          if (BigInt(ts) > from) from = BigInt(ts);
        }
      }
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const [lokiRss, promtailRss] = await Promise.all([rssMiB(idOf('loki')), rssMiB(idOf('promtail'))]);

  const lat = [...seen.values()].sort((a, b) => a - b);
  const row = (name: string, value: string, target: string, ok: boolean) => console.log(`${name.padEnd(28)}${value.padStart(12)}   target ${target.padEnd(10)}${ok ? 'met' : 'MISSED'}`);
  console.log(`Loki ${lokiImage}, Promtail ${promtailImage}, ${network} networking; ${LINES} lines at ${RATE}/s from a new container (Loki polled every ${POLL_MS} ms)`);
  if (lat.length) {
    row('print-to-queryable p50', `${(pct(lat, 50) / 1000).toFixed(2)} s`, '<= 0.5 s', pct(lat, 50) <= 500);
    row('print-to-queryable p99', `${(pct(lat, 99) / 1000).toFixed(2)} s`, '<= 2 s', pct(lat, 99) <= 2000);
    row('print-to-queryable max', `${(lat[lat.length - 1] / 1000).toFixed(2)} s`, '-', true);
  }
  row('lines lost', String(LINES - seen.size), '0', seen.size === LINES);
  row('Loki resident memory', `${lokiRss.toFixed(1)} MiB`, '<= 75 MiB', lokiRss <= 75);
  row('Promtail resident memory', `${promtailRss.toFixed(1)} MiB`, '<= 30 MiB', promtailRss <= 30);
} finally {
  if (writerId) await docker.getContainer(writerId).remove({ force: true }).catch(() => undefined);
  await stackDown(project, { engine, volumes: true }).catch((e: unknown) => console.error(`bench/pipeline: cleanup of ${project} failed: ${String(e)}`));
  rmSync(work, { recursive: true, force: true });
}
