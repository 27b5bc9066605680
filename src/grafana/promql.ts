import { parser } from '@prometheus-io/lezer-promql';
import { GoRegexAnchoring, goRegexMatchesEmpty, goRegexProblem } from '../core/re2.js';
import { didYouMean } from '../core/did-you-mean.js';
import { knownValues, type KnownValues, someValueMatches, valuesHint } from '../labels/value-match.js';
import { checkQuery, NodeProblem, nodesNamed, QueryGrammar, Substituted, SyntaxNode, unquoteGo } from './query-template.js';

/**
 * The label names the series of a metric carry, where the tree knows them
 * (from the exporter's own metric table and the scrape config); undefined for
 * a metric it knows nothing about (its labels are then not checked).
 */
export type SeriesLabels = (metric: string) => readonly string[] | undefined;

/** Options of {@link checkPromQL}. */
export interface CheckPromQLOptions {
  /**
   * Names of the dashboard variables the query may reference (`$name`,
   * `${name}`, `${name:format}`, `[[name]]`). Grafana's macros
   * (`$__rate_interval`, `$__interval`, `$__auto`, `$__range`, ...) are
   * always allowed.
   * @default none
   */
  readonly variables?: readonly string[];
  /**
   * The labels each metric's series carry, for checking label matchers and
   * grouping labels.
   * @default labels are not checked
   */
  readonly seriesLabels?: SeriesLabels;
  /**
   * The values labels of every series can have, where the tree knows them
   * (`job`: the scrape jobs; see src/labels/prometheus-label-values.ts): a
   * matcher no value satisfies selects nothing.
   * @default values are not checked
   */
  readonly labelValues?: Readonly<Record<string, readonly string[] | KnownValues>>;
  /**
   * The recorded series written into the Prometheus: a metric name with ':'
   * (the recording-rule naming) that is not one of them is written by nothing.
   * @default recorded names are not checked
   */
  readonly recordedSeries?: readonly string[];
  /** Names the Prometheus in messages. @default 'its Prometheus' */
  readonly prometheusName?: string;
}

/**
 * Checks a PromQL expression as Prometheus would, before anything runs: its
 * syntax (with `@prometheus-io/lezer-promql`, the grammar of Prometheus's own
 * UI), the escapes of its strings, every regex of a `=~`/`!~` matcher
 * (compiled with Go's RE2, anchored as Prometheus anchors it), Prometheus's
 * rule that a selector needs a matcher that cannot match the empty string,
 * range functions given a range, and, where `seriesLabels` knows a metric, the
 * label names its matchers and groupings use.
 *
 * @returns undefined when the expression is valid, else a message with the
 *   line, the column, the reason and an excerpt with a caret under the problem
 */
export function checkPromQL(expr: string, options: CheckPromQLOptions = {}): string | undefined {
  return checkQuery(PROMQL, expr, options.variables ?? [], [
    checkStrings,
    checkRegexes,
    checkSelectors,
    checkRangeArguments,
    (s) => checkLabels(s, options.seriesLabels),
    (s) => checkValues(s, options, expr),
  ]);
}

/** A PromQL double-quoted string for `value` (Go's escapes), so a value from the stack cannot break the query. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** Why an error node's surroundings failed, in PromQL terms, from the nearest rule that explains it. */
const HINTS: Readonly<Record<string, string>> = {
  MatrixSelector: 'a range is a duration in brackets after a selector, such as x[5m] or x[$__rate_interval]',
  SubqueryExpr: 'a subquery is written <expr>[range:resolution], such as rate(x[5m])[1h:1m]',
  LabelMatchers: 'label matchers are written {label="value", label=~"regex", ...}',
  UnquotedLabelMatcher: 'a label matcher is written label="value", label!="value", label=~"regex" or label!~"regex"',
  FunctionCallBody: 'function arguments go in balanced parentheses, separated by commas',
  AggregateExpr: 'an aggregation is written like sum by (label) (<expr>)',
  GroupingLabels: 'grouping labels are written by (label, ...) or without (label, ...)',
};

