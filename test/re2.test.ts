import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { App } from '../src/core/app.js';
import { GoRegexAnchoring, goRegexMatchesEmpty, goRegexProblem } from '../src/core/re2.js';
import { Stack } from '../src/core/stack.js';
import { Testing } from '../src/core/testing.js';
import { synthErrorOf } from './support/problems.js';
import { checkLogQL } from '../src/grafana/logql.js';
import { Loki } from '../src/loki/index.js';
import { checkPrometheusConfig } from '../src/prometheus/index.js';
import { checkPromtailConfig, Promtail } from '../src/promtail/index.js';
import { Dashboard, Grafana } from '../src/grafana/index.js';
import * as sdkDashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as sdkLogs from '@grafana/grafana-foundation-sdk/logs';
import * as sdkLoki from '@grafana/grafana-foundation-sdk/loki';

function build() {
  const stack = new Stack(new App(), 'demo');
  const loki = new Loki(stack, 'loki');
  const promtail = new Promtail(stack, 'promtail', { loki });
  return { stack, loki, promtail };
}

describe('Go RE2 (src/core/re2.ts)', () => {
  it('refuses what Go refuses, in Go’s words, with a hint', () => {
    const cases: Array<[string, string, string]> = [
      ['error(?=:)', 'invalid or unsupported Perl syntax: `(?=`', 'no lookahead'],
      ['(?<!debug )error', 'invalid named capture: `(?<!', 'no lookahead or lookbehind'],
      ['(a)\\1', 'invalid escape sequence: `\\1`', 'no backreferences'],
      ['a**', 'invalid nested repetition operator: `**`', 'possessive'],
      ['\\C', 'invalid escape sequence: `\\C`', 'escape only punctuation'],
      ['a{1001}', 'invalid repeat count: `{1001}`', ''],
      ['[z-a]', 'invalid character class range: `z-a`', ''],
      ['(unclosed', 'missing closing ): `(unclosed`', 'balance the brackets'],
    ];
    for (const [pattern, go, hint] of cases) {
      const msg = goRegexProblem(pattern);
      assert.ok(msg, `expected ${pattern} to be refused`);
      assert.ok(msg.includes(`error parsing regexp: ${go}`), msg);
      assert.ok(msg.includes(hint), msg);
    }
  });

  it('accepts Go syntax that JavaScript’s RegExp does not know', () => {
    for (const pattern of [
      '(?i)error',
      'a(?i:b)c',
      '\\z',
      '[[:alpha:]]+',
      '\\pL\\p{Greek}',
      '(?P<level>\\w+)',
      '(?<level>\\w+)',
      '\\x{1F600}',
      '(?U)a+',
      '\\Qa.b\\E',
    ]) {
      assert.equal(goRegexProblem(pattern), undefined, pattern);
    }
  });

  it('checks an anchored pattern as compiled: ^(?s:...)$', () => {
    // Balanced only when wrapped: Prometheus compiles this relabel regex as ^(?s:a)|(b)$ ... which is not what it says.
    assert.equal(goRegexProblem('a)|(b', GoRegexAnchoring.NONE)?.includes('unexpected )'), true);
    assert.ok(goRegexProblem('(a', GoRegexAnchoring.FULL)?.includes('`^(?s:(a)$`'));
    assert.equal(goRegexMatchesEmpty('.*'), true);
    assert.equal(goRegexMatchesEmpty('.+'), false);
    // JavaScript reads [[:alpha:]]* as the class [[:alph] then ']*', which cannot match empty; Go's POSIX class can.
    assert.equal(goRegexMatchesEmpty('[[:alpha:]]*'), true);
    assert.equal(new RegExp('^(?:[[:alpha:]]*)$').test(''), false);
  });
});

