/*
 * Reading durations written as text: the one implementation in this library. Two rules are read, as
 * the programs of the stack read them:
 * - Go's time.ParseDuration (go/src/time/format.go): Compose (compose-go types/duration.go), the
 *   docker CLI's stack files, Promtail's and dskit's time.Duration settings;
 * - Prometheus's model.ParseDuration (prometheus/common model/time.go): Prometheus, Alertmanager,
 *   rule files, Promtail's discovery intervals, Loki's model.Duration settings.
 * Loki has settings of both types and its reference does not say which is which: isGoOrModelDuration is
 * what either reads (and what Duration.parse and the hints of the typed API read).
 */

/** Go's longest time.Duration (math.MaxInt64 nanoseconds), as time.Duration.String() writes it. */
export const GO_MAX_DURATION = '2562047h47m16.854775807s';

const INT64_MAX = (1n << 63n) - 1n;

/** What reading a duration gave: the nanoseconds, and whether they are beyond what an int64 holds; or the program's reason. */
export type DurationReading = { readonly ns: bigint; readonly beyondRange: boolean } | { readonly error: string };

const GO_UNITS_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * Reads `text` the way Go's time.ParseDuration does: an optional sign, then one or more decimal
 * numbers each with a unit (ns, us, µs, ms, s, m, h), or the bare `0`; no days, no spaces, no exponent.
 * Beyond ±(2^63-1) ns Go says "invalid duration"; here the sum goes on so that a caller can say it is
 * too long rather than badly written (`beyondRange`).
 */
export function readGoDuration(text: string): DurationReading {
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ns: 0n, beyondRange: false };
  if (s === '') return { error: 'invalid duration' };
  let total = 0n;
  let beyondRange = false;
  while (s !== '') {
    const [whole, int = '', frac] = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (int === '' && (frac === undefined || frac === '')) return { error: 'invalid duration' };
    s = s.slice(whole.length);
    const unitText = /^[^\d.]*/.exec(s)![0];
    if (unitText === '') return { error: beyondRange ? 'invalid duration' : 'missing unit in duration' };
    const unit = GO_UNITS_NS[unitText];
    if (unit === undefined) return { error: beyondRange ? 'invalid duration' : `unknown unit "${unitText}" in duration` };
    s = s.slice(unitText.length);
    let v = BigInt(int || '0') * unit;
    // Go adds the fraction in float64: the result may differ from exact decimal by a nanosecond, never in range.
    if (frac) v += BigInt(Math.trunc(Number(`0.${frac}`) * Number(unit)));
    total += v;
    if (total > (neg ? INT64_MAX + 1n : INT64_MAX)) beyondRange = true;
  }
  return { ns: neg ? -total : total, beyondRange };
}

/** Go's time.ParseDuration: the nanoseconds, or Go's reason as a string. */
export function parseGoDuration(text: string): bigint | string {
  const r = readGoDuration(text);
  return 'error' in r ? r.error : r.beyondRange ? 'invalid duration' : r.ns;
}

/** True for text Go's time.ParseDuration reads. */
export function isGoDuration(text: string): boolean {
  return typeof parseGoDuration(text) === 'bigint';
}

const MODEL_UNITS: Readonly<Record<string, { readonly pos: number; readonly ns: bigint }>> = {
  y: { pos: 1, ns: 365n * 86_400_000_000_000n },
  w: { pos: 2, ns: 7n * 86_400_000_000_000n },
  d: { pos: 3, ns: 86_400_000_000_000n },
  h: { pos: 4, ns: 3_600_000_000_000n },
  m: { pos: 5, ns: 60_000_000_000n },
  s: { pos: 6, ns: 1_000_000_000n },
  ms: { pos: 7, ns: 1_000_000n },
};

/**
 * Reads `text` the way Prometheus's model.ParseDuration does: the bare `0`, or whole numbers each with
 * a unit (y = 365d, w, d, h, m, s, ms), each unit at most once and from the largest down; no sign, no
 * fraction. Beyond 2^63-1 ns Prometheus says "duration out of range" (`beyondRange` here).
 */
export function readModelDuration(text: string): DurationReading {
  if (text === '0') return { ns: 0n, beyondRange: false };
  if (text === '') return { error: 'empty duration string' };
  const invalid = { error: `not a valid duration string: ${JSON.stringify(text)}` };
  let s = text;
  let total = 0n;
  let lastPos = 0;
  while (s !== '') {
    const digits = /^\d*/.exec(s)![0];
    if (digits === '' || BigInt(digits) > 2n ** 64n - 1n) return invalid;
    s = s.slice(digits.length);
    const unitText = /^\D*/.exec(s)![0];
    if (unitText === '') return invalid;
    s = s.slice(unitText.length);
    const unit = MODEL_UNITS[unitText];
    if (unit === undefined) return { error: `unknown unit ${JSON.stringify(unitText)} in duration ${JSON.stringify(text)}` };
    if (unit.pos <= lastPos) return invalid;
    lastPos = unit.pos;
    total += BigInt(digits) * unit.ns;
  }
  return { ns: total, beyondRange: total > INT64_MAX };
}

/** Prometheus's model.ParseDuration: the nanoseconds, or Prometheus's reason as a string. */
export function parseModelDuration(text: string): bigint | string {
  const r = readModelDuration(text);
  return 'error' in r ? r.error : r.beyondRange ? 'duration out of range' : r.ns;
}

/** True for text Prometheus's model.ParseDuration reads. */
export function isModelDuration(text: string): boolean {
  return typeof parseModelDuration(text) === 'bigint';
}

/**
 * model.ParseDuration's syntax as a pattern, for schemas that want one: it is {@link isModelDuration}
 * without the range check (test/primitives.test.ts holds them to each other).
 */
// The lookahead refuses an empty string, which every unit being optional would otherwise let through.
export const MODEL_DURATION_PATTERN = /^(?:0|(?=\d)(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;

/** A duration as Go or as Prometheus writes it, unsigned: what Loki reads (it has settings of both types). */
export function isGoOrModelDuration(text: string): boolean {
  return !/^[+-]/.test(text) && (isGoDuration(text) || isModelDuration(text));
}

/** Milliseconds of a duration as Go or Prometheus writes it (unsigned, in range), or undefined if it is none. */
export function goOrModelDurationMs(text: string): number | undefined {
  if (!isGoOrModelDuration(text)) return undefined;
  const go = parseGoDuration(text);
  return Number(typeof go === 'bigint' ? go : (parseModelDuration(text) as bigint)) / 1e6;
}
