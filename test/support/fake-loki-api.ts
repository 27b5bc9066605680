/**
 * A small server speaking Loki's HTTP API, for the aixcl-logs tests. It is NOT
 * Loki: it stores entries in memory and evaluates only the part of LogQL that
 * aixcl-logs builds (a stream selector, line filters `|= != |~ !~`, and label
 * filters such as `| level="error"` against an entry's structured metadata).
 * What it does reproduce is the wire format of the endpoints, as Loki's
 * docs/sources/reference/loki-http-api.md and source describe them:
 *
 * - `GET /loki/api/v1/query_range`: `{"status":"success","data":{"resultType":"streams","result":[{"stream":{...},"values":[["<ns>","line"]]}]}}`,
 *   start inclusive, end exclusive, `limit` newest (backward) or oldest (forward);
 *   `limit` above max_entries_limit_per_query (5000) and ranges over
 *   max_query_length (721h) answer 400 with Loki's own messages (pkg/util/validation/validate.go).
 * - `GET /loki/api/v1/query` of `sum by (compose_service) (count_over_time(SEL[Ns]))`: a vector.
 * - `GET /loki/api/v1/labels`, `/label/<name>/values`: `{"status":"success","data":[...]}`.
 * - `GET /loki/api/v1/index/volume`: a Prometheus-style vector of bytes (pkg/querier/queryrange/volume.go).
 * - WebSocket `/loki/api/v1/tail`: first the newest `limit` entries since `start`,
 *   oldest first, then each pushed entry; at most 100 entries per message and one
 *   stream object per entry, a ping every second (pkg/querier/tail/tail.go, http.go).
 *
 * It records what the client asked (every request with its parameters and
 * headers, every tail connection), and can answer errors, drop tails, go away
 * and come back on the same port (a restart).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeEntry {
  readonly labels: Readonly<Record<string, string>>;
  readonly ts: bigint;
  readonly line: string;
  /** Structured metadata (e.g. the normalized `level`). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface RecordedRequest {
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
}

interface Failure {
  readonly path: string;
  readonly status: number;
  readonly body: string;
}

interface Tail {
  readonly ws: WebSocket;
  readonly query: Query;
}

const MAX_ENTRIES = 5000;
const MAX_QUERY_LENGTH_NS = 721n * 3600n * 1_000_000_000n;

export class FakeLokiApi {
  public readonly entries: FakeEntry[] = [];
  public readonly requests: RecordedRequest[] = [];
  /** Parameters of every tail WebSocket opened. */
  public readonly tails: Array<Readonly<Record<string, string>>> = [];
  private readonly failures: Failure[] = [];
  private readonly live = new Set<Tail>();
  private server!: Server;
  private wss!: WebSocketServer;
  private pings?: NodeJS.Timeout;
  private port = 0;

  private constructor() {}

  /** Starts on a free port of 127.0.0.1. */
  public static async start(): Promise<FakeLokiApi> {
    const f = new FakeLokiApi();
    await f.listen();
    return f;
  }

  public get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stores an entry and sends it to the open tails it matches. */
  public push(labels: Record<string, string>, line: string, opts: { ts?: bigint; metadata?: Record<string, string> } = {}): FakeEntry {
    const e: FakeEntry = { labels, line, ts: opts.ts ?? BigInt(Date.now()) * 1_000_000n, metadata: opts.metadata };
    this.entries.push(e);
    for (const t of this.live) if (t.query.matches(e)) t.ws.send(JSON.stringify({ streams: [streamOf(e)] }));
    return e;
  }

  /** The next `count` requests to `path` answer `status` with `body`. */
  public failNext(path: string, count: number, status: number, body: string): void {
    for (let i = 0; i < count; i++) this.failures.push({ path, status, body });
  }

  /** Tells every open tail that `count` entries were dropped (as Loki does when a client falls behind). */
  public reportDropped(entries: readonly FakeEntry[]): void {
    const msg = { dropped_entries: entries.map((e) => ({ labels: e.labels, timestamp: String(e.ts) })) };
    for (const t of this.live) t.ws.send(JSON.stringify(msg));
  }

  /** Requests to one path. */
  public requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /**
   * A restart: open tails are cut (no close frame, as when the process dies),
   * nothing answers for `downMs` (entries pushed meanwhile are stored, as a
   * collector's retried pushes would be), then the same port answers again.
   */
  public async restart(downMs: number, whileDown?: () => void): Promise<void> {
    await this.close();
    whileDown?.();
    await new Promise((r) => setTimeout(r, downMs));
    await this.listen();
  }

  public async stop(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    clearInterval(this.pings);
    for (const t of this.live) t.ws.terminate();
    this.live.clear();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const params = Object.fromEntries(u.searchParams);
      this.requests.push({ path: u.pathname, params, headers: req.headers });
      const failure = this.failures.findIndex((f) => f.path === u.pathname);
      if (failure >= 0) {
        const [f] = this.failures.splice(failure, 1);
        return text(res, f.status, f.body);
      }
      try {
        this.route(u.pathname, params, res);
      } catch (e) {
        text(res, 400, e instanceof Error ? e.message : String(e));
      }
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const params = Object.fromEntries(u.searchParams);
      this.requests.push({ path: u.pathname, params, headers: req.headers });
      const failure = this.failures.findIndex((f) => f.path === u.pathname);
      if (u.pathname !== '/loki/api/v1/tail' || failure >= 0) {
        const f = failure >= 0 ? this.failures.splice(failure, 1)[0] : { status: 404, body: '404 page not found\n' };
        socket.end(`HTTP/1.1 ${f.status} Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(f.body)}\r\n\r\n${f.body}`);
        return;
      }
      let query: Query;
      try {
        query = Query.parse(params.query ?? '');
      } catch (e) {
        const body = e instanceof Error ? e.message : String(e);
        socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.tails.push(params);
        // History: the newest `limit` entries since `start`, oldest first (querier.Tail's reversed BACKWARD select).
        const start = params.start ? BigInt(params.start) : BigInt(Date.now() - 3600_000) * 1_000_000n;
        const limit = Number(params.limit ?? 100);
        const hist = this.select(query, start, BigInt(Date.now() + 1) * 1_000_000n, limit, 'backward').reverse();
        for (let i = 0; i < hist.length; i += 100) ws.send(JSON.stringify({ streams: hist.slice(i, i + 100).map(streamOf) }));
        const tail = { ws, query };
        this.live.add(tail);
        ws.on('close', () => this.live.delete(tail));
      });
    });
    this.pings = setInterval(() => {
      for (const t of this.live) t.ws.ping();
    }, 1000);
    return new Promise((resolve) =>
      this.server.listen(this.port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      }),
    );
  }

  private route(path: string, p: Record<string, string>, res: ServerResponse): void {
    const end = p.end ? BigInt(p.end) : BigInt(Date.now()) * 1_000_000n;
    const start = p.start ? BigInt(p.start) : end - 3600n * 1_000_000_000n;
    const ok = (data: unknown) => json(res, { status: 'success', data });
    if (path === '/loki/api/v1/query_range') {
      const limit = Number(p.limit ?? 100);
      if (limit > MAX_ENTRIES) return text(res, 400, `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${MAX_ENTRIES})`);
      if (end - start > MAX_QUERY_LENGTH_NS) {
        return text(res, 400, `the query time range exceeds the limit (query length: ${goDuration(end - start)}, limit: 30d1h)`);
      }
      const found = this.select(Query.parse(p.query), start, end, limit, p.direction === 'forward' ? 'forward' : 'backward');
      return ok({ resultType: 'streams', result: groupStreams(found), stats: {} });
    }
    if (path === '/loki/api/v1/query') {
      const m = /^sum by \(compose_service\) \(count_over_time\((.*)\[(\d+)s\]\)\)$/.exec(p.query ?? '');
      if (!m) throw new Error(`parse error: this fake only answers the count_over_time query of aixcl-logs stats, not ${p.query}`);
      const time = p.time ? BigInt(p.time) : end;
      const counts = new Map<string, number>();
      for (const e of this.select(Query.parse(m[1]), time - BigInt(m[2]) * 1_000_000_000n, time, Infinity, 'forward')) {
        counts.set(e.labels.compose_service, (counts.get(e.labels.compose_service) ?? 0) + 1);
      }
      return ok({
        resultType: 'vector',
        result: [...counts].map(([s, n]) => ({ metric: { compose_service: s }, value: [Number(time / 1_000_000n) / 1000, String(n)] })),
      });
    }
    if (path === '/loki/api/v1/labels') {
      const names = new Set(this.inRange(p.query, start, end).flatMap((e) => Object.keys(e.labels)));
      return ok([...names].sort());
    }
    const values = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
    if (values) {
      const name = decodeURIComponent(values[1]);
      return ok(
        [
          ...new Set(
            this.inRange(p.query, start, end)
              .map((e) => e.labels[name])
              .filter((v) => v !== undefined),
          ),
        ].sort(),
      );
    }
    if (path === '/loki/api/v1/index/volume') {
      const target = (p.targetLabels ?? '').split(',').filter(Boolean);
      const bytes = new Map<string, { metric: Record<string, string>; n: number }>();
      for (const e of this.inRange(p.query, start, end)) {
        const metric = Object.fromEntries(target.map((t) => [t, e.labels[t] ?? '']));
        const k = JSON.stringify(metric);
        const b = bytes.get(k) ?? { metric, n: 0 };
        b.n += Buffer.byteLength(e.line);
        bytes.set(k, b);
      }
      return ok({
        resultType: 'vector',
        result: [...bytes.values()].map((b) => ({ metric: b.metric, value: [Number(end / 1_000_000n) / 1000, String(b.n)] })),
      });
    }
    text(res, 404, '404 page not found\n');
  }

  private inRange(query: string | undefined, start: bigint, end: bigint): FakeEntry[] {
    const q = query ? Query.parse(query) : undefined;
    return this.entries.filter((e) => e.ts >= start && e.ts < end && (!q || q.matches(e)));
  }

  private select(q: Query, start: bigint, end: bigint, limit: number, direction: 'forward' | 'backward'): FakeEntry[] {
    const found = this.entries.filter((e) => e.ts >= start && e.ts < end && q.matches(e));
    found.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    if (direction === 'backward') found.reverse();
    return found.slice(0, limit);
  }
}

