import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLogQL, logqlString, streamSelector } from '../src/grafana/logql.js';
import { findVariableReferences, unknownVariables } from '../src/grafana/template-variables.js';

const valid = (expr: string, variables: string[] = []) => assert.equal(checkLogQL(expr, { variables }), undefined, expr);

/** Asserts the query is rejected with a message containing each fragment; returns the message. */
function invalid(expr: string, fragments: string[], variables: string[] = []): string {
  const msg = checkLogQL(expr, { variables });
  assert.ok(msg, `expected ${JSON.stringify(expr)} to be rejected`);
  for (const f of fragments) assert.ok(msg.includes(f), `expected "${f}" in:\n${msg}`);
  return msg;
}

/** The column (1-based) the caret of a message points at, checked against the column the message states. */
function caretColumn(msg: string): number {
  const lines = msg.split('\n');
  const caret = lines[lines.length - 1];
  assert.match(caret, /^ {4}\s*\^$/);
  const col = caret.length - 4;
  const stated = /column (\d+)/.exec(lines[0]);
  assert.ok(stated, lines[0]);
  assert.equal(col, Number(stated[1]), 'the caret is under the stated column');
  return col;
}

describe('checkLogQL: the AIXCL use cases', () => {
  for (const q of [
    '{compose_service="postgres"} |~ "(?i)error|exception"',
    '{compose_service="postgres"} |~ "SELECT|INSERT|UPDATE|DELETE"',
    '{compose_service="ollama"} |~ "(?i)loading|model|inference"',
    '{compose_project="aixcl"} |~ "(?i)starting|started|ready"',
  ]) {
    it(`accepts ${q}`, () => valid(q));
  }
});

describe('checkLogQL: valid queries', () => {
  it('accepts log queries with pipelines, parsers and comments', () => {
    valid('{compose_project="aixcl", compose_service=~"open-webui|ollama"} != "healthcheck" | logfmt | level="error"');
    valid('{container="aixcl-loki-1"} | json | line_format "{{.msg}}"');
    valid('{compose_service="postgres"}\n  |= "ERROR"\n  # only statements\n  |~ `(?i)statement:`');
    valid('{stream="stderr", compose_project="aixcl"} |~ `\\d+ ms`');
    valid('{compose_service="postgres"} |~ "\\\\d+ ms"');
  });

  it('accepts metric queries', () => {
    valid('count_over_time({compose_service="ollama"}[5m])');
    valid('sum by (compose_service) (rate({compose_project="aixcl"} |~ "(?i)error" [1m]))');
    valid('topk(3, sum by (compose_service) (count_over_time({compose_project="aixcl"}[1h])))');
    valid('sum(rate({a="b"}[5m] offset 1h)) / sum(rate({a="b"}[5m]))');
    valid('quantile_over_time(0.99, {compose_service="ollama"} | logfmt | unwrap duration_seconds [5m]) by (compose_service)');
    valid('sum(count_over_time({a="b"}[1m])) > 10');
  });

  it('replaces Grafana macros by values of the right kind', () => {
    valid('sum(count_over_time({a="b"}[$__auto]))');
    valid('sum(rate({a="b"}[$__interval]))');
    valid('sum(rate({a="b"}[${__rate_interval}]))');
    valid('sum(count_over_time({a="b"}[$__range]))');
    valid('{a="b"} | logfmt | took_ms > $__interval_ms');
    valid('{a="b"} |= "$__dashboard"');
  });

  it('accepts declared variables in every Grafana syntax and position', () => {
    const vars = ['service', 'search', 'n', 'window', 'label'];
    valid('{compose_project="aixcl", compose_service=~"$service"} |~ "(?i)$search"', vars);
    valid('{compose_service=~"${service:regex}"} |~ "${search:raw}"', vars);
    valid('{compose_service=~"[[service]]"}', vars);
    valid('sum(count_over_time({compose_service=~"$service"}[$window]))', vars);
    valid('topk($n, sum by ($label) (rate({compose_service=~"$service"}[1m])))', vars);
  });

  it('does not take POSIX classes or a regex end anchor for variables', () => {
    valid('{a="b"} |~ "[[:alpha:]]+ failed$"');
  });
});