const PROMQL: QueryGrammar = {
  language: 'PromQL',
  quotes: ['"', "'", '`'],
  parse: (text) => parser.parse(text),
  hints: HINTS,
  example: 'up{job="prometheus"}',
};

/** Prometheus unquotes strings as Go does (promql/parser/lex.go): `"\d"` is an error, not a regex class. */
function checkStrings(sub: Substituted): NodeProblem | undefined {
  for (const n of nodesNamed(sub.tree, 'StringLiteral')) {
    const r = unquoteGo(sub.text.slice(n.from, n.to), 'PromQL');
    if (r.error) return { from: n.from + r.error.offset, message: r.error.message };
  }
  return undefined;
}

interface Matcher {
  readonly node: SyntaxNode;
  readonly label: string;
  readonly labelFrom: number;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string | undefined;
  readonly valueNode: SyntaxNode | null;
}

const OPS: Record<string, Matcher['op']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

function matchersOf(sub: Substituted, selector: SyntaxNode): Matcher[] {
  const out: Matcher[] = [];
  const list = selector.getChild('LabelMatchers');
  if (!list) return out;
  for (let m = list.firstChild; m; m = m.nextSibling) {
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const nameNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const opNode = m.getChild('MatchOp')?.firstChild;
    const strings = m.getChildren('StringLiteral');
    const valueNode = strings[strings.length - 1] ?? null;
    if (!nameNode || !opNode) continue;
    const rawName = sub.text.slice(nameNode.from, nameNode.to);
    const label = nameNode.name === 'QuotedLabelName' ? (unquoteGo(rawName, 'PromQL').value ?? rawName) : rawName;
    const value = valueNode ? unquoteGo(sub.text.slice(valueNode.from, valueNode.to), 'PromQL').value : undefined;
    out.push({ node: m, label, labelFrom: nameNode.from, op: OPS[opNode.name] ?? '=', value, valueNode });
  }
  // `{"metric_name"}` (a quoted name alone, Prometheus 3) names the metric.
  return out;
}

/** Regexes of `=~` and `!~`: Prometheus compiles them as `^(?s:...)$` (model/labels NewFastRegexMatcher). */
function checkRegexes(sub: Substituted): NodeProblem | undefined {
  // label_replace(v, dst, replacement, src, regex): compiled as `^(?s:regex)$` too (promql/functions.go).
  for (const call of nodesNamed(sub.tree, 'FunctionCall')) {
    const id = call.getChild('FunctionIdentifier');
    if (!id || sub.text.slice(id.from, id.to) !== 'label_replace') continue;
    const regex = argumentsOf(call)[4];
    if (regex?.name !== 'StringLiteral') continue;
    const value = unquoteGo(sub.text.slice(regex.from, regex.to), 'PromQL').value;
    const problem = value === undefined ? undefined : goRegexProblem(value, GoRegexAnchoring.FULL);
    if (problem) return { from: regex.from, message: problem };
  }
  for (const sel of nodesNamed(sub.tree, 'VectorSelector')) {
    for (const m of matchersOf(sub, sel)) {
      if ((m.op === '=~' || m.op === '!~') && m.value !== undefined && m.valueNode) {
        const problem = goRegexProblem(m.value, GoRegexAnchoring.FULL);
        if (problem) return { from: m.valueNode.from, message: problem };
      }
    }
  }
  return undefined;
}

/** The metric a selector names: its identifier, or an `__name__="..."` matcher. */
function metricOf(sub: Substituted, sel: SyntaxNode, matchers: readonly Matcher[]): string | undefined {
  const id = sel.getChild('Identifier');
  if (id) return sub.text.slice(id.from, id.to);
  return matchers.find((m) => m.label === '__name__' && m.op === '=')?.value;
}

