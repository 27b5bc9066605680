import { duplicateGroupNames, GoRegexAnchoring, goRegexProblem } from '../core/re2.js';
import { LogLevel } from './log-level.js';
import { levelWords } from './level-words.js';
import type { LineRule, LogFormatOptions, Multiline, TimestampField } from './log-format-options.js';
import { checkExpressions, checkLogFormatOptions, type CheckedExpressions, type CheckedOptions } from './log-format-schema.js';

// The options live in their own file so that their schema (log-format-schema.ts) needs nothing of this one.
export type { LineRule, LogFormatOptions, Multiline, TimestampField } from './log-format-options.js';

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
          errors.push(
            `logFormat: field '${f}' is not a named group of the regex (groups: ${[...groups].join(', ') || 'none'}); add (?P<${f}>...) or name another field`,
          );
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
