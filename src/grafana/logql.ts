import { parser } from '@grafana/lezer-logql';
import { didYouMean } from '../core/did-you-mean.js';
import { goStringLiteral } from '../core/go-string.js';
import { captureNames, duplicateGroupNames, GoRegexAnchoring, goRegexMatchesEmpty, goRegexProblem } from '../core/re2.js';
import { checkQuery, NodeProblem, nodesNamed, QueryGrammar, Substituted, SyntaxNode, unquoteGo } from './query-template.js';
import { knownValues, type KnownValues, type LabelMatchOp, someValueMatches, valuesHint } from '../labels/value-match.js';

/** Options of {@link checkLogQL}. */
export interface CheckLogQLOptions {
  /**
   * Names of the dashboard variables the query may reference (`$name`,
   * `${name}`, `${name:format}`, `[[name]]`). Grafana's macros (`$__auto`,
   * `$__interval`, `$__rate_interval`, `$__range`, ...) are always allowed.
   * @default none
   */
  readonly variables?: readonly string[];
  /**
   * The stream labels the Loki's collectors produce: a stream selector may
   * only select on these (a label no stream has selects nothing).
   * @default labels are not checked
   */
  readonly streamLabels?: readonly string[];
  /**
   * The values a label can have, where the tree knows them (see
   * src/labels/log-label-values.ts): a matcher of a stream selector, or of a
   * label filter of a query without parser stages, that no value satisfies
   * (`=`, `!=`, and `=~` / `!~` run with RE2 over the values) selects nothing.
   * @default values are not checked
   */
  readonly labelValues?: Readonly<Record<string, readonly string[] | KnownValues>>;
  /** Names the Loki in messages. @default 'its Loki' */
  readonly lokiName?: string;
}

/**
 * Checks a LogQL query as Loki would, before any container runs: its syntax
 * (with the `@grafana/lezer-logql` grammar that Grafana's own editor uses),
 * the escapes of its double-quoted strings, every regex it holds (compiled
 * with Go's RE2, as Loki does only when the query runs), and Loki's rule that
 * every stream selector has a matcher that cannot match an empty value.
 *
 * Grafana macros are replaced by a value of the right kind before parsing;
 * dashboard variables must be declared in `options.variables`.
 *
 * @returns undefined when the query is valid, else a message with the line,
 *   the column, the reason and an excerpt with a caret under the problem
 */
export function checkLogQL(expr: string, options: CheckLogQLOptions = {}): string | undefined {
  return checkQuery(LOGQL, expr, options.variables ?? [], [
    checkStrings,
    checkRegexes,
    checkSelectors,
    checkBinaryOperands,
    (s) => checkStreamLabels(s, options, expr),
  ]);
}

/**
 * Whether a (valid) query returns log lines (`{...} |= ...`) or samples
 * (`rate({...}[5m])`, `sum by (...) (...)`).
 */
export function logqlKind(expr: string): 'log' | 'metric' {
  const top = parser.parse(expr).topNode.firstChild?.firstChild;
  return top?.name === 'LogExpr' ? 'log' : 'metric';
}

/**
 * A Go double-quoted string literal for `value` (what LogQL reads), so a
 * value from the stack (a project name, a service name) can never break the
 * query it is put into.
 */
export function logqlString(value: string): string {
  return goStringLiteral(value);
}

/** A stream selector such as `{compose_project="aixcl"}` from label/value pairs (values quoted safely). */
export function streamSelector(matchers: Readonly<Record<string, string>>): string {
  return `{${Object.entries(matchers)
    .map(([k, v]) => `${k}=${logqlString(v)}`)
    .join(', ')}}`;
}

/** Why an error node's surroundings failed, in LogQL terms, from the nearest rule that explains it. */
const HINTS: Readonly<Record<string, string>> = {
  Range: 'a range is a duration in brackets, such as [5m] or [$__auto]',
  LogRangeExpr: 'a range function such as rate() or count_over_time() needs a range such as [5m] or [$__auto] after its selector',
  Matcher: 'a label matcher is written label="value", label!="value", label=~"regex" or label!~"regex"',
  Selector: 'a stream selector is written {label="value", ...}, with at least one matcher and balanced braces',
  LineFilter: 'a line filter is written |= "text", != "text", |~ "regex" or !~ "regex"',
  RangeAggregationExpr: 'a range function is written like rate({...}[5m]); an offset goes inside it: rate({...}[5m] offset 1h)',
  VectorAggregationExpr: 'an aggregation is written like sum by (label) (<metric query>)',
  LogExpr: 'a log query is a selector followed by pipeline stages; a [range] belongs inside a range function such as count_over_time()',
};

