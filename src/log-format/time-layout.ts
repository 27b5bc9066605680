import { closest } from '../core/did-you-mean.js';
import { quote } from '../core/props.js';

/*
 * The `format` (and `fallback_formats`) of Promtail's timestamp stage, as Promtail 3.6 reads it:
 * - clients/pkg/logentry/stages/util.go, convertDateLayout: the names ANSIC, UnixDate, RubyDate,
 *   RFC822, RFC822Z, RFC850, RFC1123, RFC1123Z, RFC3339, RFC3339Nano stand for Go's layouts of the
 *   same name, and Unix, UnixMs, UnixUs, UnixNs read epoch numbers; ANY other string is given to Go's
 *   time.Parse as a layout (one without `06`/`2006` is read as this year's, parseTimestampWithoutYear).
 * - clients/pkg/logentry/stages/timestamp.go, validateTimestampConfig: the only check of the format at
 *   load is that it is not empty.
 * - docs/sources/send-data/promtail/stages/timestamp.md ("Reference Time"): the names above, and a
 *   custom format written as the reference time `Mon Jan 2 15:04:05 -0700 MST 2006` would be.
 * So a format that is neither a name nor a layout with parts of the reference time (`YYYY-MM-DD`,
 * `%Y-%m-%d`, Go's `Stamp` or `DateTime`, which are not names in Promtail) loads, then parses no line:
 * every entry silently keeps the time Docker read it at. It is refused here instead.
 */

/** Promtail's named formats (util.go, convertDateLayout), in its docs' order. */
export const PROMTAIL_TIME_FORMATS = [
  'ANSIC',
  'UnixDate',
  'RubyDate',
  'RFC822',
  'RFC822Z',
  'RFC850',
  'RFC1123',
  'RFC1123Z',
  'RFC3339',
  'RFC3339Nano',
  'Unix',
  'UnixMs',
  'UnixUs',
  'UnixNs',
] as const;

/** Go's time package constants that Promtail does NOT know by name, with their layouts (Go's time/format.go). */
const GO_ONLY_NAMES: Readonly<Record<string, string>> = {
  Layout: "01/02 03:04:05PM '06 -0700",
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

/** Names other tools use for one of Promtail's. */
const ALIASES: Readonly<Record<string, string>> = {
  iso8601: 'RFC3339',
  'iso-8601': 'RFC3339',
  epoch: 'Unix',
  unixseconds: 'Unix',
  unixmilli: 'UnixMs',
  unixmillis: 'UnixMs',
  epochmillis: 'UnixMs',
  unixmicro: 'UnixUs',
  unixnano: 'UnixNs',
};

/** The parts of the reference time Go's time.Parse reads (time/format.go, nextStdChunk), by kind. */
type Part = 'year' | 'month' | 'day' | 'weekday' | 'hour' | 'minute' | 'second' | 'fraction' | 'ampm' | 'zone';

/** The parts of the reference time in a Go layout, found as Go's nextStdChunk finds them. */
export function goLayoutParts(layout: string): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < layout.length;) {
    const found = partAt(layout, i);
    if (found) parts.push(found[0]);
    i += found ? found[1] : 1;
  }
  return parts;
}

/** The part of the reference time that starts at `i`, and its length (time/format.go, nextStdChunk). */
function partAt(layout: string, i: number): readonly [Part, number] | undefined {
  const at = (s: string) => layout.startsWith(s, i);
  const c = layout[i];
  const next = layout[i + 1] ?? '';
  const zone = (forms: string[]) => ['zone', forms.find(at)!.length] as const;
  if (at('Jan')) return ['month', at('January') ? 7 : 3];
  if (at('Mon')) return ['weekday', at('Monday') ? 6 : 3];
  if (at('MST')) return ['zone', 3];
  if (c === '0' && next >= '1' && next <= '6') return [(['month', 'day', 'hour', 'minute', 'second', 'year'] as const)[Number(next) - 1], 2];
  if (at('002')) return ['day', 3];
  if (c === '1') return next === '5' ? ['hour', 2] : ['month', 1];
  if (c === '2') return at('2006') ? ['year', 4] : ['day', 1];
  if (at('_2') && !at('_2006')) return ['day', 2];
  if (at('__2')) return ['day', 3];
  if (c === '3') return ['hour', 1];
  if (c === '4') return ['minute', 1];
  if (c === '5') return ['second', 1];
  if (at('PM') || at('pm')) return ['ampm', 2];
  if (at('-07')) return zone(['-070000', '-07:00:00', '-0700', '-07:00', '-07']);
  if (at('Z07')) return zone(['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07']);
  if ((c === '.' || c === ',') && (next === '0' || next === '9')) {
    let j = i + 1;
    while (layout[j] === next) j++;
    if (!/[0-9]/.test(layout[j] ?? '')) return ['fraction', j - i];
  }
  return undefined;
}

