import WebSocket from 'ws';
import { entriesOf, type LogEntry, type LokiClient, type LokiStream } from './loki-client.js';
import { LokiError, LokiFailure, translateLokiError } from './loki-error.js';
import { TailCursor } from './tail-cursor.js';
import { formatNs, msToNs } from './time-range.js';

/** Options of {@link follow}. */
export interface FollowOptions {
  readonly client: LokiClient;
  /** A LogQL log query (already checked). */
  readonly query: string;
  /** What was printed before following (the history), and where the tail starts when nothing was. */
  readonly cursor: TailCursor;
  readonly startIfEmpty: bigint;
  /** Prints one entry (only entries not printed before reach it). */
  readonly print: (e: LogEntry) => void;
  /** Tells the user about reconnects and dropped lines (stderr). */
  readonly notice: (message: string) => void;
  /** Stops following (Ctrl-C). */
  readonly signal: AbortSignal;
  /** Loki's `delay_for`, seconds (0 to 5). @default 0 */
  readonly delayFor?: number;
  /** Reconnect backoff: first and longest wait in ms. @default [250, 5000] */
  readonly backoffMs?: readonly [number, number];
  /** A connection that sends nothing (not even Loki's once-a-second ping) this long is dead. @default 15000 */
  readonly idleTimeoutMs?: number;
  /** Entries per page of the catch-up query after a reconnect. @default 1000 */
  readonly pageSize?: number;
}

/**
 * Follows a query through Loki's WebSocket tail endpoint, `GET /loki/api/v1/tail`
 * (docs/sources/reference/loki-http-api.md, "Stream logs"): query parameters
 * `query`, `start` (ns; default an hour ago), `limit` (history entries; default
 * 100), `delay_for` (seconds, at most 5); each message is
 * `{"streams":[{"stream":{labels},"values":[["<ns>","<line>"]]}],
 * "dropped_entries":[{"labels":{...},"timestamp":"<ns>"}]}`.
 *
 * What Loki's tailer does, and what this does about it (pkg/querier/tail/tail.go,
 * http.go): it pings every second (wsPingPeriod), so silence means a dead
 * connection; it ends every tail after `querier.tail_max_duration` (1h) with
 * close code 1011, and a restart drops it: both reconnect. The tail's own
 * look-back is best-effort (the newest `limit` entries only), so after a
 * drop this first catches up with `query_range` (forward, paged) from just
 * before the last line printed, then tails from the newest line; lines
 * already printed are skipped ({@link TailCursor}). When the client cannot
 * keep up, Loki drops entries and lists them in `dropped_entries`: they are
 * reported with the command that fetches them.
 *
 * Resolves when `signal` aborts; rejects with a {@link LokiError} when Loki
 * refuses the query (a 4xx other than 429).
 */
export async function follow(opts: FollowOptions): Promise<void> {
  const [minBackoff, maxBackoff] = opts.backoffMs ?? [250, 5000];
  let backoff = minBackoff;
  let lost: string | undefined;
  let first = true;
  while (!opts.signal.aborted) {
    let caughtUp = 0;
    if (!first) {
      try {
        caughtUp = await catchUp(opts);
      } catch (e) {
        if (LokiError.isLokiError(e) && e.failure === LokiFailure.REFUSED) throw e;
        // Loki still down or busy: wait and try again.
        await sleep(backoff, opts.signal);
        backoff = Math.min(backoff * 2, maxBackoff);
        continue;
      }
    }
    const start = opts.cursor.newest ?? opts.startIfEmpty;
    const outcome = await tailOnce(opts, start, () => {
      if (lost) opts.notice(`reconnected to Loki${caughtUp ? ` (caught up ${caughtUp} line${caughtUp === 1 ? '' : 's'})` : ''}; following again`);
      lost = undefined;
      backoff = minBackoff;
    });
    first = false;
    if (opts.signal.aborted) return;
    if (outcome.refused) throw outcome.refused;
    if (!lost) {
      lost = outcome.reason;
      opts.notice(`${outcome.reason}; reconnecting (lines written meanwhile are fetched, none twice)...`);
    }
    if (!outcome.opened) {
      await sleep(backoff, opts.signal);
      backoff = Math.min(backoff * 2, maxBackoff);
    }
  }
}

