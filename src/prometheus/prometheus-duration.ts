import { Duration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { MODEL_DURATION_PATTERN, parseModelDuration } from '../core/go-duration.js';

/** Prometheus's duration syntax (`model.Duration`), read by core/go-duration.ts: units from years down to milliseconds, each at most once, in order. */
export const PROMETHEUS_DURATION_PATTERN = MODEL_DURATION_PATTERN;

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * Writes a duration the way Prometheus reads it (`15d`, `1h30m`, `15s`).
 * Days are the largest unit: `y` and `w` are exact in Prometheus too, but
 * `15d` reads better than `2w1d`.
 */
export function toPrometheusDuration(d: Duration): string {
  let ms = Math.round(d.milliseconds);
  if (ms === 0) return '0s';
  let out = '';
  for (const [unit, factor] of UNITS) {
    const n = Math.floor(ms / factor);
    if (n > 0) out += `${n}${unit}`;
    ms -= n * factor;
  }
  return out;
}

/** Parses a Prometheus duration into milliseconds (for checks of the final document). */
export function parsePrometheusDuration(text: string): number {
  const ns = parseModelDuration(text);
  if (typeof ns === 'string') throw new UserError(`'${text}' is not a Prometheus duration (${ns}); write it like 15s, 5m or 15d`);
  return Number(ns / 1_000_000n);
}
