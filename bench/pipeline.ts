// Benchmark of the log pipeline. Run: npm run bench:pipeline  (needs Docker and the REAL Loki and
// collector images present locally; no registry is contacted, nothing is pulled)
//
// Measures what issue 17 §4 targets, each apart:
//   1. steady latency: a container that is ALREADY collected prints 5,000 lines at 500/s; for each
//      line, its print time to the moment Loki returns it to a query (p50, p99, max, lost);
//   2. first line: a NEW container of the project prints one line; its print time to the moment
//      Loki returns it (discovery, then one batch), for a few containers one after another;
//   3. footprint: resident memory of Loki and the collector after (1), as `docker stats` shows it
//      (the cgroup's usage less inactive page cache) and the main process's VmRSS beside it;
//   4. burst: an already collected container prints 300,000 lines of 100 bytes at about 30,000/s;
//      lines lost (never queryable), refused (Loki's 429 answers, from the collector's own request
//      metrics, and Loki's discarded-samples counter), dropped (the collector's counter), and
//      completion: the moment the last line is queryable less Docker's timestamp of the last line
//      printed (what really happened: a shell loop on a busy machine prints slower than asked).
// Targets (issue 17 §4): Loki <= 75 MiB, collector <= 30 MiB (Promtail) / <= 80 MiB (Alloy);
// burst 0 lost, 0 refused, complete <= 10 s after the last print; steady p99 <= 1 s; a new
// container's first line <= 2 s with Alloy.
//
// Loki and the collector are the library's own constructs (the same generated configuration as in
// the default stack), deployed as a project of their own with a fresh name and removed at the end,
// volumes included. Writers are containers of that project (Compose's labels), with no network,
// running bash in the collector's image (the official Promtail and Alloy images, Ubuntu, have it).
// Everything the benchmark reads is on loopback: Loki's and the collector's published ports, and
// the Docker socket. Loki is polled every POLL_MS, which adds up to that much to each latency.
//
//   BENCH_COLLECTOR=alloy|promtail     the collector (default: alloy)
//   BENCH_LOKI_IMAGE=...               Loki's image (default: the library's default)
//   BENCH_COLLECTOR_IMAGE=...          the collector's image (default: the library's default)
//   BENCH_LINES=5000 BENCH_RATE=500    the steady load
//   BENCH_BURST_LINES=300000 BENCH_BURST_RATE=30000   the burst
//   BENCH_NEW_CONTAINERS=6             new containers whose first line is timed (starts spread over the 5 s discovery cycle)
//   BENCH_COLLECTOR_MEMORY_TARGET=200  the collector's memoryTarget (GOMEMLIMIT), MiB (default: the construct's)
//   BENCH_COLLECTOR_BATCH_KIB=1024     the collector's push batch size, KiB (default: the construct's)
//   BENCH_ALLOY_CONFIG=converted       Alloy runs `alloy convert` of the generated Promtail config, no GOMEMLIMIT
//   BENCH_NETWORK=host                 host networking (default: bridge)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSynthesis } from '../src/core/output-directory.js';
import { stackDown } from '../src/deploy/down.js';
import { connectEngine, type Engine } from '../src/deploy/engine.js';
import { ComposeLabel } from '../src/deploy/labels.js';
import { targetsFromSynthesis } from '../src/deploy/target.js';
import { deployUp } from '../src/deploy/up.js';
import { Alloy, ALLOY_VERSION, App, DEFAULT_LOKI_IMAGE, Loki, NetworkMode, Promtail, PROMTAIL_LAST_VERSION, Service, Size, Stack } from '../src/index.js';
import { uniqueProject } from '../test/support/docker.js';
import { dockerLogTail, LokiQueries, memoryOf, percentile, Scrape, sleep, type Memory } from './pipeline-probes.js';
import { BURST_MARK, burstScript, firstLineScript, steadyScript, WARMUP_MARK } from './pipeline-writers.js';

