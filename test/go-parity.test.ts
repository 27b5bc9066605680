// The Promtail model (test/support/promtail-model.ts) answers in JavaScript what Promtail answers with
// Go's standard library: what a regex stage captures (regexp), which lines a multiline stage starts an
// entry with, which lines a drop stage or a match selector's line filter selects, what instant a
// timestamp stage reads (time.Parse), and what a template stage writes (text/template). This test asks Go itself, through a small program of ours
// (test/support/go-parity/main.go, standard library only) built with Debian's Go compiler, for every
// expression and layout of the default stack's collector pipeline, on the real sample lines of
// test/fixtures/log-samples.ts and on timestamps of every shape those layouts meet. The model must agree
// with Go on each. Debian bookworm's Go is 1.19 (Promtail 3.6 is built with a later one): the parts of
// regexp and time.Parse asked here have not changed since (zone abbreviations read as offset 0 unless
// UTC or GMT+h, fractions after the seconds, RE2 syntax and leftmost-first matching).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { AixclStack, App, CollectorKind, NetworkMode, Testing } from '../src/index.js';
import { SAMPLES } from './fixtures/log-samples.js';
import { ROOT } from './support/cli.js';
import { GoRegexAnchoring, goRegexProblem, goRegexTest } from '../src/core/re2.js';
import { parseGoDuration } from '../src/core/go-duration.js';
import { timeFormatProblem } from '../src/log-format/time-layout.js';
import { goRegex, goTemplate, groupNames, parseGoTime } from './support/promtail-model.js';
import { tempDir } from './support/temp.js';

type Doc = Record<string, any>;
interface GoAnswer {
  readonly error?: string;
  readonly text?: string;
  readonly matched: boolean;
  readonly groups?: Record<string, string>;
  readonly unixNano?: string;
}
type GoCase =
  | { kind: 'regex'; re: string; text: string }
  | { kind: 'time'; layout: string; text: string }
  | { kind: 'template'; tpl: string; data: Record<string, string> }
  | { kind: 'duration'; text: string };

/** Debian's Go: `go` on PATH, else the newest /usr/lib/go-1.N (golang-1.N-go installs it there, scripts/ensure-docker.sh). */
function findGo(): string | undefined {
  const onPath = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (onPath.status === 0) return 'go';
  const dirs = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => /^go-1\.\d+$/.test(d)) : [];
  dirs.sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
  return dirs.map((d) => `/usr/lib/${d}/bin/go`).find((p) => existsSync(p));
}

let goParity: string;

/** Asks the Go program; one answer per case, in order. */
function askGo(cases: readonly GoCase[]): GoAnswer[] {
  const r = spawnSync(goParity, [], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  assert.equal(r.status, 0, r.stderr);
  const answers = JSON.parse(r.stdout) as GoAnswer[];
  assert.equal(answers.length, cases.length);
  return answers;
}

/** Every regex the default stack's collector hands to Go, with what it is tested against. */
function pipelineExpressions(stages: Doc[], into: { regexes: Set<string>; anchored: Set<string>; layouts: Set<string>; templates: Set<string> }): void {
  for (const s of stages) {
    if (s.match) {
      // A selector's label matchers `name=~"re"` (inside the braces) are anchored; its line filters
      // `|~ "re"` and `!~ "re"` (after them) are not.
      const [, matchers, filters] = /^\{([^}]*)\}(.*)$/s.exec(String(s.match.selector).trim()) ?? [];
      const str = String.raw`("(?:[^"\\]|\\.)*")`;
      for (const [, raw] of (matchers ?? '').matchAll(new RegExp(String.raw`[a-zA-Z_]\w*\s*(?:=~|!~)\s*${str}`, 'g')))
        into.anchored.add(JSON.parse(raw) as string);
      for (const [, raw] of (filters ?? '').matchAll(new RegExp(String.raw`(?:\|~|!~)\s*${str}`, 'g'))) into.regexes.add(JSON.parse(raw) as string);
      pipelineExpressions(s.match.stages ?? [], into);
    }
    if (s.regex?.expression) into.regexes.add(s.regex.expression);
    if (s.multiline?.firstline) into.regexes.add(s.multiline.firstline);
    if (s.drop?.expression) into.regexes.add(s.drop.expression);
    if (s.template?.template) into.templates.add(s.template.template);
    if (s.timestamp) {
      into.layouts.add(s.timestamp.format);
      for (const f of s.timestamp.fallback_formats ?? []) into.layouts.add(f);
    }
  }
}

