import { UserError } from './errors.js';

const DURATION = Symbol.for('aixcl-cdk.Duration');

/** Go's longest time.Duration (math.MaxInt64 nanoseconds), as time.Duration.String() writes it. */
export const GO_MAX_DURATION = '2562047h47m16.854775807s';
/** The longest Duration that stays within Go's: whole milliseconds, as toGoString writes them. */
const GO_MAX_DURATION_MS = 9_223_372_036_854;

const GO_UNITS_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Reads `text` the way Go's time.ParseDuration does (go/src/time/format.go): an optional sign, then
 * one or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h), or the bare `0`; no days,
 * no spaces, no exponent; beyond ±(2^63-1) ns is "invalid duration". Compose reads its durations so
 * (compose-go types/duration.go: time.ParseDuration in the releases of Compose 2.2x; str2duration,
 * which also takes `d` and `w`, in later ones: what both accept is what this accepts).
 * @returns the nanoseconds, or Go's reason as a string
 */
export function parseGoDuration(text: string): bigint | string {
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return 'invalid duration';
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, int = '', frac] = m;
    if (int === '' && (frac === undefined || frac === '')) return 'invalid duration';
    s = s.slice(whole.length);
    const unitMatch = /^[^\d.]*/.exec(s)![0];
    if (unitMatch === '') return 'missing unit in duration';
    const unit = GO_UNITS_NS[unitMatch];
    if (unit === undefined) return `unknown unit "${unitMatch}" in duration`;
    s = s.slice(unitMatch.length);
    let v = BigInt(int || '0') * unit;
    // Go adds the fraction in float64: the result may differ from exact decimal by a nanosecond, never in range.
    if (frac) v += BigInt(Math.trunc(Number(`0.${frac}`) * Number(unit)));
    total += v;
    if (total > (neg ? INT64_MAX + 1n : INT64_MAX)) return 'invalid duration';
  }
  return neg ? -total : total;
}

/**
 * A length of time. Typed so that "7 days" cannot be written as a string that
 * one program reads as hours and another as days.
 */
export class Duration {
  /** True for durations, across copies of this library. */
  public static isDuration(x: unknown): x is Duration {
    return typeof x === 'object' && x !== null && DURATION in x;
  }

  public static millis(n: number): Duration {
    return new Duration(n, `Duration.millis(${n})`);
  }
  public static seconds(n: number): Duration {
    return new Duration(n * 1000, `Duration.seconds(${n})`);
  }
  public static minutes(n: number): Duration {
    return new Duration(n * 60_000, `Duration.minutes(${n})`);
  }
  public static hours(n: number): Duration {
    return new Duration(n * 3_600_000, `Duration.hours(${n})`);
  }
  public static days(n: number): Duration {
    return new Duration(n * 86_400_000, `Duration.days(${n})`);
  }

  /**
   * Parses a Go-style duration such as `168h`, `1h30m` or `15s`.
   * Days (`7d`) are accepted too, as Prometheus and Loki accept them.
   */
  public static parse(text: string): Duration {
    const re = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/gy;
    let total = 0;
    let matched = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
      total += Number(m[1]) * unit;
      matched = re.lastIndex;
    }
    if (text.length === 0 || matched !== text.length) {
      throw new UserError(`'${text}' is not a duration; write it like 30s, 15m, 24h or 7d`);
    }
    return new Duration(total, `Duration.parse('${text}')`);
  }

  private constructor(
    public readonly milliseconds: number,
    made = `${milliseconds} ms`,
  ) {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new UserError(`a duration must be a finite, non-negative number (got ${milliseconds} ms)`);
    }
    // Refused here, where every Duration is made, rather than where it is used: each use writes it as a
    // Go duration (toGoString) for a Go program, so one beyond Go's range is wrong wherever it goes.
    if (Math.round(milliseconds) > GO_MAX_DURATION_MS) {
      throw new UserError(
        `${made} is longer than the longest duration Go programs read (${GO_MAX_DURATION}, about 292 years: ` +
          `time.Duration is an int64 of nanoseconds), so Compose, Loki and Prometheus would refuse it: give a shorter duration`,
      );
    }
    Object.defineProperty(this, DURATION, { value: true });
  }

  public toSeconds(): number {
    return this.milliseconds / 1000;
  }
  public toHours(): number {
    return this.milliseconds / 3_600_000;
  }

  /**
   * Go duration string (what Loki, Promtail, Prometheus and Compose read).
   * Uses hours as the largest unit because Go's time.ParseDuration has no days.
   */
  public toGoString(): string {
    let ms = Math.round(this.milliseconds);
    if (ms === 0) return '0s';
    const parts: string[] = [];
    const h = Math.floor(ms / 3_600_000);
    ms -= h * 3_600_000;
    const m = Math.floor(ms / 60_000);
    ms -= m * 60_000;
    const s = Math.floor(ms / 1000);
    ms -= s * 1000;
    if (h) parts.push(`${h}h`);
    if (m) parts.push(`${m}m`);
    if (s) parts.push(`${s}s`);
    if (ms) parts.push(`${ms}ms`);
    return parts.join('');
  }

  public toString(): string {
    return this.toGoString();
  }
}