/** The subset of LogQL aixcl-logs sends: `{selector}` then `|= != |~ !~ "..."` and `| name="v"` / `| name=~"re"`. */
class Query {
  private constructor(
    private readonly matchers: Array<(labels: Readonly<Record<string, string>>) => boolean>,
    private readonly stages: Array<(e: FakeEntry) => boolean>,
  ) {}

  public static parse(text: string): Query {
    const sel = /^\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/.exec(text.trim());
    if (!sel) throw new Error(`parse error at line 1, col 1: syntax error: unexpected ${text.slice(0, 10)}`);
    const matchers = [...sel[1].matchAll(/\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*")\s*,?/g)].map(([, name, op, lit]) =>
      labelTest(name, op, JSON.parse(lit) as string),
    );
    const stages: Array<(e: FakeEntry) => boolean> = [];
    const rest = text.trim().slice(sel[0].length);
    for (const [, op, lit, name, lop, llit] of rest.matchAll(
      /\s*(?:(\|=|!=|\|~|!~)\s*("(?:[^"\\]|\\.)*")|\|\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"))/g,
    )) {
      if (op) {
        const v = JSON.parse(lit) as string;
        if (op === '|=') stages.push((e) => e.line.includes(v));
        else if (op === '!=') stages.push((e) => !e.line.includes(v));
        else {
          const re = goRegex(v);
          stages.push(op === '|~' ? (e) => re.test(e.line) : (e) => !re.test(e.line));
        }
      } else {
        const test = labelTest(name, lop, JSON.parse(llit) as string);
        stages.push((e) => test({ ...e.labels, ...e.metadata }));
      }
    }
    return new Query(matchers, stages);
  }

  public matches(e: FakeEntry): boolean {
    return this.matchers.every((m) => m(e.labels)) && this.stages.every((s) => s(e));
  }
}