const LOGQL: QueryGrammar = {
  language: 'LogQL',
  quotes: ['"', '`'],
  parse: (text) => parser.parse(text),
  hints: HINTS,
  example: '{compose_service="loki"}',
};

/** Loki unquotes strings the way Go does: `"\d"` is an error, not a regex class. */
function checkStrings(sub: Substituted): NodeProblem | undefined {
  for (const n of nodesNamed(sub.tree, 'String')) {
    const r = unquoteGo(sub.text.slice(n.from, n.to));
    if (r.error) return { from: n.from + r.error.offset, message: r.error.message };
  }
  return undefined;
}

/**
 * Every regex Loki compiles, checked with Go's RE2 (src/core/re2.ts): Loki
 * reports a bad one only when the query runs. Label matchers (`=~`, `!~`, in a
 * selector or a label filter) and `label_replace`'s regex are anchored as
 * Prometheus's `labels.NewFastRegexMatcher` does; line filters (`|~`, `!~`)
 * and the `regexp` parser are compiled as written (pkg/logql/log/filter.go,
 * pkg/logql/log/parser.go).
 */
function checkRegexes(sub: Substituted): NodeProblem | undefined {
  const check = (str: SyntaxNode | null, anchoring: GoRegexAnchoring): NodeProblem | undefined => {
    if (!str) return undefined;
    const value = unquoteGo(sub.text.slice(str.from, str.to)).value;
    if (value === undefined) return undefined;
    const problem = goRegexProblem(value, anchoring);
    return problem ? { from: str.from, message: problem } : undefined;
  };
  const found: Array<NodeProblem | undefined> = [];
  for (const m of nodesNamed(sub.tree, 'Matcher')) {
    if (m.getChild('Re') || m.getChild('Nre')) found.push(check(m.getChild('String'), GoRegexAnchoring.FULL));
  }
  for (const f of nodesNamed(sub.tree, 'LineFilter')) {
    const op = f.getChild('Filter');
    if (!op || !(op.getChild('PipeMatch') || op.getChild('Nre'))) continue;
    found.push(check(f.getChild('String'), GoRegexAnchoring.NONE));
    for (const or of f.getChildren('OrFilter')) found.push(check(or.getChild('String'), GoRegexAnchoring.NONE));
  }
  for (const p of nodesNamed(sub.tree, 'LabelParser')) {
    if (!p.getChild('Regexp')) continue;
    const str = p.getChild('String');
    found.push(check(str, GoRegexAnchoring.NONE) ?? regexpParserProblem(sub, str));
  }
  for (const r of nodesNamed(sub.tree, 'LabelReplaceExpr')) {
    const strings = r.getChildren('String');
    found.push(check(strings[strings.length - 1] ?? null, GoRegexAnchoring.FULL));
  }
  return found.filter((p): p is NodeProblem => p !== undefined).sort((a, b) => a.from - b.from)[0];
}

/**
 * What Loki's `regexp` parser asks of a pattern that compiles (pkg/logql/log/parser.go, NewRegexpParser):
 * at least one named capture ("at least one named capture must be supplied"), and no name twice
 * ("duplicate extracted label name"; Go's own regexp accepts a name twice, Loki does not).
 */
function regexpParserProblem(sub: Substituted, str: SyntaxNode | null): NodeProblem | undefined {
  // A template reference in the pattern (a dashboard variable) may hold the groups: nothing to judge.
  if (!str || sub.hasStandIn(str.from, str.to)) return undefined;
  const value = unquoteGo(sub.text.slice(str.from, str.to)).value;
  if (value === undefined) return undefined;
  if (captureNames(value).length === 0) {
    return {
      from: str.from,
      message:
        'the regexp parser needs at least one named capture (Loki: "at least one named capture must be supplied"): name a group, e.g. (?P<status>\\d{3})',
    };
  }
  const twice = duplicateGroupNames(value);
  if (twice.length) {
    return {
      from: str.from,
      message: `the regexp parser names '${twice[0]}' more than once (Loki: "duplicate extracted label name '${twice[0]}'"): use one group around the alternatives, e.g. (?P<${twice[0]}>a|b)`,
    };
  }
  return undefined;
}

/** The matchers of a stream selector (not those of label filters in the pipeline). */
function selectorMatchers(sel: SyntaxNode): SyntaxNode[] {
  const matchers: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Matcher') matchers.push(c);
      else if (c.name === 'Matchers') walk(c);
    }
  };
  walk(sel);
  return matchers;
}