/** Prometheus refuses a selector without a metric name whose every matcher matches the empty string (promql/parser/parse.go). */
function checkSelectors(sub: Substituted): NodeProblem | undefined {
  for (const sel of nodesNamed(sub.tree, 'VectorSelector')) {
    const matchers = matchersOf(sub, sel);
    if (sel.getChild('Identifier')) continue;
    const anchored = matchers.some((m) => {
      if (m.value === undefined) return false;
      if (m.op === '=') return m.value !== '';
      if (m.op === '=~') return goRegexMatchesEmpty(m.value, GoRegexAnchoring.FULL) === false;
      return false;
    });
    if (!anchored) {
      return {
        from: sel.from,
        message:
          'a vector selector must contain at least one non-empty matcher (Prometheus refuses {} and {a=~".*"}): name the metric, or add a matcher such as job="<job>"',
      };
    }
  }
  return undefined;
}

/**
 * Functions whose argument at the given index is a range vector
 * (prometheus promql/parser/functions.go, ArgTypes ValueTypeMatrix).
 */
const RANGE_ARGUMENT: Readonly<Record<string, number>> = {
  rate: 0,
  irate: 0,
  increase: 0,
  delta: 0,
  idelta: 0,
  deriv: 0,
  predict_linear: 0,
  resets: 0,
  changes: 0,
  holt_winters: 0,
  double_exponential_smoothing: 0,
  quantile_over_time: 1,
};

function rangeArgumentIndex(fn: string): number | undefined {
  if (fn in RANGE_ARGUMENT) return RANGE_ARGUMENT[fn];
  return fn.endsWith('_over_time') ? 0 : undefined;
}

/** Arguments of a function call, without the punctuation. */
function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const body = call.getChild('FunctionCallBody');
  const args: SyntaxNode[] = [];
  for (let c = body?.firstChild ?? null; c; c = c.nextSibling) {
    if (!c.type.isError && c.name !== '(' && c.name !== ')' && c.name !== ',') args.push(c);
  }
  return args;
}

/** `rate(x)` is refused: "expected type range vector in call to function "rate", got instant vector". */
function checkRangeArguments(sub: Substituted): NodeProblem | undefined {
  for (const call of nodesNamed(sub.tree, 'FunctionCall')) {
    const id = call.getChild('FunctionIdentifier');
    if (!id) continue;
    const fn = sub.text.slice(id.from, id.to);
    const index = rangeArgumentIndex(fn);
    if (index === undefined) continue;
    let arg: SyntaxNode | null | undefined = argumentsOf(call)[index];
    while (arg?.name === 'ParenExpr') arg = arg.getChild('FunctionCallBody')?.firstChild?.nextSibling ?? arg.firstChild?.nextSibling;
    if (!arg || arg.name === 'MatrixSelector' || arg.name === 'SubqueryExpr') continue;
    return {
      from: arg.from,
      message: `${fn}() needs a range vector as argument ${index + 1}: add a range after the selector, such as [$__rate_interval] or [5m]`,
    };
  }
  return undefined;
}