/** Prints what was written since just before the last printed line, page by page; returns how many new lines. */
async function catchUp(opts: FollowOptions): Promise<number> {
  const from = opts.cursor.resumeFrom();
  if (from === undefined) return 0;
  const pageSize = opts.pageSize ?? 1000;
  const end = msToNs(Date.now());
  let start = from;
  let printed = 0;
  for (;;) {
    const page = await opts.client.queryRange({ query: opts.query, start, end, limit: pageSize, direction: 'forward' });
    for (const e of page) {
      if (opts.cursor.accept(e)) {
        opts.print(e);
        printed++;
      }
    }
    if (page.length < pageSize || opts.signal.aborted) return printed;
    const last = page[page.length - 1].ts;
    // A full page: the next one starts at its last timestamp (repeats are skipped);
    // a page of one single timestamp would loop, so step past it.
    start = last > start ? last : last + 1n;
  }
}

interface TailOutcome {
  /** Whether the WebSocket opened. */
  readonly opened: boolean;
  /** Why it ended, for the user. */
  readonly reason: string;
  /** Loki refused the request itself: stop. */
  readonly refused?: LokiError;
}

function tailUrl(opts: FollowOptions, start: bigint): string {
  const u = new URL(`${opts.client.url}/loki/api/v1/tail`);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('query', opts.query);
  u.searchParams.set('start', String(start));
  // The look-back only covers the moment between the catch-up and this connection.
  u.searchParams.set('limit', String(opts.pageSize ?? 1000));
  if (opts.delayFor) u.searchParams.set('delay_for', String(opts.delayFor));
  return u.href;
}

/** One WebSocket connection, until it closes, dies, or the signal aborts. */
function tailOnce(opts: FollowOptions, start: bigint, onOpen: () => void): Promise<TailOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(tailUrl(opts, start), { headers: { ...opts.client.headers } });
    let opened = false;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (o: TailOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      opts.signal.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        ws.terminate();
        finish({ opened, reason: `Loki sent nothing for ${(opts.idleTimeoutMs ?? 15000) / 1000}s (it pings every second)` });
      }, opts.idleTimeoutMs ?? 15000);
    };
    const onAbort = () => {
      ws.close(1000);
      finish({ opened, reason: 'stopped' });
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });

    ws.on('open', () => {
      opened = true;
      alive();
      onOpen();
    });
    ws.on('ping', alive);
    ws.on('message', (data) => {
      alive();
      let msg: { streams?: LokiStream[]; dropped_entries?: Array<{ labels?: Record<string, string>; timestamp: string }> };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch {
        return;
      }
      for (const e of entriesOf(msg.streams ?? [])) if (opts.cursor.accept(e)) opts.print(e);
      if (msg.dropped_entries?.length) reportDropped(opts, msg.dropped_entries);
    });
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const err = translateLokiError(status, Buffer.concat(chunks).toString('utf8'), opts.client.url);
        ws.terminate();
        if (err.failure === LokiFailure.REFUSED) finish({ opened, reason: err.message, refused: err });
        else finish({ opened, reason: `Loki answered ${status}` });
      });
    });
    ws.on('error', (e) => {
      finish({
        opened,
        reason: opened
          ? `the connection to Loki failed (${e.message})`
          : `cannot reach Loki at ${opts.client.url} (${(e as { code?: string }).code ?? e.message})`,
      });
    });
    ws.on('close', (code, reason) => {
      const why = reason.toString();
      finish({
        opened,
        reason:
          why === 'reached tail max duration limit'
            ? 'Loki ended the tail at its querier.tail_max_duration (1h by default)'
            : `Loki closed the tail (${code}${why ? `: ${why}` : ''})`,
      });
    });
  });
}

function reportDropped(opts: FollowOptions, dropped: ReadonlyArray<{ timestamp: string }>): void {
  const ts = dropped.map((d) => BigInt(d.timestamp));
  const min = ts.reduce((a, b) => (b < a ? b : a));
  const max = ts.reduce((a, b) => (b > a ? b : a));
  opts.notice(
    `Loki dropped ${dropped.length} line${dropped.length === 1 ? '' : 's'} it could not send in time (this terminal fell behind); ` +
      `they are stored: aixcl-logs --query ${shellQuote(opts.query)} --from ${formatNs(min)} --to ${formatNs(max + 1n)} shows them`,
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A single-quoted shell word. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
