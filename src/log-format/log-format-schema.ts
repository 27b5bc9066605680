import { z } from 'zod';
import { Duration } from '../core/duration.js';
import { closest } from '../core/did-you-mean.js';
import { durationCallFor } from '../core/value-schemas.js';
import { copyPlain, describeValue, instanceOf, objectOr, parseProps, propsSchema, quote, valueOf } from '../core/props.js';
import type { LogLevel } from './log-level.js';
import type { LineRule, LogFormatOptions, Multiline, TimestampField } from './log-format-options.js';
import { timeFormatProblem } from './time-layout.js';

/*
 * The options of the LogFormat factories, checked at run time like props (src/core/props.ts): a stack
 * file in plain JavaScript, or one run through tsx, is not type-checked. The schemas check types and
 * keys; what a value means (field names, ranges, regexes) is checked by LogFormat.validate, with the
 * messages it always had. A LogFormat is a value, not a construct: its problems are reported by the
 * Service that uses it, at the service's path.
 */

/** A Promtail timestamp format: one of its names or a Go layout (see time-layout.ts). */
const timeFormat = valueOf<string>((v, report) => {
  if (typeof v !== 'string') {
    return report(`must be one of Promtail's named formats or a Go layout string (e.g. 'RFC3339Nano' or '2006-01-02 15:04:05.000'), got ${describeValue(v)}`);
  }
  const problem = timeFormatProblem(v);
  if (problem) report(problem);
});

const timestampSchema = propsSchema<TimestampField>()(
  z.strictObject({
    field: z.string(),
    format: timeFormat,
    fallbackFormats: z.array(timeFormat).readonly().optional(),
  }),
);

/** A Duration for multiline.maxWait; a number is taken for milliseconds in the hint (the default is 250 ms). */
const maxWait = instanceOf<Duration>('a Duration', Duration.isDuration, (v) => {
  const call = durationCallFor(v);
  if (call) return `write ${call}`;
  if (typeof v === 'number') return `write Duration.millis(${v}) (or Duration.seconds(...))`;
  return 'write Duration.millis(250), Duration.seconds(1), ...';
});

const multilineSchema = propsSchema<Multiline>()(
  z.strictObject({
    firstLine: z.string(),
    maxWait: maxWait.optional(),
    maxLines: z.number().optional(),
  }),
);

const ruleSchema = propsSchema<LineRule>()(
  z.strictObject({
    pattern: z.string(),
    reason: z.string(),
    keep: z.number().optional(),
  }),
);

/** Any value: a level word's level is checked by LogFormat.validate (its message names the word). */
const levelValue = valueOf<LogLevel>(() => undefined);

const optionsSchema = propsSchema<LogFormatOptions>()(
  z.strictObject({
    level: z.string().optional(),
    levels: z.record(z.string(), levelValue).optional(),
    timestamp: objectOr(timestampSchema, (v, report) =>
      report(
        `must be an object ({ field, format }), got ${describeValue(v)}${typeof v === 'string' ? `: write { field: ${quote(v)}, format: 'RFC3339Nano' } (the format the lines write)` : ''}`,
      ),
    ).optional(),
    metadata: z.array(z.string()).readonly().optional(),
    multiline: objectOr(multilineSchema, (v, report) =>
      report(`must be an object ({ firstLine, ... }), got ${describeValue(v)}${typeof v === 'string' ? `: write { firstLine: ${quote(v)} }` : ''}`),
    ).optional(),
    rules: z
      .array(objectOr(ruleSchema, (v, report) => report(`must be a rule ({ pattern, reason }), got ${describeValue(v)}`)))
      .readonly()
      .optional(),
  }),
);

const OPTION_KEYS = Object.keys(optionsSchema.shape);

/** What {@link checkLogFormatOptions} found. */
export interface CheckedOptions {
  /** A copy of the valid options (a later change to the caller's object does not reach the format). */
  readonly options: LogFormatOptions;
  /** One message per problem, `logFormat: ...`. */
  readonly problems: readonly string[];
  /**
   * Options in place of which the default is used: given wrong, or (for a key the format does not
   * take) the option it is a typo of. A check of a default skips them, so as not to blame the user for it.
   */
  readonly onFallback: ReadonlySet<string>;
}

/** Checks the options given to a LogFormat factory (`owner`, e.g. `LogFormat.json()`). */
export function checkLogFormatOptions(owner: string, raw: unknown): CheckedOptions {
  if (raw === undefined) raw = {};
  const proto = typeof raw === 'object' && raw !== null ? Object.getPrototypeOf(raw) : undefined;
  // A class instance (a Duration, another LogFormat) is not an options object, whatever its keys.
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || (proto !== Object.prototype && proto !== null)) {
    return {
      options: {},
      problems: [
        `logFormat: the options of ${owner} must be an object ({ level: 'severity', ... }), got ${describeValue(raw)}: leave them out for the defaults`,
      ],
      onFallback: new Set(OPTION_KEYS),
    };
  }
  const given = raw as Record<string, unknown>;
  const problems: string[] = [];
  const onFallback = new Set<string>();
  let toCheck = given;
  // A string (or object) for `rules`: zod's list message would say to write ['...'], a list of strings.
  if (given.rules !== undefined && !Array.isArray(given.rules)) {
    problems.push(
      `logFormat: rules must be a list of rules, got ${describeValue(given.rules)}: write [{ pattern: ${typeof given.rules === 'string' ? quote(given.rules) : "'...'"}, reason: 'healthcheck' }]`,
    );
    toCheck = Object.fromEntries(Object.entries(given).filter(([k]) => k !== 'rules'));
    onFallback.add('rules');
  }
  const checked = parseProps(optionsSchema, toCheck, { owner });
  problems.push(...checked.problems.map((p) => `logFormat: ${p}`));
  const props = checked.props as Record<string, unknown>;
  for (const key of Object.keys(toCheck)) {
    if (!OPTION_KEYS.includes(key)) {
      const typo = closest(key, OPTION_KEYS);
      if (typo) onFallback.add(typo);
    } else if (!(key in props)) onFallback.add(key);
  }
  return { options: copyPlain(checked.props), problems, onFallback };
}

/** What {@link checkExpressions} found. */
export interface CheckedExpressions {
  readonly expressions: readonly string[];
  readonly problems: readonly string[];
}

/** Checks the expressions given to LogFormat.regex(): one string, or a list of strings. */
export function checkExpressions(raw: unknown): CheckedExpressions {
  if (typeof raw === 'string') return { expressions: Object.freeze([raw]), problems: [] };
  const example = "LogFormat.regex('^(?P<time>\\\\S+) (?P<level>[A-Z]+) ')";
  if (!Array.isArray(raw)) {
    return {
      expressions: [],
      problems: [
        `logFormat: LogFormat.regex() takes an RE2 expression with named groups (or a list of them), got ${describeValue(raw)}: write e.g. ${example}`,
      ],
    };
  }
  const problems: string[] = [];
  raw.forEach((e, i) => {
    if (typeof e !== 'string')
      problems.push(`logFormat: LogFormat.regex() expression [${i}] must be a string (an RE2 expression with named groups), got ${describeValue(e)}`);
  });
  return { expressions: Object.freeze(raw.filter((e): e is string => typeof e === 'string')), problems };
}