const LINES = Number(process.env.BENCH_LINES ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const BURST_LINES = Number(process.env.BENCH_BURST_LINES ?? 300_000);
const BURST_RATE = Number(process.env.BENCH_BURST_RATE ?? 30_000);
const NEW_CONTAINERS = Number(process.env.BENCH_NEW_CONTAINERS ?? 6);
/** The collector's push batch size, KiB (Promtail's `batchsize`, Alloy's `batch_size`), when not the construct's. */
const BATCH_KIB = process.env.BENCH_COLLECTOR_BATCH_KIB === undefined ? undefined : Number(process.env.BENCH_COLLECTOR_BATCH_KIB);
const POLL_MS = 100;
/** A phase that sees no new line for this long is over (the rest is lost). */
const STALL_MS = 30_000;
const network = process.env.BENCH_NETWORK === 'host' ? NetworkMode.HOST : NetworkMode.BRIDGE;
const STANDIN_LABEL = 'dev.aixcl.standin';

/** What differs between the collectors: construct, readiness path, metric names (cited where defined). */
interface CollectorKind {
  readonly name: string;
  readonly defaultImage: string;
  readonly defaultPort: number;
  readonly readyPath: string;
  readonly memoryTargetMiB: number;
  /** Adds the collector to the stack; returns its service. */
  add(stack: Stack, loki: Loki, image: string, port: number, memoryTarget?: Size): Service;
  /** Metric names: entries sent, entries dropped (by reason), push requests by status_code. */
  readonly metrics: { readonly sent: string; readonly dropped: string; readonly requests: string };
}

const PROMTAIL: CollectorKind = {
  name: 'Promtail',
  defaultImage: `grafana/promtail:${PROMTAIL_LAST_VERSION}`,
  defaultPort: 9080,
  readyPath: '/ready',
  memoryTargetMiB: 30,
  add: (stack, loki, image, port, memoryTarget) => {
    const promtail = new Promtail(stack, 'promtail', { loki, image, port, memoryTarget });
    if (BATCH_KIB !== undefined) promtail.config.addOverride('clients.0.batchsize', BATCH_KIB * 1024);
    return promtail.service;
  },
  // grafana/loki v3.6.15 clients/pkg/promtail/client/client.go (newMetrics): namespace "promtail";
  // request_duration_seconds is observed per attempt with the HTTP status (sendBatch).
  metrics: { sent: 'promtail_sent_entries_total', dropped: 'promtail_dropped_entries_total', requests: 'promtail_request_duration_seconds_count' },
};

const ALLOY: CollectorKind = {
  name: 'Alloy',
  defaultImage: `grafana/alloy:${ALLOY_VERSION}`,
  defaultPort: 12345,
  readyPath: '/-/ready',
  memoryTargetMiB: 80,
  add: (stack, loki, image, port, memoryTarget) => {
    const alloy = new Alloy(stack, 'alloy', { loki, image, port, memoryTarget });
    if (BATCH_KIB !== undefined) alloy.config.addOverride('loki.write "loki"', 'endpoint.batch_size', `${BATCH_KIB}KiB`);
    return alloy.service;
  },
  // grafana/alloy v1.19.0-rc.3 internal/component/common/loki/client/metrics.go (newMetrics), used by
  // loki.write: request_duration_seconds is observed per attempt with the HTTP status (shards.go).
  metrics: { sent: 'loki_write_sent_entries_total', dropped: 'loki_write_dropped_entries_total', requests: 'loki_write_request_duration_seconds_count' },
};

const collectorKinds: Record<string, CollectorKind> = { alloy: ALLOY, promtail: PROMTAIL };
const collectorChoice = process.env.BENCH_COLLECTOR ?? 'alloy';

/** Stops with a sentence, before anything was changed. */
function refuse(why: string): never {
  console.error(`bench/pipeline: ${why}`);
  process.exit(1);
}

const kind = collectorKinds[collectorChoice] ?? refuse(`BENCH_COLLECTOR must be one of ${Object.keys(collectorKinds).join(', ')}, got '${collectorChoice}'`);
const lokiImage = process.env.BENCH_LOKI_IMAGE ?? DEFAULT_LOKI_IMAGE;
const collectorImage = process.env.BENCH_COLLECTOR_IMAGE ?? kind.defaultImage;
// The baseline of issue 17: Alloy running what `alloy convert --source-format=promtail` makes of the
// generated Promtail configuration, without GOMEMLIMIT (everything else as generated).
const converted = process.env.BENCH_ALLOY_CONFIG === 'converted';
if (converted && kind !== ALLOY) refuse('BENCH_ALLOY_CONFIG=converted is a configuration of Alloy: set BENCH_COLLECTOR=alloy');
if (BATCH_KIB !== undefined && !(Number.isInteger(BATCH_KIB) && BATCH_KIB > 0))
  refuse(`BENCH_COLLECTOR_BATCH_KIB must be a whole number of KiB, got '${process.env.BENCH_COLLECTOR_BATCH_KIB}'`);
if (process.env.BENCH_ALLOY_CONFIG !== undefined && !converted)
  refuse(`BENCH_ALLOY_CONFIG must be 'converted' or unset, got '${process.env.BENCH_ALLOY_CONFIG}'`);

let engine: Engine;
try {
  engine = await connectEngine();
} catch (e) {
  refuse(`no Docker Engine reachable (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): this benchmark runs the real Loki and ${kind.name}`);
}
const { docker } = engine;

// Only the real programs tell the truth about latency and memory: refuse missing images and the
// test suite's stand-ins (busybox images tagged with the real names, labelled dev.aixcl.standin).
for (const image of [lokiImage, collectorImage]) {
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
    refuse(
      `${image} here is the test suite's stand-in (label ${STANDIN_LABEL}), not the real program: measuring it would be meaningless. No numbers were measured.`,
    );
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer().once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
async function freePort(from: number, what: string): Promise<number> {
  for (let p = from; p <= from + 100; p++) {
    if (await portFree(p)) return p;
    if (network === NetworkMode.HOST) refuse(`port ${p} (${what}) is in use (a running stack?): stop it, or use the default bridge networking`);
  }
  refuse(`no free port between ${from} and ${from + 100} for ${what}`);
}
const lokiPort = await freePort(3100, 'Loki');
const collectorPort = await freePort(kind.defaultPort, kind.name);

const project = uniqueProject('aixcl-bench-pipeline');
const app = new App();
const stack = new Stack(app, 'bench', { projectName: project, networkMode: network });
const loki = new Loki(stack, 'loki', { image: lokiImage, port: lokiPort });
const memoryTargetMiB = process.env.BENCH_COLLECTOR_MEMORY_TARGET;
if (memoryTargetMiB !== undefined && !/^[1-9]\d*$/.test(memoryTargetMiB))
  refuse(`BENCH_COLLECTOR_MEMORY_TARGET must be a whole number of MiB, got '${memoryTargetMiB}'`);
const collector = kind.add(stack, loki, collectorImage, collectorPort, memoryTargetMiB === undefined ? undefined : Size.mebibytes(Number(memoryTargetMiB)));
const collectorService = collector.serviceName;
if (converted) collector.addOverride('environment.GOMEMLIMIT', undefined);
const work = mkdtempSync(join(tmpdir(), 'aixcl-bench-pipeline-'));
const out = join(work, 'out');
const stacks = app.synthesize();
let convertedConfig: string | undefined;
const [target] = targetsFromSynthesis(stacks, out);
const lokiQ = new LokiQueries(`http://127.0.0.1:${lokiPort}`);
const collectorMetrics = `http://127.0.0.1:${collectorPort}/metrics`;
const lokiMetrics = `http://127.0.0.1:${lokiPort}/metrics`;
const selector = (service: string) => `{compose_project="${project}", compose_service="${service}"}`;

/**
 * The Promtail configuration the library generates for the same stack (same project, same Loki),
 * converted by the real Alloy in the collector's image (`alloy convert`: its own reading of every
 * Promtail key; diagnostics on stderr, the configuration on stdout).
 */
async function convertPromtailConfig(): Promise<string> {
  const twin = new App();
  const twinStack = new Stack(twin, 'bench', { projectName: project, networkMode: network });
  new Promtail(twinStack, 'promtail', { loki: new Loki(twinStack, 'loki', { image: lokiImage, port: lokiPort }), port: collectorPort });
  const file = twin.synthesize()[0].files.find((f) => f.path.endsWith('promtail-config.yml'))!;
  const dir = join(work, 'convert');
  mkdirSync(dir);
  writeFileSync(join(dir, 'promtail.yml'), file.content);
  const c = await docker.createContainer({
    Image: collectorImage,
    Entrypoint: ['/bin/alloy'],
    Cmd: ['convert', '--source-format=promtail', '/in/promtail.yml'],
    HostConfig: { NetworkMode: 'none', Binds: [`${dir}:/in:ro`] },
  });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const logs = await dockerLogTail(docker, c.id, 100_000, { stderr: false });
    if (StatusCode !== 0) throw new Error(`alloy convert exited ${StatusCode}`);
    return logs.map((l) => l.line).join('\n') + '\n';
  } finally {
    await c.remove({ force: true });
  }
}

async function waitReady(url: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(250);
  }
  throw new Error(`${url} did not become ready in ${seconds} s`);
}

