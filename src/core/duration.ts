import { UserError } from './errors.js';

const DURATION = Symbol.for('aixcl-cdk.Duration');

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
    return new Duration(n);
  }
  public static seconds(n: number): Duration {
    return new Duration(n * 1000);
  }
  public static minutes(n: number): Duration {
    return new Duration(n * 60_000);
  }
  public static hours(n: number): Duration {
    return new Duration(n * 3_600_000);
  }
  public static days(n: number): Duration {
    return new Duration(n * 86_400_000);
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
    return new Duration(total);
  }

  private constructor(public readonly milliseconds: number) {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new UserError(`a duration must be a finite, non-negative number (got ${milliseconds} ms)`);
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
