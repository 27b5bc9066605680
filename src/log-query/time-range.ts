import { UserError } from '../core/errors.js';
import { parseModelDuration } from '../core/go-duration.js';

/** A time range in nanoseconds since the Unix epoch, as Loki's HTTP API takes it. */
export interface TimeRange {
  /** Inclusive start (Loki returns entries with timestamp >= start). */
  readonly start: bigint;
  /** Exclusive end (Loki returns entries with timestamp < end). */
  readonly end: bigint;
}

/**
 * Parses a Prometheus-style duration (`15m`, `1h30m`, `2d`, `500ms`): the
 * format Loki itself reads for `since` and ranges (units ms, s, m, h, d, w, y).
 * @returns milliseconds
 */
export function parseDuration(text: string, option: string): number {
  // Prometheus's syntax (model.ParseDuration); a refusal is reported below with the option's name.
  const ns = parseModelDuration(text);
  const ms = typeof ns === 'bigint' ? Number(ns / 1_000_000n) : 0;
  if (ms <= 0) throw new UserError(`${option} '${text}' is not a duration: write it like 15m, 2h, 1h30m or 7d`);
  return ms;
}

/**
 * Parses a point in time: RFC 3339 (`2026-11-29T08:00:00Z`, a date
 * `2026-11-29` is midnight UTC), Unix seconds (`1764403200`, with a
 * fraction), or a duration before now (`2h` = two hours ago).
 * @returns nanoseconds since the epoch
 */
export function parseTime(text: string, option: string, now: number): bigint {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const [sec, frac = ''] = text.split('.');
    return BigInt(sec) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
  }
  if (/^\d+(ms|s|m|h|d|w|y)/.test(text)) return msToNs(now - parseDuration(text, option));
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (iso) {
    const [, date, time = '00:00:00', frac = '', zone = 'Z'] = iso;
    const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${zone === 'Z' ? 'Z' : zone}`);
    if (!Number.isNaN(ms)) return msToNs(ms) + BigInt((frac.slice(1) + '000000000').slice(0, 9));
  }
  throw new UserError(`${option} '${text}' is not a time: give RFC 3339 (2026-11-29T08:00:00Z), a date (2026-11-29), Unix seconds, or a duration ago (2h)`);
}

/** The range of `--since` or `--from`/`--to` (default: the last hour, Loki's own default for queries). */
export function timeRange(opts: { since?: string; from?: string; to?: string }, now = Date.now()): TimeRange {
  if (opts.since !== undefined && (opts.from !== undefined || opts.to !== undefined)) {
    throw new UserError('--since cannot be combined with --from/--to: give either --since 15m or --from T [--to T]');
  }
  const end = opts.to !== undefined ? parseTime(opts.to, '--to', now) : msToNs(now);
  const start = opts.from !== undefined ? parseTime(opts.from, '--from', now) : end - msToNs(parseDuration(opts.since ?? '1h', '--since'));
  if (start >= end) throw new UserError(`--from is not before --to: give a start earlier than the end`);
  return { start, end };
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

/** A nanosecond timestamp as RFC 3339 with nanoseconds (`2026-11-29T08:00:00.123456789Z`), as Loki writes it. */
export function formatNs(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  return `${base}.${(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

/** A duration in milliseconds as Go prints it in Loki's messages' spirit (1h30m, 45s). */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, s] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= s) {
      parts.push(`${Math.floor(rest / s)}${unit}`);
      rest %= s;
    }
  }
  return parts.join('') || `${ms}ms`;
}