const created: string[] = [];
/** A writer: a new container of the project, as Compose labels it, running a bash script in the collector's image. */
async function startWriter(service: string, script: string): Promise<string> {
  const c = await docker.createContainer({
    name: `${project}-${service}-1`,
    Image: collectorImage,
    Entrypoint: ['bash', '-c', script],
    Labels: { [ComposeLabel.PROJECT]: project, [ComposeLabel.SERVICE]: service, 'com.docker.compose.oneoff': 'False' },
    HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'json-file', Config: {} } },
  });
  created.push(c.id);
  await c.start();
  await sleep(200);
  if (!(await c.inspect()).State.Running)
    throw new Error(`the writer ${service} stopped at once: ${collectorImage} needs bash >= 5 (the official images have it)`);
  return c.id;
}

/** Polls Loki until `done` or until no new line for STALL_MS (or `capMs` in all); each new line is handed to `onLine` with the poll's start time. */
async function follow(query: string, onLine: (line: string, polledAt: number) => void, done: () => boolean, capMs = 300_000): Promise<void> {
  const seenLines = new Set<string>();
  let from = BigInt(Date.now() - 60_000) * 1_000_000n;
  const startedAt = Date.now();
  let lastNew = Date.now();
  while (!done() && Date.now() - lastNew < STALL_MS && Date.now() - startedAt < capMs) {
    const polledAt = Date.now();
    for (const [ts, line] of await lokiQ.entries(query, from, 5000)) {
      if (ts > from) from = ts; // start is inclusive: the newest entries are read again, and skipped below
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      lastNew = polledAt;
      onLine(line, polledAt);
    }
    await sleep(POLL_MS);
  }
}