/** Loki rejects a selector whose every matcher could match an empty value (`{}`, `{a=~".*"}`). */
function checkSelectors(sub: Substituted): NodeProblem | undefined {
  for (const sel of nodesNamed(sub.tree, 'Selector')) {
    const matchers = selectorMatchers(sel);
    const anchored = matchers.some((m) => {
      const op = m.getChild('Eq') ? '=' : m.getChild('Re') ? '=~' : undefined;
      const str = m.getChild('String');
      if (!op || !str) return false;
      const value = unquoteGo(sub.text.slice(str.from, str.to)).value;
      if (value === undefined) return false;
      if (op === '=') return value !== '';
      return goRegexMatchesEmpty(value, GoRegexAnchoring.FULL) === false;
    });
    if (!anchored) {
      return {
        from: sel.from,
        message:
          'a stream selector needs at least one matcher that cannot match an empty value: Loki rejects {} and ' +
          'selectors like {app=~".*"}; add one such as compose_project="<project>" or use =~".+"',
      };
    }
  }
  return undefined;
}

/**
 * The label names of stream selectors, against the labels the collectors
 * produce, and matcher values against the values the tree knows. Label names
 * after `|` are not checked (a parser or structured metadata may supply
 * them); their values are, when the query has no stage that makes labels.
 */
function checkStreamLabels(sub: Substituted, options: CheckLogQLOptions, expr: string): NodeProblem | undefined {
  const { streamLabels, labelValues } = options;
  if (!streamLabels && !labelValues) return undefined;
  const loki = options.lokiName ?? 'its Loki';
  const selectors = nodesNamed(sub.tree, 'Selector');
  const inSelector = (m: SyntaxNode) => selectors.some((sel) => m.from >= sel.from && m.to <= sel.to);
  // json, logfmt, regexp, pattern, unpack and label_format may set any label to any value.
  const makesLabels = ['LabelParser', 'JsonExpressionParser', 'LogfmtParser', 'LogfmtExpressionParser', 'LabelFormatExpr'].some(
    (n) => nodesNamed(sub.tree, n).length > 0,
  );
  for (const m of nodesNamed(sub.tree, 'Matcher')) {
    const selector = inSelector(m);
    if (!selector && makesLabels) continue;
    const id = m.getChild('Identifier');
    if (!id) continue;
    const label = sub.text.slice(id.from, id.to);
    const str = m.getChild('String');
    const value = str ? unquoteGo(sub.text.slice(str.from, str.to)).value : undefined;
    if (selector && streamLabels && !streamLabels.includes(label)) {
      // `label=""` and negative matchers hold for streams without the label: only a matcher needing it selects nothing.
      if (!(m.getChild('Neq') || m.getChild('Nre') || (m.getChild('Eq') && value === ''))) {
        return {
          from: id.from,
          message: `no stream in ${loki} has the label '${label}' (its collectors set ${streamLabels.join(', ')})${didYouMean(label, streamLabels) ?? ''}`,
        };
      }
    }
    const given = labelValues?.[label];
    if (!given || !str || value === undefined) continue;
    // A value made of a dashboard variable is known only when the dashboard runs.
    if (/\$|\[\[/.test(expr.slice(sub.toOriginal(str.from), sub.toOriginal(str.to)))) continue;
    const op: LabelMatchOp = m.getChild('Eq') ? '=' : m.getChild('Neq') ? '!=' : m.getChild('Re') ? '=~' : '!~';
    // In a label filter, a line without the field has it empty, which a negative matcher keeps.
    if (!selector && (op === '!=' || op === '!~')) continue;
    const known = knownValues(given);
    if (someValueMatches(op, value, known) === false) {
      const shown = op === '=' ? `${label}="${value}"` : `${label}${op}${JSON.stringify(value)}`;
      return {
        from: str.from,
        message: `${shown} ${selector ? 'selects nothing' : 'keeps no line'}: ${loki} only receives ${valuesHint(label, op, value, known)}`,
      };
    }
  }
  return undefined;
}

/** `or`, `and`, `+`, ... combine metric queries; Loki refuses log queries as operands. */
function checkBinaryOperands(sub: Substituted): NodeProblem | undefined {
  for (const op of nodesNamed(sub.tree, 'BinOpExpr')) {
    for (let c = op.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Expr' && c.firstChild?.name === 'LogExpr') {
        return {
          from: c.from,
          message:
            'a binary operator (or, and, unless, +, ...) combines metric queries, not log queries: wrap the log query in a range function such as count_over_time({...}[5m])',
        };
      }
    }
  }
  return undefined;
}