function labelTest(name: string, op: string, value: string): (labels: Readonly<Record<string, string>>) => boolean {
  if (op === '=') return (l) => (l[name] ?? '') === value;
  if (op === '!=') return (l) => (l[name] ?? '') !== value;
  const re = goRegex(`^(?:${value})$`);
  return op === '=~' ? (l) => re.test(l[name] ?? '') : (l) => !re.test(l[name] ?? '');
}

/** A Go RE2 pattern as a JavaScript RegExp, for the patterns the tests use (`(?i)` prefix). */
function goRegex(pattern: string): RegExp {
  const m = /^(\^\(\?:)?\(\?i\)/.exec(pattern);
  return m ? new RegExp(pattern.replace('(?i)', ''), 'i') : new RegExp(pattern);
}

function streamOf(e: FakeEntry) {
  return { stream: e.labels, values: [[String(e.ts), e.line]] };
}

function groupStreams(entries: readonly FakeEntry[]) {
  const by = new Map<string, { stream: Readonly<Record<string, string>>; values: string[][] }>();
  for (const e of entries) {
    const k = JSON.stringify(e.labels);
    const s = by.get(k) ?? { stream: e.labels, values: [] };
    s.values.push([String(e.ts), e.line]);
    by.set(k, s);
  }
  return [...by.values()];
}

function goDuration(ns: bigint): string {
  const s = Number(ns / 1_000_000_000n);
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** Loki's errors are plain text (pkg/util/server/error.go WriteError). */
function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}
