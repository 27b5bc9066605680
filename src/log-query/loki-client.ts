import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { LokiError, LokiFailure, translateLokiError, unreachable } from './loki-error.js';

/** One log entry as Loki returns it in a `streams` result. */
export interface LogEntry {
  /** Nanoseconds since the epoch (Loki sends them as a string). */
  readonly ts: bigint;
  readonly line: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Loki's `streams` result: `[{ stream: {labels}, values: [["<ns>", "<line>"], ...] }]`. */
export interface LokiStream {
  readonly stream: Record<string, string>;
  readonly values: ReadonlyArray<readonly [string, string, ...unknown[]]>;
}

/** Options of a {@link LokiClient}. */
export interface LokiClientOptions {
  /** Loki's base URL, e.g. `http://localhost:3100`; credentials in it become basic auth. */
  readonly url: string;
  /** Environment with the credentials (LOKI_USERNAME/LOKI_PASSWORD, LOKI_BEARER_TOKEN[_FILE], LOKI_ORG_ID). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Retries of a 429/502/503/504 answer. @default 5 */
  readonly retries?: number;
  /** First backoff in ms, doubled each retry (Retry-After wins when Loki sends it). @default 500 */
  readonly backoffMs?: number;
  /** Called before each retry (to tell the user). */
  readonly onRetry?: (message: string) => void;
}

const RETRIED = new Set([429, 502, 503, 504]);

/**
 * A small client of Loki's HTTP API (docs/sources/reference/loki-http-api.md):
 * `query_range`, `query`, `labels`, `label/<name>/values`, `index/volume`, and
 * the headers for the `tail` WebSocket. Uses Node's built-in fetch.
 */
export class LokiClient {
  public readonly url: string;
  public readonly headers: Readonly<Record<string, string>>;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly onRetry: (message: string) => void;

  constructor(options: LokiClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new UserError(`--loki '${options.url}' is not a URL: give one like http://localhost:3100`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new UserError(`--loki '${options.url}' is not an http(s) URL: give one like http://localhost:3100`);
    }
    const env = options.env ?? process.env;
    const headers = authHeaders(env, parsed);
    parsed.username = '';
    parsed.password = '';
    this.url = parsed.href.replace(/\/+$/, '');
    this.headers = headers;
    this.retries = options.retries ?? 5;
    this.backoffMs = options.backoffMs ?? 500;
    this.onRetry = options.onRetry ?? (() => undefined);
  }

  /** `GET /loki/api/v1/query_range` of a log query: the entries, newest first for `backward`. */
  public async queryRange(p: { query: string; start: bigint; end: bigint; limit: number; direction: 'forward' | 'backward' }): Promise<LogEntry[]> {
    const body = await this.get<{ data: { resultType: string; result: LokiStream[] } }>('/loki/api/v1/query_range', {
      query: p.query,
      start: String(p.start),
      end: String(p.end),
      limit: String(p.limit),
      direction: p.direction,
    });
    if (body.data?.resultType !== 'streams') throw new UserError(`Loki answered a ${body.data?.resultType} result: give a log query, not a metric query`);
    return entriesOf(body.data.result, p.direction);
  }

  /** `GET /loki/api/v1/query` of a metric query at `time`: one value per series. */
  public async instant(p: { query: string; time: bigint }): Promise<Array<{ metric: Record<string, string>; value: number }>> {
    const body = await this.get<{ data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }>('/loki/api/v1/query', {
      query: p.query,
      time: String(p.time),
    });
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** `GET /loki/api/v1/labels` (label names of the streams a selector matches). */
  public async labels(p: { query?: string; start: bigint; end: bigint }): Promise<string[]> {
    const body = await this.get<{ data?: string[] }>('/loki/api/v1/labels', params(p));
    return body.data ?? [];
  }

  /** `GET /loki/api/v1/label/<name>/values`. */
  public async labelValues(name: string, p: { query?: string; start: bigint; end: bigint }): Promise<string[]> {
    const body = await this.get<{ data?: string[] }>(`/loki/api/v1/label/${encodeURIComponent(name)}/values`, params(p));
    return body.data ?? [];
  }

  /**
   * `GET /loki/api/v1/index/volume`: bytes per value of `targetLabels` over
   * the range, answered as a Prometheus-style vector (pkg/querier/queryrange/volume.go).
   */
  public async volume(p: {
    query: string;
    start: bigint;
    end: bigint;
    targetLabels: string[];
  }): Promise<Array<{ metric: Record<string, string>; bytes: number }>> {
    const body = await this.get<{ data: { result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }> } }>(
      '/loki/api/v1/index/volume',
      { query: p.query, start: String(p.start), end: String(p.end), targetLabels: p.targetLabels.join(','), limit: '1000' },
    );
    return body.data.result.map((r) => ({
      metric: r.metric,
      bytes: r.value ? Number(r.value[1]) : (r.values ?? []).reduce((a, v) => a + Number(v[1]), 0),
    }));
  }

