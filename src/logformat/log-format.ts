import { Duration } from '../core/duration.js';
import { duplicateGroupNames, GoRegexAnchoring, goRegexProblem } from '../core/re2.js';
import { LogLevel } from '../logging/log-level.js';
import { levelWords } from './level-words.js';
import { checkExpressions, checkLogFormatOptions, type CheckedExpressions, type CheckedOptions } from './log-format-schema.js';

const LOG_FORMAT = Symbol.for('aixcl-cdk.LogFormat');

/** How the collector parses a line. */
export enum LogParser {
  /** One JSON object per line (Promtail's `json` stage). */
  JSON = 'json',
  /** `key=value` pairs, values quoted when they hold spaces (Promtail's `logfmt` stage). */
  LOGFMT = 'logfmt',
  /** RE2 expressions with named groups (Promtail's `regex` stage). */
  REGEX = 'regex',
}

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


/**
 * The format of a service's log lines, declared by the service that writes
 * them. The collector derives its pipeline from it: one parse, the level
 * normalized to error/warn/info/debug under the name `level`, the line's own
 * timestamp, structured metadata, multi-line joining and noise rules.
 *
 * ```ts
 * new Service(stack, 'api', { image: 'my/api:1.2', logFormat: LogFormat.json({ level: 'severity', timestamp: { field: 'ts', format: 'RFC3339Nano' } }) });
 * ```
 */
export class LogFormat {
  /** True for LogFormat objects, across copies of this library. */
  public static isLogFormat(x: unknown): x is LogFormat {
    return typeof x === 'object' && x !== null && LOG_FORMAT in x;
  }

  /** One JSON object per line. Field names are JSON keys (dots reach nested objects). */
  public static json(options: LogFormatOptions = {}): LogFormat {
    return new LogFormat(LogParser.JSON, { expressions: [], problems: [] }, checkLogFormatOptions('LogFormat.json()', options));
  }

  /** `key=value` lines (Go's slog text handler, go-kit's logfmt logger, ...). */
  public static logfmt(options: LogFormatOptions = {}): LogFormat {
    return new LogFormat(LogParser.LOGFMT, { expressions: [], problems: [] }, checkLogFormatOptions('LogFormat.logfmt()', options));
  }

  /**
   * Lines matched by RE2 expressions with named groups (`(?P<level>...)`);
   * the group names are the fields. Several expressions cover a program that
   * writes several kinds of line: each line takes the fields of the ones it
   * matches.
   */
  public static regex(expressions: string | readonly string[], options: LogFormatOptions = {}): LogFormat {
    return new LogFormat(LogParser.REGEX, checkExpressions(expressions), checkLogFormatOptions('LogFormat.regex()', options));
  }

  /** The RE2 expressions of a regex format. */
  public readonly expressions: readonly string[];
  /** The options, as checked and copied when the format was made (a wrong option is left out: its default applies). */
  public readonly options: LogFormatOptions;
  /** The field holding the level word. */
  public readonly levelField: string;
  /** Lower-case level word -> normalized level (common words and the program's own). */
  public readonly levelWords: ReadonlyMap<string, LogLevel>;
  /** Problems of the arguments, found when the format was made. */
  private readonly argumentProblems: readonly string[];
  /** Options (and `expressions`) given wrong, on their defaults: checks of the defaults skip them. */
  private readonly onFallback: ReadonlySet<string>;
  private problems?: readonly string[];

  private constructor(
    public readonly parser: LogParser,
    expressions: CheckedExpressions,
    checked: CheckedOptions,
  ) {
    Object.defineProperty(this, LOG_FORMAT, { value: true });
    this.expressions = expressions.expressions;
    this.options = checked.options;
    this.argumentProblems = [...expressions.problems, ...checked.problems];
    this.onFallback = new Set([...checked.onFallback, ...(expressions.problems.length ? ['expressions'] : [])]);
    this.levelField = this.options.level ?? 'level';
    this.levelWords = levelWords(this.options.levels ?? {});
  }

  public get timestamp(): TimestampField | undefined {
    return this.options.timestamp;
  }
  public get metadata(): readonly string[] {
    return this.options.metadata ?? [];
  }
  public get multiline(): Multiline | undefined {
    return this.options.multiline;
  }
  public get rules(): readonly LineRule[] {
    return this.options.rules ?? [];
  }

  /**
   * The problems of this format, one message each (with the fix): its arguments (types, unknown
   * keys, time formats), then what they mean (field names, ranges, regex syntax as Go compiles it).
   * The service that uses the format reports them at its path; the collector leaves a format with
   * problems out of its pipeline, so that none is reported twice.
   */
  public validate(): string[] {
    this.problems ??= Object.freeze([...this.argumentProblems, ...this.meaningProblems()]);
    return [...this.problems];
  }

