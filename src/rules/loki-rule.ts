import { Construct } from 'constructs';
import { Stack } from '../core/stack.js';
import { Grafana } from '../grafana/grafana.js';
import { Loki } from '../loki/loki.js';
import type { LogMetric } from './log-metric.js';
import { checkRuleExpression, type QueryLogger } from './rule-expression-check.js';
import { logLabelValues } from '../labels/log-label-values.js';
import { Duration } from '../core/duration.js';
import { type AppliedInterval, logqlRanges, logWindowProblem } from '../labels/query-windows.js';
import type { LogQLAnalysis } from './logql-analysis.js';

const LOKI_RULE = Symbol.for('aixcl-cdk.LokiRule');

/** A rule's entry in a rule file (Prometheus's `rulefmt.Rule`, which Loki's ruler reads). */
export type RuleDocument = Record<string, unknown>;

/** The compose service a rule is about, when its expression pins exactly one. */
export interface RuleService {
  readonly project: string;
  readonly serviceName: string;
}

export { LABEL_NAME_PATTERN } from './rule-file-schema.js';

/**
 * A rule that Loki's ruler evaluates (alerting or recording). Rules are
 * created inside a {@link RuleGroup}, whose file lists them in tree order.
 */
export abstract class LokiRule extends Construct {
  /** True for Loki rules, across copies of this library. */
  public static isLokiRule(x: unknown): x is LokiRule {
    return typeof x === 'object' && x !== null && LOKI_RULE in x;
  }

  /** The metric the rule evaluates. */
  public readonly metric: LogMetric;

  /** @param metricOf checks the rule's props (on the new construct) and returns its metric (none when it is wrong: recorded) */
  protected constructor(scope: Construct, id: string, metricOf: (self: Construct) => LogMetric | undefined) {
    super(scope, id);
    Object.defineProperty(this, LOKI_RULE, { value: true });
    this.metric = metricOf(this) as LogMetric; // undefined in a stand-in
    // A metric built from wrong parts has no expression to check: its own problems say what to fix.
    // Without a metric (a stand-in) the problem is already recorded.
    this.node.addValidation({
      validate: () => {
        if (!this.metric) return [];
        if (this.metric.problems.length) return [...this.metric.problems];
        const problems = this.checkExpression().problems;
        return problems.length ? problems : this.windowProblems();
      },
    });
  }

  /**
   * @internal True when the rule has no usable metric: none (its prop was wrong) or one built from
   * wrong parts. Its problems are reported; it is then a stand-in, left out of its group's file and
   * checked for nothing that needs the metric, so that no problem follows from them.
   */
  public get _standIn(): boolean {
    return !this.metric || this.metric.problems.length > 0;
  }

  /** The full expression of the rule (an alert adds its threshold). */
  public abstract get expr(): string;

  /** @internal The rule's entry in its group's file. */
  public abstract _toDocument(): RuleDocument;

  /** The service the rule's expression selects, if it pins exactly one. */
  public get ruleService(): RuleService | undefined {
    if (this._standIn) return undefined;
    const src = this.metric.source;
    if (src.kind === 'typed') return src.service ? { project: src.project, serviceName: src.service.serviceName } : undefined;
    const pins = this.pinned('compose_service');
    const project = this.ruleProject;
    return pins.length === 1 && project !== undefined ? { project, serviceName: pins[0] } : undefined;
  }

  /** The Compose project the rule's expression selects, if it pins exactly one. */
  public get ruleProject(): string | undefined {
    if (this._standIn) return undefined;
    const src = this.metric.source;
    if (src.kind === 'typed') return src.project;
    const pins = this.pinned('compose_project');
    return pins.length === 1 ? pins[0] : undefined;
  }

  /** True when each series of the result carries its service (`by (..., compose_service)`, or no aggregation). */
  public get resultNamesService(): boolean {
    if (this._standIn) return false;
    const analysis = this.checkExpression().analysis;
    if (!analysis) return false;
    return analysis.aggregations.every((a) => (a.by ? a.by.includes('compose_service') : !a.without!.includes('compose_service')));
  }

  /** The values that every selector pins `label` to with '=' (one value when the expression is about one). */
  private pinned(label: string): string[] {
    const analysis = this.checkExpression().analysis;
    if (!analysis) return [];
    const values = new Set<string>();
    for (const sel of analysis.selectors) {
      const v = sel.find((m) => m.label === label && m.op === '=')?.value;
      if (v === undefined) return [];
      values.add(v);
    }
    return [...values];
  }

  /** How often the rule is evaluated: its group's interval, else its Loki ruler's (Loki's default, 1m, else). */
  public get evaluation(): AppliedInterval | undefined {
    const group = this.node.scope as { interval?: unknown } | undefined;
    if (Duration.isDuration(group?.interval)) return { interval: group.interval, source: "its group's interval" };
    const loki = this.loki;
    if (!loki) return undefined;
    const own = loki.ruler.evaluationInterval;
    return own
      ? { interval: own, source: `${loki.node.path}'s ruler evaluationInterval` }
      : { interval: Duration.minutes(1), source: "the ruler's default evaluationInterval" };
  }

  /** Windows shorter than the evaluation interval (each counted once). */
  private windowProblems(): string[] {
    const applied = this.evaluation;
    if (!applied) return [];
    const windows = [...new Set(this.metric.window ? [this.metric.window.milliseconds] : logqlRanges(this.metric.expr))];
    return windows.map((w) => logWindowProblem(w, applied)).filter((p): p is string => p !== undefined);
  }

  /** The Loki whose ruler evaluates this rule (from the enclosing rule group). */
  protected get loki(): Loki | undefined {
    const parents = this.node.scopes.slice(0, -1).reverse();
    return parents.map((s) => (s as { loki?: unknown }).loki).find(Loki.isLoki);
  }

  protected checkExpression(): { problems: string[]; analysis?: LogQLAnalysis } {
    return checkRuleExpression(this.expr, { queryLoggers: queryLoggers(this), labelValues: ruleLabelValues(this.loki), lokiName: this.loki?.node.path });
  }
}

/** The label values a rule's selectors are checked against; not the project, which its group checks (naming the rule). */
function ruleLabelValues(loki: Loki | undefined) {
  const values = logLabelValues(loki);
  const projectLabel = loki?.collectedProjects()?.label;
  if (projectLabel) delete values[projectLabel];
  return values;
}

/** The services of the construct's stack whose logs hold query texts: every Loki and Grafana. */
function queryLoggers(c: Construct): QueryLogger[] {
  const stack = Stack.of(c);
  return stack.node
    .findAll()
    .filter((x): x is Loki | Grafana => Loki.isLoki(x) || Grafana.isGrafana(x))
    .map((x) => ({ project: stack.projectName, serviceName: x.service.serviceName }));
}