/** Waits until Loki returns the writer's warm-up line: the collector then tails the container. */
async function waitCollected(service: string): Promise<void> {
  let seen = false;
  await follow(
    `${selector(service)} |= "${WARMUP_MARK}"`,
    () => (seen = true),
    () => seen,
    60_000,
  );
  if (!seen) throw new Error(`the warm-up line of ${service} never reached Loki within a minute`);
}

interface Row {
  readonly name: string;
  readonly value: string;
  readonly target: string;
  readonly met?: boolean;
}
const rows: Row[] = [];
const s2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (m: number | undefined) => (m === undefined ? 'n/a' : `${m.toFixed(1)} MiB`);

try {
  if (converted) convertedConfig = await convertPromtailConfig();
  const writeFiles = () => {
    writeSynthesis(out, stacks);
    // The generated file replaced, as a user would: the compose file mounts it by path.
    if (convertedConfig !== undefined) writeFileSync(join(out, 'alloy', 'config.alloy'), convertedConfig);
  };
  const up = await deployUp(target, { engine, writeFiles });
  if (up.outcome !== 'ok') throw new Error(`deploy ended ${up.outcome}`);
  await waitReady(`http://127.0.0.1:${lokiPort}/ready`, 120);
  await waitReady(`http://127.0.0.1:${collectorPort}${kind.readyPath}`, 60);
  const containers = await docker.listContainers({ filters: { label: [`${ComposeLabel.PROJECT}=${project}`] } });
  const idOf = (svc: string) => containers.find((c) => c.Labels[ComposeLabel.SERVICE] === svc)!.Id;
  const envOf = async (svc: string) => (await docker.getContainer(idOf(svc)).inspect()).Config.Env.find((e) => e.startsWith('GOMEMLIMIT=')) ?? 'no GOMEMLIMIT';

  const configNote =
    (converted ? ', config by alloy convert from the generated Promtail config' : ', generated config') +
    (BATCH_KIB !== undefined ? `, push batches of ${BATCH_KIB} KiB` : '');
  console.log(
    `Loki ${lokiImage} (${await envOf('loki')}), ${kind.name} ${collectorImage} (${await envOf(collectorService)}${configNote}), ${network} networking; Loki polled every ${POLL_MS} ms`,
  );

  // 2. A NEW container's first line, a few containers one after another (each removed once seen).
  // Both collectors hand new targets on at most every 5 s (Alloy: internal/component/discovery/
  // discovery.go MaxUpdateFrequency, a ticker; Promtail: Prometheus's discovery manager, updatert).
  // Started right after the previous line was seen, every container would land at the same point
  // of that cycle (just after a tick: the worst case each time). Waiting a further i/N of the
  // cycle spreads the starts over it, as containers a user starts at random times would be.
  const DISCOVERY_CYCLE_MS = 5000;
  const firsts: number[] = [];
  for (let i = 1; i <= NEW_CONTAINERS; i++) {
    await sleep(((i - 1) * DISCOVERY_CYCLE_MS) / NEW_CONTAINERS);
    const service = `bench-new-${i}`;
    const id = await startWriter(service, firstLineScript());
    let latency: number | undefined;
    await follow(
      selector(service),
      (line, at) => {
        const m = /printed_us=(\d+)/.exec(line);
        if (m) latency = at - Number(m[1]) / 1000;
      },
      () => latency !== undefined,
      60_000,
    );
    firsts.push(latency ?? Infinity);
    await docker.getContainer(id).remove({ force: true });
    await sleep(1000);
  }
  const firstMax = Math.max(...firsts);
  const firstSorted = [...firsts].sort((a, b) => a - b);
  rows.push({
    name: `new container, first line (${NEW_CONTAINERS})`,
    value: `${firsts.map((f) => (Number.isFinite(f) ? (f / 1000).toFixed(1) : 'never')).join(' ')} s`,
    target: kind.name === 'Alloy' ? 'max <= 2 s' : "- (<= 2 s is Alloy's)",
    met: kind.name === 'Alloy' ? firstMax <= 2000 : undefined,
  });
  rows.push({ name: '  first line p50 / max', value: `${s2(percentile(firstSorted, 50))} / ${s2(firstMax)}`, target: '-' });

  // 1. Steady: lines of an already collected container.
  const steadyId = await startWriter('bench-steady', steadyScript(LINES, RATE));
  await waitCollected('bench-steady');
  const seen = new Map<number, number>(); // seq -> latency ms
  await docker.getContainer(steadyId).kill({ signal: 'SIGUSR1' });
  await follow(
    `${selector('bench-steady')} |= "bench steady"`,
    (line, at) => {
      const m = /bench steady seq=(\d+) printed_us=(\d+)/.exec(line);
      if (m) seen.set(Number(m[1]), at - Number(m[2]) / 1000);
    },
    () => seen.size >= LINES,
  );
  const lat = [...seen.values()].sort((a, b) => a - b);
  if (lat.length) {
    rows.push({ name: `steady p50 (${LINES} at ${RATE}/s)`, value: s2(percentile(lat, 50)), target: '-' });
    rows.push({ name: 'steady p99', value: s2(percentile(lat, 99)), target: '<= 1 s', met: percentile(lat, 99) <= 1000 });
    rows.push({ name: 'steady max', value: s2(lat[lat.length - 1]), target: '-' });
  }
  rows.push({ name: 'steady lines lost', value: String(LINES - seen.size), target: '0', met: seen.size === LINES });

  // 3. Footprint after the steady lines.
  await sleep(2000);
  const [lokiMem, colMem] = await Promise.all([memoryOf(docker, idOf('loki')), memoryOf(docker, idOf(collectorService))]);
  const memRow = (name: string, m: Memory, limit: number) =>
    rows.push({ name, value: mib(m.dockerStatsMiB), target: `<= ${limit} MiB`, met: m.dockerStatsMiB <= limit });
  memRow('Loki memory (docker stats)', lokiMem, 75);
  rows.push({ name: '  Loki VmRSS (RssAnon)', value: `${mib(lokiMem.rssMiB)} (${mib(lokiMem.rssAnonMiB)})`, target: '-' });
  memRow(`${kind.name} memory (docker stats)`, colMem, kind.memoryTargetMiB);
  rows.push({ name: `  ${kind.name} VmRSS (RssAnon)`, value: `${mib(colMem.rssMiB)} (${mib(colMem.rssAnonMiB)})`, target: '-' });
  await docker.getContainer(steadyId).remove({ force: true });

  // 4. The burst, from an already collected container.
  const burstId = await startWriter('bench-burst', burstScript(BURST_LINES, BURST_RATE, 100));
  await waitCollected('bench-burst');
  const [colBefore, lokiBefore] = await Promise.all([Scrape.of(collectorMetrics), Scrape.of(lokiMetrics)]);
  const signalledAt = Date.now();
  await docker.getContainer(burstId).kill({ signal: 'SIGUSR1' });
  const countQuery = `sum(count_over_time(${selector('bench-burst')} |= "${BURST_MARK}" [30m]))`;
  let count = 0;
  let lastGrowth = Date.now();
  let completeAt: number | undefined;
  // When the collector had pushed every line (its sent-entries counter), to tell its delay from Loki's.
  const sentBefore = colBefore.sum(kind.metrics.sent);
  let sentAllAt: number | undefined;
  while (Date.now() - lastGrowth < STALL_MS && Date.now() - signalledAt < 300_000) {
    const polledAt = Date.now();
    if (sentAllAt === undefined && (await Scrape.of(collectorMetrics)).sum(kind.metrics.sent) - sentBefore >= BURST_LINES) sentAllAt = polledAt;
    const n = (await lokiQ.scalar(countQuery)) ?? count;
    if (n > count) {
      count = n;
      lastGrowth = polledAt;
    }
    if (count >= BURST_LINES) {
      completeAt = polledAt;
      break;
    }
    await sleep(POLL_MS * 2);
  }
  await sleep(1000);
  const [colAfter, lokiAfter] = await Promise.all([Scrape.of(collectorMetrics), Scrape.of(lokiMetrics)]);
  const [last] = await dockerLogTail(docker, burstId, 1);
  const printedAll = last?.line.startsWith(`${BURST_MARK}${String(BURST_LINES - 1).padStart(6, '0')}`) ?? false;
  const refused = (colAfter.by(kind.metrics.requests, 'status_code').get('429') ?? 0) - (colBefore.by(kind.metrics.requests, 'status_code').get('429') ?? 0);
  const failedRequests = [...colAfter.by(kind.metrics.requests, 'status_code')]
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, n]) => [code, n - (colBefore.by(kind.metrics.requests, 'status_code').get(code) ?? 0)] as const)
    .filter(([, n]) => n > 0);
  const dropped = colAfter.sum(kind.metrics.dropped) - colBefore.sum(kind.metrics.dropped);
  const discarded = lokiAfter.sum('loki_discarded_samples_total') - lokiBefore.sum('loki_discarded_samples_total');
  rows.push({ name: `burst: printed in (${BURST_LINES} at ${BURST_RATE}/s asked)`, value: last ? s2(last.ms - signalledAt) : 'n/a', target: '-' });
  const lost = BURST_LINES - Math.min(count, BURST_LINES);
  rows.push({
    name: 'burst lost',
    value: count > BURST_LINES ? `${lost} (${count - BURST_LINES} twice)` : String(lost),
    target: '0',
    met: count === BURST_LINES && printedAll,
  });
  rows.push({ name: 'burst refused (429 answers)', value: String(refused), target: '0', met: refused === 0 });
  rows.push({ name: '  other failed pushes', value: failedRequests.length ? failedRequests.map(([c, n]) => `${n}x${c}`).join(' ') : 'none', target: '-' });
  rows.push({ name: '  Loki discarded samples', value: String(discarded), target: '0', met: discarded === 0 });
  rows.push({ name: `  ${kind.name} dropped entries`, value: String(dropped), target: '0', met: dropped === 0 });
  rows.push({
    name: 'burst complete after last print',
    value: completeAt !== undefined && last ? s2(completeAt - last.ms) : `never (${count} of ${BURST_LINES})`,
    target: '<= 10 s',
    met: completeAt !== undefined && last !== undefined && completeAt - last.ms <= 10_000,
  });
  rows.push({
    name: `  ${kind.name} had sent all, after last print`,
    value: sentAllAt !== undefined && last ? s2(sentAllAt - last.ms) : 'never',
    target: '-',
  });
  const [lokiMem2, colMem2] = await Promise.all([memoryOf(docker, idOf('loki')), memoryOf(docker, idOf(collectorService))]);
  rows.push({ name: 'after the burst: Loki memory', value: mib(lokiMem2.dockerStatsMiB), target: '-' });
  rows.push({ name: `after the burst: ${kind.name} memory`, value: mib(colMem2.dockerStatsMiB), target: '-' });

  for (const r of rows)
    console.log(`${r.name.padEnd(42)}${r.value.padStart(22)}   target ${r.target.padEnd(22)}${r.met === undefined ? '' : r.met ? 'met' : 'MISSED'}`);
} finally {
  for (const id of created)
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
  await stackDown(project, { engine, volumes: true }).catch((e: unknown) => console.error(`bench/pipeline: cleanup of ${project} failed: ${String(e)}`));
  rmSync(work, { recursive: true, force: true });
}
