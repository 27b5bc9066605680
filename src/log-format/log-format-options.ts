import type { Duration } from '../core/duration.js';
import type { LogLevel } from './log-level.js';

/** Where a line's own time is, and how it is written. */
export interface TimestampField {
  /** The parsed field holding the time. */
  readonly field: string;
  /**
   * Go reference layout (`2006-01-02 15:04:05.000 MST`) or one of Promtail's
   * names (`RFC3339`, `RFC3339Nano`, `Unix`, `UnixMs`, ...). Anything else
   * (`YYYY-MM-DD`, `%Y-%m-%d`, Go's `Stamp`) would parse no line in Promtail and is
   * refused, with the layout to write. A layout without a
   * numeric offset is read only when the service's clock is UTC (no `TZ`, or a UTC
   * one); otherwise the entry keeps Docker's timestamp (see LOGGING.md).
   */
  readonly format: string;
  /** Other layouts tried in order when `format` does not parse. @default none */
  readonly fallbackFormats?: readonly string[];
}

/** Lines that form one entry: a stack trace, a statement over several lines. */
export interface Multiline {
  /** RE2 matching the FIRST line of an entry; every other line joins the entry before it. */
  readonly firstLine: string;
  /**
   * How long an entry waits for more lines. Programs write a multi-line entry
   * in one write, so its lines reach the collector together: a short wait
   * joins them without holding every single line back.
   * @default Duration.millis(250)
   */
  readonly maxWait?: Duration;
  /** @default 128 (Promtail's default) */
  readonly maxLines?: number;
}

/** A rule for noisy lines (health-check access logs and the like). */
export interface LineRule {
  /** RE2 matched against the whole line (before parsing). */
  readonly pattern: string;
  /** Why the lines are left out: Promtail counts them under this reason (`logentry_dropped_lines_total`). */
  readonly reason: string;
  /**
   * Share of the matching lines KEPT, above 0 and below 1 (sampling). Unset:
   * every matching line is dropped.
   * @default undefined (drop all)
   */
  readonly keep?: number;
}

/** Options every format shares. */
export interface LogFormatOptions {
  /**
   * The parsed field holding the program's level word. Its value is
   * normalized to error/warn/info/debug (see {@link levels}); a word that is
   * not known leaves the line without a level.
   * @default 'level'
   */
  readonly level?: string;
  /**
   * The program's own level words, added to the common ones (error, err,
   * fatal, panic, critical, warning, warn, notice, info, debug, trace, ...).
   * Compared case-insensitively.
   * @default none
   */
  readonly levels?: Readonly<Record<string, LogLevel>>;
  /** Where the line's own time is. @default the time the container wrote the line (Docker's) */
  readonly timestamp?: TimestampField;
  /**
   * Parsed fields kept as Loki structured metadata (queryable with a label
   * filter, not indexed). Give the reason in a comment: a field with many
   * values (ids, pids, file:line) must never become a label.
   * @default none
   */
  readonly metadata?: readonly string[];
  /** Joins the lines of one entry. @default every line is an entry */
  readonly multiline?: Multiline;
  /** Noisy lines to drop or sample. @default none */
  readonly rules?: readonly LineRule[];
}