describe('checkLogQL: invalid queries', () => {
  it('reports an unbalanced brace with its position and a caret', () => {
    const msg = invalid('{compose_service="postgres"', ['invalid LogQL at line 1, column 28', 'the query ends too early', 'balanced braces']);
    assert.equal(caretColumn(msg), 28);
    assert.ok(msg.includes('    {compose_service="postgres"\n'), msg);
  });

  it('reports a bad matcher', () => {
    const msg = invalid('{compose_service=~postgres}', ['column 19', "unexpected 'postgres'", 'label=~"regex"']);
    assert.equal(caretColumn(msg), 19);
    invalid('{compose_service=}', ['a label matcher is written']);
  });

  it('reports a range function without a range', () => {
    const msg = invalid('sum(rate({compose_service="loki"}))', ["unexpected ')'", 'needs a range such as [5m]']);
    assert.equal(caretColumn(msg), 34);
    invalid('rate({a="b"}[1x])', ['a range is a duration in brackets']);
  });

  it('reports a range on a log query', () => {
    invalid('{a="b"} |~ "x" [5m]', ['belongs inside a range function']);
  });

  it('reports an unknown variable by name, at its position', () => {
    const msg = invalid('{compose_service=~"$servise"}', ["'$servise'", 'does not declare', 'declared: $service'], ['service']);
    assert.equal(caretColumn(msg), 20);
    invalid('{a="b"} |~ "${search}"', ["'$search'", 'declared: none']);
    invalid('{a=~"[[svc]]"}', ["'$svc'"], ['service']);
  });

  it('reports an unknown Grafana macro', () => {
    invalid('sum(rate({a="b"}[$__autoo]))', ["'$__autoo' is not a Grafana macro", '$__auto']);
  });

  it('reports escapes that Loki (Go) does not accept in double-quoted strings', () => {
    const msg = invalid('{a="b"} |~ "took \\d+ms"', ["'\\d' is not an escape Loki accepts", 'use a `...` string']);
    assert.equal(caretColumn(msg), 18);
  });

  it('reports selectors Loki refuses at query time', () => {
    invalid('{}', ['a stream selector is written']);
    invalid('{compose_service=~".*"}', ['at least one matcher that cannot match an empty value']);
    invalid('{compose_service!="x"}', ['at least one matcher that cannot match an empty value']);
    invalid('{compose_service=""}', ['at least one matcher that cannot match an empty value']);
    valid('{compose_service=~".+", stream="stderr"}');
  });

  it('reports a log query used as an operand of a binary operator', () => {
    invalid('{a="b"} or {c="d"}', ['combines metric queries, not log queries']);
  });

  it('reports the line and column in a multi-line query', () => {
    const msg = invalid('{a="b"}\n  |= "x"\n  |~ ', ['line 3, column 6', 'a line filter is written']);
    assert.ok(msg.includes('\n      |~ \n'), msg);
    assert.equal(caretColumn(msg), 6);
  });

  it('reports a regexp parser Loki refuses although Go compiles it: no named capture, a name twice (NewRegexpParser)', () => {
    invalid('{compose_service="web"} | regexp `(\\d{3}) (\\S+)`', ['at least one named capture must be supplied', '(?P<status>']);
    invalid('{compose_service="web"} | regexp `(?P<code>4\\d\\d)|(?P<code>5\\d\\d)`', ["duplicate extracted label name 'code'", '(?P<code>a|b)']);
    valid('{compose_service="web"} | regexp `(?P<code>[45]\\d\\d) (?P<path>\\S+)`');
    // A dashboard variable may hold the groups: not judged.
    valid('{compose_service="web"} | regexp "$pattern"', ['pattern']);
    // In a line filter a name twice is fine (Go compiles it, no label is extracted).
    valid('{compose_service="web"} |~ "(?P<a>x)|(?P<a>y)"');
  });
  it('reports an empty query', () => {
    invalid('  ', ['the query is empty']);
  });
});

describe('LogQL helpers', () => {
  it('quotes values so they cannot break a query', () => {
    const sel = streamSelector({ compose_project: 'we"ird\\name' });
    assert.equal(sel, '{compose_project="we\\"ird\\\\name"}');
    valid(sel);
    assert.equal(logqlString('a\nb'), '"a\\nb"');
  });

  it('finds variable references and reports undeclared ones once', () => {
    assert.deepEqual(
      findVariableReferences('$a ${b:raw} [[c]] $__auto').map((r) => [r.name, r.format]),
      [
        ['a', undefined],
        ['b', 'raw'],
        ['c', undefined],
        ['__auto', undefined],
      ],
    );
    const problems = unknownVariables('rate(x{a="$job"}[$__rate_interval]) + $job + $instance', ['instance']);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /'\$job'/);
  });
});