/** Matcher values and recorded series names, against what the tree knows the Prometheus holds. */
function checkValues(sub: Substituted, options: CheckPromQLOptions, expr: string): NodeProblem | undefined {
  const { labelValues, recordedSeries } = options;
  if (!labelValues && !recordedSeries) return undefined;
  const name = options.prometheusName ?? 'its Prometheus';
  for (const sel of nodesNamed(sub.tree, 'VectorSelector')) {
    const matchers = matchersOf(sub, sel);
    const metric = metricOf(sub, sel, matchers);
    if (recordedSeries && metric?.includes(':') && !recordedSeries.includes(metric) && !sub.hasStandIn(sel.from, sel.to)) {
      const written = recordedSeries.length ? `the rules of the stack record ${recordedSeries.join(', ')}` : 'no rule of the stack records any series into it';
      return {
        from: sel.from,
        message: `no rule records '${metric}' (a name with ':' is a recorded series), so it selects nothing in ${name}: ${written}${didYouMean(metric, recordedSeries) ?? ''}`,
      };
    }
    for (const m of matchers) {
      const given = labelValues?.[m.label];
      if (!given || m.value === undefined || !m.valueNode) continue;
      // A value made of a dashboard variable is known only when the dashboard runs.
      if (/\$|\[\[/.test(expr.slice(sub.toOriginal(m.valueNode.from), sub.toOriginal(m.valueNode.to)))) continue;
      const known = knownValues(given);
      if (someValueMatches(m.op, m.value, known) === false) {
        const shown = m.op === '=' ? `${m.label}="${m.value}"` : `${m.label}${m.op}${JSON.stringify(m.value)}`;
        return { from: m.valueNode.from, message: `${shown} selects nothing: ${name} only has ${valuesHint(m.label, m.op, m.value, known)}` };
      }
    }
  }
  return undefined;
}

/** Label names of matchers and groupings, against the labels the tree knows the metric's series carry. */
function checkLabels(sub: Substituted, seriesLabels: SeriesLabels | undefined): NodeProblem | undefined {
  if (!seriesLabels) return undefined;
  const known = (metric: string | undefined) => (metric === undefined ? undefined : seriesLabels(metric));
  const unknownLabel = (label: string, metric: string, labels: readonly string[]): string =>
    `no series of ${metric} has the label '${label}' (it has ${labels.join(', ')})${didYouMean(label, labels) ?? ''}`;
  for (const sel of nodesNamed(sub.tree, 'VectorSelector')) {
    const matchers = matchersOf(sub, sel);
    const metric = metricOf(sub, sel, matchers);
    const labels = known(metric);
    if (!labels || metric === undefined) continue;
    for (const m of matchers) {
      if (m.label === '__name__' || labels.includes(m.label)) continue;
      // A matcher that accepts a missing label (= "", !~ "x") still selects series: only one that requires the label is wrong.
      if (m.op === '=' && m.value === '') continue;
      if (m.op === '!=' || m.op === '!~') continue;
      return { from: m.labelFrom, message: unknownLabel(m.label, metric, labels) };
    }
  }
  // `sum by (label) (...)`: when every selector inside is of a known metric, the label must be one of theirs.
  for (const agg of nodesNamed(sub.tree, 'AggregateExpr')) {
    const modifier = agg.getChild('AggregateModifier');
    const grouping = modifier?.getChild('GroupingLabels');
    if (!modifier || !grouping || !modifier.getChild('By')) continue;
    const metrics: string[] = [];
    let allKnown = true;
    for (const sel of nodesNamed(sub.tree, 'VectorSelector')) {
      if (sel.from < agg.from || sel.to > agg.to) continue;
      const metric = metricOf(sub, sel, matchersOf(sub, sel));
      if (metric === undefined || !known(metric)) allKnown = false;
      else metrics.push(metric);
    }
    if (!allKnown || metrics.length === 0) continue;
    // label_replace(v, dst, ...) and label_join(v, dst, ...) inside the aggregation add `dst` to its
    // series (prometheus promql/functions.go funcLabelReplace, funcLabelJoin).
    const added: string[] = [];
    for (const call of nodesNamed(sub.tree, 'FunctionCall')) {
      if (call.from < agg.from || call.to > agg.to) continue;
      const id = call.getChild('FunctionIdentifier');
      if (!id || !['label_replace', 'label_join'].includes(sub.text.slice(id.from, id.to))) continue;
      const dst = argumentsOf(call)[1];
      const value = dst?.name === 'StringLiteral' ? unquoteGo(sub.text.slice(dst.from, dst.to), 'PromQL').value : undefined;
      if (value !== undefined) added.push(value);
    }
    const union = [...new Set([...metrics.flatMap((m) => known(m) ?? []), ...added])];
    for (let l = grouping.firstChild; l; l = l.nextSibling) {
      if (l.name !== 'LabelName') continue;
      const label = sub.text.slice(l.from, l.to);
      if (!union.includes(label)) return { from: l.from, message: unknownLabel(label, [...new Set(metrics)].join(', '), union) };
    }
  }
  return undefined;
}