  /** A GET with the retries of busy answers; a refusal or failure becomes a {@link LokiError}. */
  private async get<T>(path: string, query: Record<string, string>): Promise<T> {
    const url = `${this.url}${path}?${new URLSearchParams(query)}`;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, { headers: this.headers, signal: AbortSignal.timeout(60_000) });
      } catch (e) {
        throw unreachable(this.url, e);
      }
      if (res.ok) {
        try {
          return (await res.json()) as T;
        } catch {
          throw new LokiError(`${this.url}${path} did not answer JSON: is --loki really a Loki?`, LokiFailure.FAILED, res.status);
        }
      }
      const text = await res.text().catch(() => '');
      if (RETRIED.has(res.status) && attempt < this.retries) {
        const wait = retryAfterMs(res.headers.get('retry-after')) ?? this.backoffMs * 2 ** attempt;
        this.onRetry(`Loki answered ${res.status} (${text.trim().slice(0, 80) || res.statusText}); retrying in ${(wait / 1000).toFixed(1)}s`);
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      throw translateLokiError(res.status, text, this.url);
    }
  }
}

function params(p: { query?: string; start: bigint; end: bigint }): Record<string, string> {
  return { ...(p.query ? { query: p.query } : {}), start: String(p.start), end: String(p.end) };
}

/** Retry-After in seconds (RFC 9110 §10.2.3), capped at 30 s. */
function retryAfterMs(v: string | null): number | undefined {
  if (!v || !/^\d+$/.test(v)) return undefined;
  return Math.min(Number(v), 30) * 1000;
}

/** Flattens streams into entries, sorted by time in the direction asked (Loki sorts within a stream only). */
export function entriesOf(streams: readonly LokiStream[], direction: 'forward' | 'backward' = 'forward'): LogEntry[] {
  const out: LogEntry[] = [];
  for (const s of streams) for (const v of s.values) out.push({ ts: BigInt(v[0]), line: v[1], labels: s.stream });
  out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return direction === 'backward' ? out.reverse() : out;
}

/**
 * Authorization and tenant headers from the environment, with the variable
 * names Loki's own logcli reads (cmd/logcli/main.go): LOKI_USERNAME and
 * LOKI_PASSWORD (basic auth), LOKI_BEARER_TOKEN or LOKI_BEARER_TOKEN_FILE,
 * LOKI_ORG_ID (X-Scope-OrgID, the tenant of a multi-tenant Loki).
 */
export function authHeaders(env: NodeJS.ProcessEnv, url?: URL): Record<string, string> {
  const headers: Record<string, string> = {};
  const user = env.LOKI_USERNAME || (url?.username ? decodeURIComponent(url.username) : '');
  const pass = env.LOKI_PASSWORD || (url?.password ? decodeURIComponent(url.password) : '');
  let token = env.LOKI_BEARER_TOKEN ?? '';
  if (!token && env.LOKI_BEARER_TOKEN_FILE) {
    try {
      token = readFileSync(env.LOKI_BEARER_TOKEN_FILE, 'utf8').trim();
    } catch {
      throw new UserError(`LOKI_BEARER_TOKEN_FILE ${env.LOKI_BEARER_TOKEN_FILE} cannot be read: point it at the file holding the token`);
    }
  }
  if (token && (user || pass)) {
    throw new UserError('both a bearer token and basic-auth credentials are set: unset LOKI_BEARER_TOKEN(_FILE) or LOKI_USERNAME/LOKI_PASSWORD');
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (user || pass) headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  if (env.LOKI_ORG_ID) headers['X-Scope-OrgID'] = env.LOKI_ORG_ID;
  return headers;
}
