import { UserError } from './errors.js';
import { GO_MAX_DURATION, readGoDuration, readModelDuration } from './go-duration.js';

const DURATION = Symbol.for('aixcl-cdk.Duration');

/** The longest Duration that stays within Go's: whole milliseconds, as toGoString writes them. */
const GO_MAX_DURATION_MS = 9_223_372_036_854;

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
   * Reads a duration as Go writes it (`1h30m`, `1.5h`, `500ms`: time.ParseDuration) or as Prometheus
   * and Loki also take it (`7d`, `2w`: model.ParseDuration), unsigned (core/go-duration.ts).
   */
  public static parse(text: string): Duration {
    const read = typeof text === 'string' && !/^[+-]/.test(text) ? [readGoDuration(text), readModelDuration(text)].find((r) => !('error' in r)) : undefined;
    if (!read || 'error' in read) throw new UserError(`'${text}' is not a duration; write it like 30s, 15m, 24h or 7d`);
    // Beyond Go's range the constructor says so, with the longest there is.
    return new Duration(Number(read.ns) / 1e6, `Duration.parse('${text}')`);
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