  private meaningProblems(): string[] {
    const errors: string[] = [];
    const fieldName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
    // The level field's default is judged only when the user did not try to set it (a wrong or misspelt `level`).
    const levelField = this.onFallback.has('level') ? undefined : this.levelField;
    const fields = [levelField, this.timestamp?.field, ...this.metadata].filter((x): x is string => x !== undefined);
    const regexProblem = (what: string, pattern: string): boolean => {
      const problem = goRegexProblem(pattern, GoRegexAnchoring.NONE);
      if (problem) errors.push(`logFormat: ${what}${problem}`);
      return !!problem;
    };
    if (this.parser === LogParser.REGEX && !this.onFallback.has('expressions')) {
      if (this.expressions.length === 0 || this.expressions.some((e) => e === '')) {
        errors.push('logFormat: LogFormat.regex() needs at least one non-empty RE2 expression with named groups such as (?P<level>\\w+)');
      }
      // Promtail compiles each expression with Go's regexp.Compile when it loads (regex.go).
      const compiles = this.expressions.filter((e) => e !== '').map((e) => !regexProblem('', e));
      const groups = new Set(this.expressions.flatMap((e) => [...e.matchAll(/\(\?P?<([^>]+)>/g)].map((m) => m[1])));
      // Go compiles a name used twice, but Promtail's regex stage sets every named group in order, '' for
      // one that did not take part (regex.go, FindStringSubmatch and SubexpNames): the last one wins, so
      // `(?P<level>ERROR)|(?P<level>WARN)` gives '' on an ERROR line.
      for (const e of this.expressions) {
        for (const name of duplicateGroupNames(e)) {
          errors.push(
            `logFormat: the regex names group '${name}' more than once; Promtail keeps the last one's value ('' when that branch did not match): ` +
              `use one group around the alternatives, e.g. (?P<${name}>ERROR|WARN)`,
          );
        }
      }
      // Without an expression that compiles there are no groups to look for (reported above, once);
      // an empty field name is reported below, once.
      for (const f of compiles.length && compiles.every(Boolean) ? fields.filter((x) => x !== '') : []) {
        if (!groups.has(f)) {
          errors.push(`logFormat: field '${f}' is not a named group of the regex (groups: ${[...groups].join(', ') || 'none'}); add (?P<${f}>...) or name another field`);
        }
      }
    }
    for (const f of fields) {
      const ok = this.parser === LogParser.JSON ? /^[a-zA-Z_@][a-zA-Z0-9_.@-]*$/.test(f) : fieldName.test(f);
      if (!ok) errors.push(`logFormat: '${f}' is not a usable field name (letters, digits and '_', not starting with a digit)`);
    }
    for (const m of this.metadata) {
      if (['service_name', 'compose_service', 'compose_project', 'container', 'stream', 'image'].includes(m)) {
        errors.push(`logFormat: metadata '${m}' is already a stream label: leave it out of metadata`);
      }
    }
    for (const [word, level] of Object.entries(this.options.levels ?? {})) {
      if (!Object.values(LogLevel).includes(level)) {
        errors.push(`logFormat: level word '${word}' maps to '${String(level)}', which is not a LogLevel (use LogLevel.ERROR, WARN, INFO or DEBUG)`);
      }
    }
    const ml = this.multiline;
    if (ml) {
      if (ml.firstLine === '') errors.push('logFormat: multiline.firstLine must be an RE2 expression matching the first line of an entry');
      else regexProblem('multiline.firstLine: ', ml.firstLine);
      if (ml.maxLines !== undefined && (!Number.isInteger(ml.maxLines) || ml.maxLines < 1)) {
        errors.push(`logFormat: multiline.maxLines must be a whole number of at least 1 (got ${ml.maxLines})`);
      }
      if (ml.maxWait !== undefined && !(ml.maxWait.milliseconds > 0)) errors.push('logFormat: multiline.maxWait must be above zero');
    }
    this.rules.forEach((r, i) => {
      if (r.pattern === '') errors.push(`logFormat: rules[${i}].pattern must be an RE2 expression`);
      else regexProblem(`rules[${i}].pattern: `, r.pattern);
      if (!/^[a-zA-Z0-9_]+$/.test(r.reason)) {
        errors.push(`logFormat: rules[${i}].reason must be a word of letters, digits and '_' (Promtail counts dropped lines under it)`);
      }
      if (r.keep !== undefined && !(r.keep > 0 && r.keep < 1)) {
        errors.push(`logFormat: rules[${i}].keep must be above 0 and below 1 (the share of lines kept); leave it out to drop them all`);
      }
    });
    return errors;
  }
}
