import { Duration } from '../core/duration.js';
import { UserError } from '../core/errors.js';

/** Prometheus's duration syntax (`model.Duration`): units from years down to milliseconds, each at most once, in order. */
// The lookahead refuses an empty string, which every unit being optional would otherwise let through.
export const PROMETHEUS_DURATION_PATTERN = /^(?:0|(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;

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
  if (text === '' || !PROMETHEUS_DURATION_PATTERN.test(text)) {
    throw new UserError(`'${text}' is not a Prometheus duration; write it like 15s, 5m or 15d`);
  }
  const factors: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * factors[m[2]];
  return total;
}
