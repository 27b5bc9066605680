// What the pipeline benchmark reads: Loki's query API, a Prometheus text exposition (the
// collector's and Loki's /metrics), a container's memory, and Docker's own timestamps of its log lines.
import { readFileSync } from 'node:fs';
import type Docker from 'dockerode';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Loki's query API on a published port (loopback). */
export class LokiQueries {
  constructor(private readonly url: string) {}

  /** Entries of a log query, oldest first: [timestamp ns, line]. `limit` at most Loki's max_entries_limit_per_query. */
  public async entries(query: string, startNs: bigint, limit: number): Promise<Array<[bigint, string]>> {
    const q = new URLSearchParams({
      query,
      start: String(startNs),
      end: String(BigInt(Date.now() + 1000) * 1_000_000n),
      limit: String(limit),
      direction: 'forward',
    });
    const res = await fetch(`${this.url}/loki/api/v1/query_range?${q}`);
    if (!res.ok) return [];
    const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } };
    return body.data.result.flatMap(({ values }) => values.map(([ts, line]) => [BigInt(ts), line] as [bigint, string]));
  }

  /** The value of an instant metric query returning one sample (0 when it returns none). */
  public async scalar(query: string): Promise<number | undefined> {
    const q = new URLSearchParams({ query, time: String(BigInt(Date.now()) * 1_000_000n) });
    const res = await fetch(`${this.url}/loki/api/v1/query?${q}`);
    if (!res.ok) return undefined;
    const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
    return body.data.result.length ? Number(body.data.result[0].value[1]) : 0;
  }
}

/** One scrape of a Prometheus text exposition. */
export class Scrape {
  private constructor(private readonly samples: ReadonlyArray<{ name: string; labels: Record<string, string>; value: number }>) {}

  public static async of(url: string): Promise<Scrape> {
    const text = await fetch(url).then(
      (r) => (r.ok ? r.text() : ''),
      () => '',
    );
    const samples = [];
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels: Record<string, string> = {};
      for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
      samples.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return new Scrape(samples);
  }

  /** Sum of a metric's samples whose labels include `match`. */
  public sum(name: string, match: Record<string, string> = {}): number {
    return this.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
  }

  /** Sums of a metric by the value of one label (e.g. requests by status_code). */
  public by(name: string, label: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.samples) if (s.name === name) out.set(s.labels[label] ?? '', (out.get(s.labels[label] ?? '') ?? 0) + s.value);
    return out;
  }
}

/** A container's memory, two ways. */
export interface Memory {
  /**
   * As `docker stats` shows it: the cgroup's usage less its inactive page cache (the Docker CLI's
   * calculateMemUsageUnixNoCache: `total_inactive_file` under cgroup v1, `inactive_file` under v2).
   */
  readonly dockerStatsMiB: number;
  /** Resident set (VmRSS) of the container's main process; undefined when the engine is not local. */
  readonly rssMiB?: number;
  /**
   * Its anonymous part (RssAnon: heap, stacks). VmRSS also counts the mapped pages of the binary
   * itself (RssFile: Alloy's static binary is over 500 MB), which the cgroup charges to whoever read them first.
   */
  readonly rssAnonMiB?: number;
}

export async function memoryOf(docker: Docker, id: string): Promise<Memory> {
  const c = docker.getContainer(id);
  const s = (await c.stats({ stream: false })) as { memory_stats: { usage: number; stats?: Record<string, number> } };
  const st = s.memory_stats.stats ?? {};
  const usage = s.memory_stats.usage;
  const inactive =
    st.total_inactive_file !== undefined && st.total_inactive_file < usage
      ? st.total_inactive_file
      : st.inactive_file !== undefined && st.inactive_file < usage
        ? st.inactive_file
        : 0;
  let status = '';
  try {
    status = readFileSync(`/proc/${(await c.inspect()).State.Pid}/status`, 'utf8');
  } catch {
    // a remote engine
  }
  const kB = (field: string) => {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  };
  return { dockerStatsMiB: (usage - inactive) / 1024 ** 2, rssMiB: kB('VmRSS'), rssAnonMiB: kB('RssAnon') };
}

/**
 * Docker's own timestamps (ms since the epoch, µs kept as the fraction) of a container's last `tail`
 * log lines, with the lines: when the engine read each line from the container, as
 * `docker logs --timestamps` shows them. The stream is multiplexed (no TTY): 8-byte frame headers.
 */
export async function dockerLogTail(
  docker: Docker,
  id: string,
  tail: number,
  opts: { readonly stderr?: boolean } = {},
): Promise<Array<{ ms: number; line: string }>> {
  const raw = (await docker.getContainer(id).logs({ stdout: true, stderr: opts.stderr ?? true, timestamps: true, tail, follow: false })) as unknown as Buffer;
  const out: Array<{ ms: number; line: string }> = [];
  let text = '';
  for (let i = 0; i + 8 <= raw.length;) {
    const size = raw.readUInt32BE(i + 4);
    text += raw.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  for (const l of text.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z (.*)$/.exec(l);
    if (m) out.push({ ms: Date.parse(`${m[1]}Z`) + Number(`0.${m[2] ?? '0'}`) * 1000, line: m[3] });
  }
  return out;
}

/** The p-th percentile (nearest rank) of ascending values. */
export const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