/** What the model's regex stage takes from a line: every named group, '' when it did not take part. */
function modelMatch(re: string, text: string): { matched: boolean; groups?: Record<string, string> } {
  const m = goRegex(re).exec(text);
  if (!m) return { matched: false };
  return { matched: true, groups: Object.fromEntries(groupNames(re).map((n) => [n, m.groups?.[n] ?? ''])) };
}

// Timestamps of the shapes the layouts meet: the programs' own (Postgres's `%m`, Go's logfmt, Python's
// logging, RFC 3339) in UTC, in other zones, with and without fractions, and malformed ones.
const TIMES: readonly string[] = [
  '2020-05-13 14:54:18.588 UTC',
  '2020-05-13 14:54:18.588 GMT',
  '2020-05-13 14:54:18.588 CET',
  '2020-05-13 14:54:18.588 CEST',
  '2020-05-13 14:54:18.588 EST',
  '2020-05-13 14:54:18.588 ChST',
  '2020-05-13 14:54:18.588 GMT+2',
  '2020-05-13 14:54:18.588 GMT-11',
  '2020-05-13 14:54:18.588 -03',
  '2020-05-13 14:54:18.588 +0530',
  '2020-05-13 14:54:18 UTC',
  '2020-05-13 14:54:18.5 UTC',
  '2025-10-01 14:00:03.004',
  '2025-10-01 14:00:03,004',
  '2025-10-01 14:00:03',
  '2025-10-01 14:00:03.004123',
  '2025-10-01T14:00:03.004Z',
  '2025-10-01T14:00:03Z',
  '2025-10-01T14:00:03.123456789Z',
  '2025-10-01T14:00:03.004+02:00',
  '2025-10-01T14:00:03-07:00',
  '2025-10-01T14:00:03.004+0200',
  '2025-10-01T14:00:03.004 +0200',
  '01/Oct/2025:14:00:03 +0000',
  '2025-13-01 14:00:03.004',
  '2025-02-30 14:00:03.004',
  '2025-10-01 24:00:03.004',
  '2025-10-01 14:60:03.004',
  ' 2025-10-01 14:00:03.004',
  '2025-10-01',
  '',
  '1700000000',
  '1700000000123',
  'yesterday',
];

// Lines beyond the samples: a Postgres statement's continuation, a Python traceback's, blank and non-ASCII text.
const EXTRA_LINES: readonly string[] = [
  '\tFROM "user" ',
  '\t LIMIT 1',
  'Traceback (most recent call last):',
  '  File "/app/backend/open_webui/main.py", line 10, in <module>',
  '',
  'level=error msg="déjà vu: ünïcode ✓"',
  'ERROR:  relation "x" does not exist',
  'time=2025-10-01T14:00:03.004Z level=warn source=server.go:10 msg="x"',
];