/** strftime directives (C, Python, Ruby) and their Go layout parts. */
const STRFTIME: Readonly<Record<string, string>> = {
  Y: '2006',
  y: '06',
  m: '01',
  d: '02',
  e: '_2',
  H: '15',
  I: '03',
  M: '04',
  S: '05',
  p: 'PM',
  b: 'Jan',
  h: 'Jan',
  B: 'January',
  a: 'Mon',
  A: 'Monday',
  z: '-0700',
  Z: 'MST',
  f: '000000',
  j: '002',
  T: '15:04:05',
  F: '2006-01-02',
  '%': '%',
};

/** Tokens of moment.js, Java's DateTimeFormatter and the like, and their Go layout parts (longest first). */
const PATTERN_TOKENS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(YYYY|yyyy|uuuu)/, '2006'],
  [/^(YY|yy)/, '06'],
  [/^MMMM/, 'January'],
  [/^MMM/, 'Jan'],
  [/^MM/, '01'],
  [/^(DDD|ddd)/, '002'],
  [/^(DD|dd)/, '02'],
  [/^HH/, '15'],
  [/^hh/, '03'],
  [/^mm/, '04'],
  [/^ss/, '05'],
  [/^S{9}/, '000000000'],
  [/^S{6}/, '000000'],
  [/^S{3}/, '000'],
  [/^(XXX|ZZ|xxx)/, 'Z07:00'],
  [/^(Z|XX|xx)/, '-0700'],
  [/^(A|a)/, 'PM'],
  [/^(EEEE|dddd)/, 'Monday'],
  [/^(EEE|ddd)/, 'Mon'],
];

/** The Go layout a strftime or moment/Java pattern means, when every part of it is known. */
function translated(format: string): string | undefined {
  if (format.includes('%')) {
    let ok = true;
    const out = format.replace(/%(.)/g, (_, d: string) => STRFTIME[d] ?? ((ok = false), ''));
    return ok ? out : undefined;
  }
  let out = '';
  let rest = format;
  let any = false;
  while (rest) {
    const hit = PATTERN_TOKENS.map(([re, go]) => [re.exec(rest), go] as const).find(([m]) => m);
    if (hit) {
      out += hit[1];
      rest = rest.slice(hit[0]![0].length);
      any = true;
    } else if (/^[A-Za-z]/.test(rest)) {
      // A letter that is no known token (Java's 'T' is quoted, 'T' alone is a literal in moment).
      if (rest[0] !== 'T') return undefined;
      out += 'T';
      rest = rest.slice(1);
    } else {
      out += rest[0];
      rest = rest.slice(1);
    }
  }
  return any ? out : undefined;
}

const NAMES_LIST = PROMTAIL_TIME_FORMATS.join(', ');
const LAYOUT = 'a Go layout writes the reference time Mon Jan 2 15:04:05 -0700 MST 2006 the way the lines do';
const HOW = `${LAYOUT}, e.g. '2006-01-02 15:04:05.000'; or use one of Promtail's names: ${NAMES_LIST}`;

/**
 * Why Promtail's timestamp stage would parse no time with this format (see the top of this file), with
 * the fix; undefined for one of Promtail's names or a Go layout.
 */
export function timeFormatProblem(format: string): string | undefined {
  if ((PROMTAIL_TIME_FORMATS as readonly string[]).includes(format)) return undefined;
  if (format.trim() === '') return `must not be empty: give one of Promtail's names (${NAMES_LIST}) or a Go layout`;
  const q = quote(format);
  const alias = ALIASES[format.toLowerCase()];
  if (alias) return `${q} is not one of Promtail's named formats: did you mean '${alias}'?`;
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(format)) {
    const goLayout = GO_ONLY_NAMES[format];
    if (goLayout) {
      return `${q} is a name in Go's time package, but not one of Promtail's (Promtail would take it for a layout and parse no line with it): write its layout ${quote(goLayout)}`;
    }
    const named = PROMTAIL_TIME_FORMATS.find((n) => n.toLowerCase() === format.toLowerCase()) ?? closest(format, PROMTAIL_TIME_FORMATS);
    if (named) return `${q} is not one of Promtail's named formats: did you mean '${named}'?`;
    return `${q} is neither one of Promtail's named formats nor a Go layout: ${HOW}`;
  }
  const parts = goLayoutParts(format);
  if (!parts.some((p) => p !== 'zone' && p !== 'ampm' && p !== 'weekday' && p !== 'fraction')) {
    const go = translated(format);
    if (go && goLayoutParts(go).length) {
      return `${q} is not a Go layout (Promtail would parse no line with it): did you mean ${quote(go)}? (${LAYOUT})`;
    }
    return `${q} is not a Go layout: it holds no part of the reference time (Promtail would parse no line with it); ${HOW}`;
  }
  return undefined;
}
