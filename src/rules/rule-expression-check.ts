import { GoRegexAnchoring, goRegexTest } from '../core/re2.js';
import { LEVEL_FIELD } from '../log-format/log-level.js';
import { COLLECTED_LOG_LABELS } from '../collector/collected-labels.js';
import type { KnownValues } from '../labels/value-match.js';
import { analyzeLogQL, type LogQLAnalysis, type SelectorMatcher } from './logql-analysis.js';

/**
 * The stream labels a line can have: the ones every collector sets on every line,
 * and `service_name`, which Loki adds from them (its `discover_service_name`).
 */
export const COLLECTED_STREAM_LABELS: readonly string[] = [...Object.keys(COLLECTED_LOG_LABELS), 'service_name'];

/**
 * A service whose own log lines contain the text of the LogQL queries it
 * runs or proxies: Loki logs every query (`query="..."`, from
 * pkg/logql/metrics.go), and Grafana may log the queries it sends.
 */
export interface QueryLogger {
  readonly project: string;
  readonly serviceName: string;
}

/** What a rule expression is checked against. */
export interface RuleExpressionContext {
  /** Services whose logs hold query texts (Loki, Grafana). */
  readonly queryLoggers: readonly QueryLogger[];
  /** @default {@link COLLECTED_STREAM_LABELS} */
  readonly streamLabels?: readonly string[];
  /** The values labels can take (src/labels/log-label-values.ts). @default values are not checked */
  readonly labelValues?: Readonly<Record<string, KnownValues>>;
  /** Names the Loki in messages. @default 'its Loki' */
  readonly lokiName?: string;
}

/**
 * Checks the expression of a Loki rule: it parses, it is a metric query (a
 * log query makes every evaluation fail with "rule result is not a vector or
 * scalar", from Loki's pkg/ruler/compat.go), its selectors and groupings name
 * only labels the collector produces, and it cannot count its own evaluation:
 * a positive line filter (`|=`, `|~`, `|>`) over streams that may be Loki's
 * or Grafana's would match the query log line that evaluating the rule writes,
 * since that line holds the filter's own text (AIXCL's log alerts fired
 * forever that way).
 * @returns one message per problem
 */
export function checkRuleExpression(expr: string, ctx: RuleExpressionContext): { problems: string[]; analysis?: LogQLAnalysis } {
  const { analysis, problem } = analyzeLogQL(expr, { labelValues: ctx.labelValues, lokiName: ctx.lokiName });
  if (!analysis) return { problems: [problem!] };
  const problems: string[] = [];
  if (!analysis.isMetric) {
    problems.push(
      `'${expr}' is a log query, and a rule needs a metric query (Loki fails every evaluation of a log query): ` +
        `count lines with count_over_time({...}[5m]) or rate({...}[5m]), e.g. LogMetric.count({ service, levels: [LogLevel.ERROR] })`,
    );
  }
  const streamLabels = ctx.streamLabels ?? COLLECTED_STREAM_LABELS;
  const unknown = new Set<string>();
  for (const sel of analysis.selectors) for (const m of sel) if (!streamLabels.includes(m.label)) unknown.add(m.label);
  if (unknown.size) {
    problems.push(
      `selects on ${[...unknown].map((l) => `'${l}'`).join(', ')}, which the collector never sets, so it matches nothing: ` +
        `use the labels every line has (${streamLabels.join(', ')})`,
    );
  }
  if (!analysis.extractsLabels) {
    const groupable = [...streamLabels, LEVEL_FIELD];
    const bad = [...new Set(analysis.groupingLabels.filter((l) => !groupable.includes(l)))];
    if (bad.length) {
      problems.push(`groups by ${bad.map((l) => `'${l}'`).join(', ')}, which no line has (and no parser stage extracts): group by ${groupable.join(', ')}`);
    }
  }
  const positive = analysis.lineFilters.filter((f) => f.op === '|=' || f.op === '|~' || f.op === '|>');
  if (positive.length) {
    const hit = ctx.queryLoggers.find((q) => analysis.selectors.some((sel) => mayMatch(sel, q)));
    if (hit) {
      problems.push(
        `filters lines on ${positive.map((f) => JSON.stringify(f.value)).join(', ')} over streams that include '${hit.serviceName}' of project '${hit.project}', ` +
          `whose log holds the text of every query it runs, this rule's own included: the rule would match its own evaluation. ` +
          `Select one service's streams (compose_project="${hit.project}", compose_service="<service>") that is not Loki or Grafana, or select by level instead of text`,
      );
    }
  }
  return { problems, analysis };
}

/** Could a stream of the query logger pass every matcher of the selector? Unknown label values may match. */
function mayMatch(matchers: readonly SelectorMatcher[], q: QueryLogger): boolean {
  const known: Record<string, string> = { compose_project: q.project, compose_service: q.serviceName };
  return matchers.every((m) => {
    const value = known[m.label];
    if (value === undefined) return true;
    switch (m.op) {
      case '=':
        return value === m.value;
      case '!=':
        return value !== m.value;
      case '=~':
      case '!~': {
        // Anchored as Loki anchors label matchers (Prometheus's labels.NewFastRegexMatcher), run by RE2 itself.
        const hit = goRegexTest(m.value, value, GoRegexAnchoring.FULL);
        if (hit === undefined) return true;
        return hit === (m.op === '=~');
      }
    }
  });
}
