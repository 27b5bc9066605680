import { RE2JS } from 're2js';

/*
 * Every regular expression that Loki, Promtail or Prometheus compiles is Go's
 * `regexp` (RE2 syntax, Go dialect). JavaScript's RegExp accepts lookaheads,
 * backreferences and `a**`-free Perl syntax that Go refuses, and refuses some
 * of Go's (`(?i)` inside a pattern, `\z`, `[[:alpha:]]`), so it cannot judge
 * them. This module is the one place a Go regex is checked, with `re2js`: a
 * pure JavaScript port of RE2/J, itself a port of Go's `regexp/syntax` and
 * `regexp` (same parser, same error texts, e.g. "invalid or unsupported Perl
 * syntax: `(?=`").
 *
 * Why not C++ RE2 (`re2-wasm`, `@adguard/re2-wasm`, native `re2`): its
 * dialect differs from Go's where it matters here. C++ RE2 accepts `\C` (any
 * byte; Go: "invalid escape sequence") and squashes `a**` to `a*`
 * (google/re2 re2/parse.cc, "Squash ** to *"), which Go rejects ("invalid
 * nested repetition operator", golang/go src/regexp/syntax/parse_test.go);
 * the WASM builds also wrap it in a JavaScript-RegExp-like API that requires
 * the `u` flag. The native `re2` addon needs an install script, which npm 11
 * does not run. RE2/J's one extension, lookbehinds, is off unless asked for
 * with a flag this module never passes.
 */

/** How a program wraps a pattern before compiling it. */
export enum GoRegexAnchoring {
  /** Compiled as written: Loki's line filters (`|~`, `!~`), Promtail's `regex` stage. */
  NONE = 'none',
  /**
   * Compiled as `^(?s:PATTERN)$`: Prometheus's relabel `regex` (model/relabel
   * `NewRegexp`) and every label matcher `=~`/`!~` of PromQL and LogQL
   * (model/labels `NewFastRegexMatcher`).
   */
  FULL = 'full',
}

/** The pattern as the program compiles it. */
export function asCompiled(pattern: string, anchoring: GoRegexAnchoring): string {
  return anchoring === GoRegexAnchoring.FULL ? `^(?s:${pattern})$` : pattern;
}

const cache = new Map<string, RE2JS | string>();

function compile(source: string): RE2JS | string {
  let hit = cache.get(source);
  if (hit === undefined) {
    try {
      hit = RE2JS.compile(source);
    } catch (e) {
      hit = e instanceof Error ? e.message : String(e);
      // RE2/J refuses a capture name used twice; Go does not ("multiple subexpressions can be written
      // using the same name, as in (?P<bob>a+)(?P<bob>b+)": regexp.Regexp.SubexpIndex). Judged, and
      // matched, as Go would: with the later ones renamed (names change neither syntax nor matching).
      if (/duplicate capture group name/.test(hit)) {
        try {
          hit = RE2JS.compile(withUniqueGroupNames(source));
        } catch (e2) {
          // Another mistake: said of the pattern as written.
          hit = (e2 instanceof Error ? e2.message : String(e2)).replace(/__aixcl_dup\d+>/g, '>');
        }
      }
    }
    if (cache.size > 2000) cache.clear();
    cache.set(source, hit);
  }
  return hit;
}

/** An escaped character (skipped), or the opening of a named capture `(?P<name>` / `(?<name>` with its name. */
const CAPTURE_NAME = /(\\.)|\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g;

/** The pattern with every capture name after its first use renamed (`n`, `n` -> `n`, `n__aixcl_dup2`). */
function withUniqueGroupNames(source: string): string {
  const seen = new Map<string, number>();
  return source.replace(CAPTURE_NAME, (all, escaped: string | undefined, name: string | undefined) => {
    if (escaped !== undefined || name === undefined) return all;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? all : all.replace(`<${name}>`, `<${name}__aixcl_dup${n}>`);
  });
}

/** The capture names of a Go regex, in order (a name used twice is listed twice). */
export function captureNames(pattern: string): string[] {
  return [...pattern.matchAll(CAPTURE_NAME)].filter((m) => m[1] === undefined).map((m) => m[2]);
}

/** Capture names a Go regex uses more than once (Go accepts them; a program reading the groups by name may not). */
export function duplicateGroupNames(pattern: string): string[] {
  const names = captureNames(pattern);
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

/**
 * Why Go's `regexp.Compile` would refuse the pattern (as wrapped by the
 * program that reads it), in Go's own words with a hint; undefined when it
 * compiles.
 */
export function goRegexProblem(pattern: string, anchoring: GoRegexAnchoring = GoRegexAnchoring.NONE): string | undefined {
  const compiled = compile(asCompiled(pattern, anchoring));
  if (typeof compiled !== 'string') return undefined;
  return `regex ${JSON.stringify(pattern)} does not compile in Go's RE2 (${compiled})${hintFor(compiled)}`;
}

function hintFor(message: string): string {
  if (/Perl syntax: `\(\?[=!]/.test(message) || /named capture: `\(\?<[=!]/.test(message)) {
    return ': RE2 has no lookahead or lookbehind; match the text itself, or filter with a second stage (!= "..." or !~ "...")';
  }
  if (/escape sequence: `\\[1-9]`/.test(message)) return ': RE2 has no backreferences; match the repeated text explicitly';
  if (/nested repetition/.test(message)) return ': RE2 has no possessive quantifiers; write a single *, + or ?';
  if (/escape sequence/.test(message)) return ': escape only punctuation, or use an escape RE2 knows (\\d \\s \\w \\b \\pL \\x{41} ...)';
  if (/missing closing|unexpected \)/.test(message)) return ': balance the brackets, or escape a literal one with a backslash';
  return '';
}

/**
 * Whether the pattern, compiled as the program does, matches the empty
 * string; undefined when it does not compile.
 */
export function goRegexMatchesEmpty(pattern: string, anchoring: GoRegexAnchoring = GoRegexAnchoring.FULL): boolean | undefined {
  const compiled = compile(asCompiled(pattern, anchoring));
  return typeof compiled === 'string' ? undefined : compiled.test('');
}

/** Whether `text` matches the pattern as compiled by the program (a search; anchors come from the anchoring). */
export function goRegexTest(pattern: string, text: string, anchoring: GoRegexAnchoring = GoRegexAnchoring.NONE): boolean | undefined {
  const compiled = compile(asCompiled(pattern, anchoring));
  return typeof compiled === 'string' ? undefined : compiled.test(text);
}
