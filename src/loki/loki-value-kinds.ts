import { isGoOrModelDuration } from '../core/go-duration.js';
import { LOKI_SIZE_PATTERN } from '../core/size.js';
import type { LokiValueKind } from './loki-config-reference.js';

// What each kind of value in a Loki configuration must be, and what is said when
// it is not. The zod schema (loki-config-schema.ts) takes its messages and patterns
// from here, and the walker (loki-config-walker.ts) its checks: each check reports
// what the kind's zod schema reports for the same value (same message, and whether
// the problem stops the rules across keys, as zod's aborting issues do).

/** A kind checked by its value alone, not key by key. */
export type LokiLeafKind = Exclude<LokiValueKind, `@${string}`>;

/** A byte size Loki reads (core/size.ts says which parsers): `64MB`, `256 KiB`, `1024`. */
export const SIZE_RE = LOKI_SIZE_PATTERN;

/** What is said of a value that is not of its kind (after its key path). */
export const KIND_MESSAGES = {
  boolean: 'must be true or false',
  // A YAML scalar: Loki's YAML decoder turns any scalar into a string field.
  string: 'must be a single value (string or number)',
  // yaml.v2 refuses a quoted string for an int field ("cannot unmarshal !!str `1000` into int").
  int: 'must be a whole number, unquoted (Loki refuses a string here, even "1000")',
  wholeNumber: 'must be a whole number',
  // Loki's flagext.ByteSize or dskit's flagext.Bytes: a number of bytes, or a string with a unit (core/size.ts).
  size: 'must be a number of bytes or a size with a unit, such as 64MB or 256KiB',
  // Loki reads a byte size into an unsigned integer: a negative one fails its start-up.
  sizeBelowZero: 'must not be negative: write a number of bytes (0 or more) or a size with a unit, such as 64MB',
  // Beyond 2^53 a JavaScript number is not exact: the file would say another number than the stack.
  sizeInexact: `must be between 0 and ${Number.MAX_SAFE_INTEGER} bytes when written as a number (beyond, a number is not exact): write a size with a unit, such as 16PiB`,
  float: 'must be a number, unquoted (Loki refuses a string here)',
  duration: 'must be a duration such as 30s, 10m, 24h or 7d',
  'string[]': 'must be a list of strings',
  list: 'must be a list',
  map: 'must be a mapping',
  block: 'must be a mapping of settings',
} as const;

/**
 * Reports one problem of a value. `aborts` is true for a value of the wrong
 * type (the rules across keys are then not checked, as in zod), false for a
 * value of the right type that is out of range or badly written. `at` is the
 * key or index inside the value, for a problem of one of its items.
 */
export type ReportProblem = (message: string, aborts: boolean, at?: PropertyKey) => void;

/** Checks one value of a kind. */
export type KindCheck = (value: unknown, report: ReportProblem) => void;

const M = KIND_MESSAGES;

// z.number() refuses NaN and the infinities.
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || isNumber(v);
const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

/** zod's test for a record: an object whose prototype chain looks like Object's (or none). */
function isPlainObject(v: unknown): v is object {
  if (!isObject(v)) return false;
  const ctor = (v as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf');
}

/** A mapping with any keys (z.record of string keys): a symbol key is refused, with the same message. */
function mapping(message: string): KindCheck {
  return (v, report) => {
    if (!isPlainObject(v)) return report(message, true);
    for (const key of Object.getOwnPropertySymbols(v)) {
      if (Object.prototype.propertyIsEnumerable.call(v, key)) report(message, true, key);
    }
  };
}

/** A pattern-checked string, or `other` when it is not a string: a wrong type aborts, a bad spelling does not. */
function written(pattern: { test(text: string): boolean }, message: string, other: (v: unknown, report: ReportProblem) => void): KindCheck {
  return (v, report) => {
    if (typeof v !== 'string') return other(v, report);
    if (!pattern.test(v)) report(message, false);
  };
}

/** A whole number of bytes: negative or beyond 2^53 are told apart (zod's int and min(0) checks). */
function byteCount(v: unknown, report: ReportProblem): void {
  if (!isNumber(v) || !Number.isInteger(v)) return report(M.size, true);
  if (!Number.isSafeInteger(v)) report(M.sizeInexact, false);
  if (v < 0) report(M.sizeBelowZero, false);
}

/** The check of every leaf kind. */
export const KIND_CHECKS: Readonly<Record<LokiLeafKind, KindCheck>> = {
  boolean: (v, report) => {
    if (typeof v !== 'boolean') report(M.boolean, true);
  },
  string: (v, report) => {
    if (!isScalar(v)) report(M.string, true);
  },
  int: (v, report) => {
    if (!isNumber(v)) report(M.int, true);
    else if (!Number.isInteger(v)) report(M.wholeNumber, true);
    // Beyond 2^53: zod's range issue, which does not abort.
    else if (!Number.isSafeInteger(v)) report(M.wholeNumber, false);
  },
  size: written(SIZE_RE, M.size, byteCount),
  float: (v, report) => {
    if (!isNumber(v)) report(M.float, true);
  },
  // Go (`1h30m`, `500ms`) and Prometheus (`7d`, `1w`) durations, the two kinds Loki reads.
  duration: written({ test: isGoOrModelDuration }, M.duration, (v, report) => {
    if (v !== 0) report(M.duration, true);
  }),
  'string[]': (v, report) => {
    if (!Array.isArray(v)) return report(M['string[]'], true);
    for (let i = 0; i < v.length; i++) if (!isScalar(v[i])) report(M.string, true, i);
  },
  list: (v, report) => {
    if (!Array.isArray(v)) report(M.list, true);
  },
  map: mapping(M.map),
  block: mapping(M.block),
  any: () => {},
};

/** Whether a value is a mapping of settings (zod's strictObject test). */
export function isSettingsMapping(v: unknown): v is Readonly<Record<string, unknown>> {
  return isObject(v);
}