describe('the Promtail model agrees with Go (regexp, time.Parse, text/template), built with Debian Go', () => {
  before(() => {
    const go = findGo();
    assert.ok(go, 'Go is missing: Debian golang-1.19-go (scripts/ensure-docker.sh installs it) is needed to check the Promtail model against Go');
    const dir = tempDir('go');
    goParity = join(dir, 'go-parity');
    // Caches and GOPATH in the test's directory: the build leaves nothing in the home directory.
    const r = spawnSync(go, ['build', '-o', goParity, join(ROOT, 'test', 'support', 'go-parity', 'main.go')], {
      encoding: 'utf8',
      env: { ...process.env, GOCACHE: join(dir, 'cache'), GOPATH: join(dir, 'gopath'), GO111MODULE: 'off', GOFLAGS: '', CGO_ENABLED: '0' },
    });
    assert.equal(r.status, 0, `go build failed: ${r.stderr}`);
  });

  const expressions = { regexes: new Set<string>(), anchored: new Set<string>(), layouts: new Set<string>(), templates: new Set<string>() };
  for (const networkMode of [NetworkMode.HOST, NetworkMode.BRIDGE]) {
    const app = new App();
    // The pipeline's expressions are the same for either collector (one log-pipeline.ts); Promtail's file lists them.
    const stack = new AixclStack(app, 'aixcl', { networkMode, collector: CollectorKind.PROMTAIL });
    const config = Testing.synthDocuments(stack)['promtail/promtail-config.yml'] as Doc;
    for (const job of config.scrape_configs as Doc[]) pipelineExpressions(job.pipeline_stages ?? [], expressions);
  }
  const lines = [...SAMPLES.flatMap((g) => g.samples.map((s) => s.line)), ...EXTRA_LINES];

  it('finds what it checks: the pipeline has regexes, anchored matchers and timestamp layouts', () => {
    assert.ok(expressions.regexes.size >= 8, `regexes: ${[...expressions.regexes].join(' | ')}`);
    assert.ok(expressions.layouts.size >= 3, `layouts: ${[...expressions.layouts].join(' | ')}`);
    assert.ok(expressions.templates.size >= 1, 'no template stage');
    assert.ok(lines.length >= 30);
  });

  it('every regex of the pipeline: same match and same named groups as Go on every sample line', () => {
    const cases: GoCase[] = [];
    for (const re of expressions.regexes) for (const text of lines) cases.push({ kind: 'regex', re, text });
    // Label matchers are anchored by Promtail's LogQL matcher (^(?:re)$), and tested on label values.
    const values = [...new Set([...SAMPLES.map((g) => g.service), 'stdout', 'stderr', 'aixcl', '', 'postgres-exporter'])];
    for (const re of expressions.anchored) for (const text of values) cases.push({ kind: 'regex', re: `^(?:${re})$`, text });
    const answers = askGo(cases);
    let matched = 0;
    cases.forEach((c, i) => {
      if (c.kind !== 'regex') return;
      const go = answers[i];
      assert.equal(go.error, undefined, `Go refuses ${c.re}: ${go.error}`);
      const model = modelMatch(c.re, c.text);
      assert.equal(model.matched, go.matched, `${c.re} on ${JSON.stringify(c.text)}: model ${model.matched}, Go ${go.matched}`);
      if (go.matched) {
        matched++;
        assert.deepEqual(model.groups, go.groups ?? {}, `groups of ${c.re} on ${JSON.stringify(c.text)}`);
      }
    });
    assert.ok(matched >= lines.length / 2, `only ${matched} of ${cases.length} cases matched: the comparison would say little`);
  });

  it('every timestamp layout of the pipeline (and the named layouts the model knows): same instant as Go, or both refuse', () => {
    // Promtail's Unix* names are its own code (strconv and time.Unix), not time.Parse: left out.
    const layouts = [...expressions.layouts, 'RFC3339', 'RFC3339Nano', '2006-01-02 15:04:05.000 MST', '2006-01-02T15:04:05.999999999Z07:00'].filter(
      (l) => !/^Unix/.test(l),
    );
    const cases: GoCase[] = [];
    for (const layout of new Set(layouts)) for (const text of TIMES) cases.push({ kind: 'time', layout, text });
    const answers = askGo(cases);
    let parsed = 0;
    cases.forEach((c, i) => {
      if (c.kind !== 'time') return;
      const go = answers[i];
      const model = parseGoTime(c.text, c.layout);
      const goNs = go.unixNano === undefined ? undefined : BigInt(go.unixNano);
      assert.equal(model, goNs, `time.Parse(${JSON.stringify(c.layout)}, ${JSON.stringify(c.text)}): model ${model}, Go ${goNs ?? go.error}`);
      if (goNs !== undefined) parsed++;
    });
    assert.ok(parsed >= 20, `only ${parsed} of ${cases.length} cases parsed: the comparison would say little`);
  });

  it('a time format the library refuses parses no time in Go, and the layout its message suggests parses it', () => {
    // [format the user wrote, a time written that way]: Promtail hands an unnamed format to time.Parse as a layout.
    const pairs: Array<[string, string]> = [
      ['YYYY-MM-DD HH:mm:ss', '2025-11-29 08:00:01'],
      ['yyyy-MM-dd HH:mm:ss.SSS', '2025-11-29 08:00:01.123'],
      ['%Y-%m-%dT%H:%M:%S%z', '2025-11-29T08:00:01+0100'],
      ['dd/MMM/yyyy:HH:mm:ss Z', '29/Nov/2025:08:00:01 +0100'],
      ['DateTime', '2025-11-29 08:00:01'],
      ['StampMilli', 'Nov 29 08:00:01.123'],
    ];
    const suggested = pairs.map(([f]) => /(?:did you mean|write its layout) '([^']+)'/.exec(timeFormatProblem(f) ?? '')?.[1]);
    pairs.forEach(([f], i) => assert.ok(suggested[i], `${f}: ${timeFormatProblem(f)}`));
    const cases: GoCase[] = pairs.flatMap(([f, text], i) => [
      { kind: 'time', layout: f, text },
      { kind: 'time', layout: suggested[i]!, text },
    ]);
    const answers = askGo(cases);
    pairs.forEach(([f, text], i) => {
      assert.ok(answers[2 * i].error, `Go parsed ${JSON.stringify(text)} with ${JSON.stringify(f)}`);
      assert.equal(
        answers[2 * i + 1].error,
        undefined,
        `Go refused ${JSON.stringify(text)} with the suggested ${JSON.stringify(suggested[i])}: ${answers[2 * i + 1].error}`,
      );
    });
  });

  it("the library's own check of a user's regex (re2js) accepts and refuses what Go's regexp.Compile does, and matches as Go does", () => {
    // Patterns users write: RE2 syntax Go accepts, and Perl/PCRE/JavaScript syntax it refuses. `(?<name>x)`
    // is left out: Go reads it since 1.22 (Promtail's and Loki's Go), Debian's 1.19 does not.
    const patterns = [
      'error',
      '(?i)error|warn',
      '^\\d+$',
      '[[:alpha:]]+',
      '\\pL+',
      '\\p{Greek}',
      '\\x{41}',
      '(?P<name>\\w+)',
      '\\Q.*\\E',
      '\\z',
      '\\A',
      '(?U)a+',
      '(?m)^a$',
      '(?s).',
      '\\bword\\b',
      'a{,3}',
      'a{2,5}',
      '[^\\x00-\\x{10FFFF}]',
      'x*?',
      '(?:a|b)+',
      '(?=x)',
      '(?!x)',
      '(?<=x)',
      '(?<!x)',
      '(a)\\1',
      'a**',
      'a++',
      'a{2}{3}',
      '\\Z',
      '\\C',
      '[z-a]',
      '(',
      ')',
      'a{1001}',
      'x{2,1}',
      '\\8',
      '[[:foo:]]',
      '\\p{Foo}',
      '(?P<n>a)(?P<n>b)',
      '(?i',
      '*a',
      '\\e',
      '(?P=name)',
      '(?#comment)',
      '(?x) a b',
      '[a',
      'a]',
      '\\',
      '(?i)(?-i)a',
      '\\d{2}-\\d{2}',
      // A capture name used twice: Go compiles it (RE2/J alone would not), also beside another mistake.
      '(?P<n>a)|(?P<n>b)',
      '(?P<n>a)(?P<n>b',
      '\\(?P<n>a)(?P<n>b)',
    ];
    const texts = ['error', 'ERROR here', 'warn', '12', 'abc', 'word', 'ααα', 'A', '.*', 'a', 'aa', 'x', 'ab', '', '12-34'];
    const cases: GoCase[] = [];
    for (const re of patterns) {
      cases.push({ kind: 'regex', re, text: '' });
      // As Prometheus and LogQL label matchers compile them: anchored, (?s).
      cases.push({ kind: 'regex', re: `^(?s:${re})$`, text: '' });
    }
    const compiled = askGo(cases);
    let refused = 0;
    patterns.forEach((re, i) => {
      for (const [anchoring, go] of [
        [GoRegexAnchoring.NONE, compiled[2 * i]],
        [GoRegexAnchoring.FULL, compiled[2 * i + 1]],
      ] as const) {
        const ours = goRegexProblem(re, anchoring);
        assert.equal(
          ours === undefined,
          go.error === undefined,
          `${JSON.stringify(re)} (${anchoring}): ours ${ours ?? 'compiles'}; Go ${go.error ?? 'compiles'}`,
        );
        // re2js keeps Go's own error texts ("invalid nested repetition operator: `**`"), those of current Go:
        // for `(?<` Go 1.22+ says "invalid named capture" where Debian's 1.19 says "unsupported Perl syntax".
        // (Go ends "trailing backslash at end of expression" with ": ``", the empty rest; RE2/J does not.)
        const words = go.error?.replace(/^error parsing regexp: /, '').replace(/: ``$/, '');
        if (words && !words.includes('`(?<`')) assert.ok(ours!.includes(words), `${ours} does not carry Go's words: ${go.error}`);
        if (go.error && anchoring === GoRegexAnchoring.NONE) refused++;
      }
    });
    assert.ok(refused >= 15 && refused < patterns.length - 10, `${refused} of ${patterns.length} refused: the corpus must hold both kinds`);
    // Matching, for the patterns that compile.
    const valid = patterns.filter((re, i) => compiled[2 * i].error === undefined);
    const matchCases: GoCase[] = valid.flatMap((re) =>
      texts.flatMap((text) => [
        { kind: 'regex' as const, re, text },
        { kind: 'regex' as const, re: `^(?s:${re})$`, text },
      ]),
    );
    const matched = askGo(matchCases);
    let i = 0;
    for (const re of valid) {
      for (const text of texts) {
        assert.equal(goRegexTest(re, text, GoRegexAnchoring.NONE), matched[i++].matched, `${JSON.stringify(re)} on ${JSON.stringify(text)}`);
        assert.equal(goRegexTest(re, text, GoRegexAnchoring.FULL), matched[i++].matched, `${JSON.stringify(re)} (anchored) on ${JSON.stringify(text)}`);
      }
    }
  });

  it('every template of the pipeline: the same text as text/template for every level word, or both fail', () => {
    const cases: GoCase[] = [];
    for (const tpl of expressions.templates) {
      // The words the template names, as programs write them (upper case, capitalized), and words it does not know.
      const words = [...tpl.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
      const values = new Set([
        ...words,
        ...words.map((w) => w.toUpperCase()),
        ...words.map((w) => w[0]?.toUpperCase() + w.slice(1)),
        '',
        'chatty',
        'LOG',
        'DEBUG1',
        'Warning',
        'ÉRROR',
      ]);
      for (const Value of values) cases.push({ kind: 'template', tpl, data: { Value } });
      // No source value: .Value is missing, and ToLower of nothing fails in Go.
      cases.push({ kind: 'template', tpl, data: {} });
    }
    const answers = askGo(cases);
    let written = 0;
    cases.forEach((c, i) => {
      if (c.kind !== 'template') return;
      const go = answers[i];
      let model: { text?: string; error?: string };
      try {
        model = { text: goTemplate(c.tpl, c.data) };
      } catch (e) {
        model = { error: (e as Error).message };
      }
      const where = `template on ${JSON.stringify(c.data)}`;
      assert.equal(model.error === undefined, go.error === undefined, `${where}: model ${model.error ?? 'ok'}, Go ${go.error ?? 'ok'}`);
      if (go.error === undefined) {
        assert.equal(model.text, go.text, where);
        if (go.text) written++;
      }
    });
    assert.ok(written >= 20, `only ${written} cases wrote a level: the comparison would say little`);
  });

  it("core/go-duration.ts reads a duration as Go's time.ParseDuration does: the same nanoseconds, or the same reason", () => {
    const texts = [
      '0',
      '-0',
      '+0',
      '1s',
      '1.5h',
      '1h30m',
      '.5s',
      '5.s',
      '1.000000001s',
      '1.0000000001s',
      '0.3333333333333h',
      '1ns',
      '1us',
      '1µs',
      '1μs',
      '1ms',
      '-1.5h',
      '+10s',
      '2562047h47m16.854775807s',
      '2562047h47m16.854775808s',
      '-2562047h47m16.854775808s',
      '-2562047h47m16.854775809s',
      '9999999999h',
      '9999999999h1x',
      '100000000000000000000ns',
      '',
      '-',
      '.',
      '.s',
      '1',
      '10',
      '1d',
      '7d',
      '1 s',
      ' 1s',
      '1s ',
      '1e3s',
      '1h-1m',
      '1.2.3s',
      'μs',
      '1x',
      '1ss',
      's1',
    ];
    const answers = askGo(texts.map((text) => ({ kind: 'duration' as const, text })));
    texts.forEach((text, i) => {
      const ours = parseGoDuration(text);
      const go = answers[i];
      // Go writes `time: REASON "TEXT"`, the text quoted its way (\x escapes for non-ASCII): the reason is compared.
      if (go.error !== undefined) assert.equal(ours, go.error.replace(/^time: /, '').replace(/ "(?:[^"\\]|\\.)*"$/, ''), text);
      else assert.equal(ours, BigInt(go.unixNano!), text);
    });
  });
});
