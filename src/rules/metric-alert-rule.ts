import { Construct } from 'constructs';
import { z } from 'zod';
import { enumOf, propsSchema } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';
import { Duration } from '../core/duration.js';
import { checkPromQL } from '../grafana/promql.js';
import { prometheusQueryContext, type PrometheusValueSource } from '../labels/prometheus-label-values.js';
import { toPrometheusDuration } from '../prometheus/prometheus-duration.js';
import { AlertSeverity } from './log-alert-rule.js';
import { serviceOf, serviceRefValue, type ServiceRef } from './log-metric.js';
import { logsDashboardLink } from './logs-dashboard-link.js';
import { LABEL_NAME_PATTERN } from './rule-file-schema.js';
import { checkRuleProps, labelMap } from './rule-props.js';
import { type AppliedInterval, forProblem, scrapeRangeProblems } from '../labels/query-windows.js';

/** What a rule reads of the Prometheus that evaluates it (structurally: the `Prometheus` construct). */
interface PrometheusIntervals {
  readonly node: { readonly path: string };
  readonly config?: { readonly evaluationInterval?: Duration };
}

const METRIC_ALERT_RULE = Symbol.for('aixcl-cdk.MetricAlertRule');

/** Props of a {@link MetricAlertRule}. */
export interface MetricAlertRuleProps {
  /** The PromQL condition, comparison included (e.g. `up{job="promtail"} == 0`): the alert fires while it returns series. */
  readonly expr: string;
  /** The service the alert is about: named in its labels, and its logs linked. */
  readonly service: ServiceRef;
  /** @default Duration.minutes(5) */
  readonly for?: Duration;
  /** Name of the alert (the `alertname` label). @default the construct id */
  readonly alertName?: string;
  /** @default AlertSeverity.WARNING */
  readonly severity?: AlertSeverity;
  /** One line saying what is wrong. */
  readonly summary: string;
  /** More detail; may use `{{ $value }}` and `{{ $labels.<name> }}`. @default none */
  readonly description?: string;
  /** More labels. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * An alert that Prometheus evaluates on a PromQL condition, about one service
 * of the stack: like a {@link LogAlertRule} it carries the service's
 * `compose_project` and `compose_service` labels and links to its logs.
 */
export class MetricAlertRule extends Construct {
  public static isMetricAlertRule(x: unknown): x is MetricAlertRule {
    return typeof x === 'object' && x !== null && METRIC_ALERT_RULE in x;
  }

  public readonly alertName: string;
  /** @internal True when a required prop was wrong (reported): its group's file leaves it out. */
  public readonly _standIn: boolean;
  private readonly props: MetricAlertRuleProps;

  constructor(scope: Construct, id: string, props: MetricAlertRuleProps) {
    super(scope, id);
    Object.defineProperty(this, METRIC_ALERT_RULE, { value: true });
    this.props = checkRuleProps(this, 'MetricAlertRule', metricAlertRuleSchema, props);
    // Without its expr, service or summary (the problem is recorded) the rule is a stand-in: left out
    // of its group's file, and checked for nothing that needs what it lacks.
    this._standIn = !['expr', 'service', 'summary'].every((k) => k in this.props);
    this.alertName = this.props.alertName ?? id;
    this.node.addValidation({ validate: () => this.validateRule() });
  }

  /** @internal The rule's entry in its group's file. */
  public _toDocument(): Record<string, unknown> {
    const service = serviceOf(this.props.service);
    const project = service.stack.projectName;
    const dashboard = logsDashboardLink(this, { project, service: service.serviceName });
    return {
      alert: this.alertName,
      expr: this.props.expr,
      for: toPrometheusDuration(this.props.for ?? Duration.minutes(5)),
      labels: {
        severity: this.props.severity ?? AlertSeverity.WARNING,
        compose_project: project,
        compose_service: service.serviceName,
        ...(this.props.labels ?? {}),
      },
      annotations: {
        summary: `${service.serviceName} (${project}): ${this.props.summary}`,
        ...(this.props.description ? { description: this.props.description } : {}),
        ...(dashboard ? { dashboard } : {}),
      },
    };
  }

  /** The Prometheus evaluating the rule (from its group). */
  private get prometheus(): PrometheusIntervals | undefined {
    return (this.node.scope as { prometheus?: PrometheusIntervals } | undefined)?.prometheus;
  }

  /** A `for` under the evaluation interval, a rate() over less than two scrapes. */
  private intervalProblems(expr: string): string[] {
    const errors: string[] = [];
    const prometheus = this.prometheus;
    const config = prometheus?.config;
    const group = (this.node.scope as { interval?: unknown } | undefined)?.interval;
    const evaluation: AppliedInterval | undefined = Duration.isDuration(group)
      ? { interval: group, source: "its group's interval" }
      : config?.evaluationInterval
        ? { interval: config.evaluationInterval, source: `${prometheus!.node.path}'s evaluationInterval` }
        : undefined;
    const late = evaluation && forProblem(this.props.for ?? Duration.minutes(5), evaluation);
    if (late) errors.push(late);
    errors.push(...scrapeRangeProblems(expr, prometheus as PrometheusValueSource | undefined));
    return errors;
  }

  private validateRule(): string[] {
    const errors: string[] = [];
    // Checked against what the tree knows its Prometheus holds (jobs, recorded series, labels of known metrics).
    const context = prometheusQueryContext(this.prometheus as PrometheusValueSource | undefined);
    const problem = this.props.expr === undefined ? undefined : checkPromQL(this.props.expr, context); // none in a stand-in
    if (problem) errors.push(problem);
    else if (this.props.expr !== undefined) errors.push(...this.intervalProblems(this.props.expr));
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.alertName)) errors.push(`alert name '${this.alertName}' must be letters, digits and '_'`);
    for (const k of Object.keys(this.props.labels ?? {})) {
      if (!LABEL_NAME_PATTERN.test(k)) errors.push(`'${k}' is not a valid label name`);
    }
    return errors;
  }
}

/** The run-time schema of {@link MetricAlertRuleProps}. */
const metricAlertRuleSchema = propsSchema<MetricAlertRuleProps>()(
  z.strictObject({
    expr: z.string(),
    service: serviceRefValue,
    for: durationValue.optional(),
    alertName: z.string().optional(),
    severity: enumOf<AlertSeverity>('AlertSeverity', () => AlertSeverity).optional(),
    summary: z.string(),
    description: z.string().optional(),
    labels: labelMap.optional(),
  }),
);