describe('regexes of LogQL are compiled as Loki does', () => {
  it('rejects a lookahead in a line filter, a backreference in a matcher, a bad regexp parser, with a caret', () => {
    const msg = checkLogQL('{compose_service="api"} |~ "(?i)error(?!: none)"');
    assert.ok(msg?.includes('invalid LogQL at line 1, column 28: regex "(?i)error(?!: none)" does not compile in Go\'s RE2'), msg);
    assert.ok(msg?.endsWith('\n    {compose_service="api"} |~ "(?i)error(?!: none)"\n                               ^'), msg);
    assert.ok(checkLogQL('{compose_service=~"(a)\\\\1"}')?.includes('no backreferences'));
    assert.ok(checkLogQL('{a="b"} | regexp "(?P<x>[a-"')?.includes('missing closing ]'));
    assert.ok(checkLogQL('{a="b"} |= "ok" or "fine" |~ "x" or "(?=y)"')?.includes('column 37'));
    assert.ok(checkLogQL('{a="b"} | json | level=~"err**"')?.includes('invalid nested repetition operator'));
  });

  it('decides "cannot match empty" with RE2: [[:alpha:]]* alone does not anchor a selector', () => {
    assert.ok(checkLogQL('{compose_service=~"[[:alpha:]]*"}')?.includes('at least one matcher that cannot match an empty value'));
    assert.equal(checkLogQL('{compose_service=~"[[:alpha:]]+"}'), undefined);
  });

  it('accepts Go-only syntax in every place', () => {
    assert.equal(checkLogQL('{a=~"(?i)API|web"} |~ `\\pL+ [[:digit:]]+` | regexp `(?P<ms>\\d+)ms` | ms=~"[0-9]+"'), undefined);
  });

  it('checks the regexes of a custom dashboard’s queries', () => {
    const { stack, loki } = build();
    const grafana = new Grafana(stack, 'grafana');
    grafana.addLokiDatasource({ loki });
    const dashboard = new sdkDashboard.DashboardBuilder('Custom')
      .uid('custom')
      .withPanel(
        new sdkLogs.PanelBuilder()
          .title('Errors')
          .datasource({ type: 'loki', uid: 'loki' })
          .withTarget(new sdkLoki.DataqueryBuilder().refId('A').expr('{compose_service="postgres"} |~ "(?i)(?<!no )error"')),
      );
    new Dashboard(grafana, 'Custom', { dashboard: dashboard.build() });
    const msg = synthErrorOf(stack);
    assert.match(msg, /\[demo\/grafana\/Custom\] panel 'Errors', query A: invalid LogQL .*regex "\(\?i\)\(\?<!no \)error" does not compile in Go's RE2/);
  });
});

describe('relabel and pipeline regexes are compiled as Promtail and Prometheus do', () => {
  it('rejects a relabel regex Go refuses, checked as ^(?s:...)$', () => {
    const { stack, promtail } = build();
    promtail.config.addOverride('scrape_configs.0.relabel_configs.0.regex', '/?(.*)(?<=-1)');
    const msg = synthErrorOf(stack);
    assert.match(msg, /\[demo\/promtail\/Config\] .*scrape_configs\.0\.relabel_configs\.0\.regex: regex "\/\?\(\.\*\)\(\?<=-1\)" does not compile in Go's RE2/);
    assert.match(msg, /Prometheus compiles it as \^\(\?s:REGEX\)\$/);
  });

  it('accepts the relabel regexes it writes', () => {
    const doc = Testing.synthDocuments(build().stack)['promtail/promtail-config.yml'] as {
      scrape_configs: Array<{ relabel_configs: Array<{ regex?: string }> }>;
    };
    const regexes = doc.scrape_configs[0].relabel_configs.map((r) => r.regex).filter((r) => r !== undefined);
    assert.deepEqual(regexes, ['/?(.*)']);
    assert.deepEqual(checkPromtailConfig(doc), []);
  });

  it('rejects a Prometheus relabel regex Go refuses', () => {
    const doc = {
      scrape_configs: [
        {
          job_name: 'x',
          static_configs: [{ targets: ['a:1'] }],
          metric_relabel_configs: [{ source_labels: ['__name__'], regex: 'go_(?!gc).*', action: 'drop' }],
        },
      ],
    };
    const problems = checkPrometheusConfig(doc);
    assert.ok(
      problems.some((p) => p.includes('metric_relabel_configs') && p.includes('invalid or unsupported Perl syntax: `(?!`')),
      problems.join('\n'),
    );
    doc.scrape_configs[0].metric_relabel_configs[0].regex = 'go_gc.*';
    assert.deepEqual(checkPrometheusConfig(doc), []);
  });

  it('rejects pipeline stage regexes and match selectors Promtail would refuse, nested ones too', () => {
    const { stack, promtail } = build();
    promtail.config.addOverride('scrape_configs.0.pipeline_stages', [
      { regex: { expression: '^(?P<level>\\w+)(?=:)' } },
      { multiline: { firstline: '^\\d{4}-\\d{2}' } },
      { match: { selector: '{compose_service="db"}', stages: [{ replace: { expression: '(password=)\\S+\\1', replace: '***' } }] } },
      { match: { selector: '{compose_service=~".*"}', action: 'drop' } },
    ]);
    const msg = synthErrorOf(stack);
    assert.match(msg, /pipeline_stages\.0\.regex\.expression: regex .* \(error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`\)/);
    assert.match(msg, /pipeline_stages\.2\.match\.stages\.0\.replace\.expression: regex .*invalid escape sequence: `\\1`/);
    assert.match(msg, /pipeline_stages\.3\.match\.selector: invalid LogQL at line 1, column 1: a stream selector needs at least one matcher/);
    assert.doesNotMatch(msg, /pipeline_stages\.1/);
  });
});
