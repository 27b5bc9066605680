import { Construct } from 'constructs';
import { z } from 'zod';
import { enumOf, propsSchema } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';
import { Duration } from '../core/duration.js';
import { toPrometheusDuration } from '../prometheus/prometheus-duration.js';
import { logMetricValue, type LogMetric } from './log-metric.js';
import { logsDashboardLink } from './logs-dashboard-link.js';
import { LABEL_NAME_PATTERN, LokiRule, type RuleDocument } from './loki-rule.js';
import { checkRuleProps, labelMap } from './rule-props.js';
import { forProblem } from '../labels/query-windows.js';

/** The alert's own service label, filled in by Loki's ruler (Prometheus's alert templating). */
const SERVICE_TEMPLATE = '{{ $labels.compose_service }}';

/** How an alert compares its metric with its threshold. */
export enum Comparison {
  GREATER_THAN = '>',
  GREATER_OR_EQUAL = '>=',
  LESS_THAN = '<',
  LESS_OR_EQUAL = '<=',
  EQUAL = '==',
  NOT_EQUAL = '!=',
}

/** The `severity` label of an alert, which Alertmanager routes can match. */
export enum AlertSeverity {
  CRITICAL = 'critical',
  WARNING = 'warning',
  INFO = 'info',
}

/** Props of a {@link LogAlertRule}. */
export interface LogAlertRuleProps {
  /** What is measured: `LogMetric.count(...)`, `LogMetric.rate(...)` or `LogMetric.raw(...)`. */
  readonly metric: LogMetric;
  /**
   * The alert fires while the metric compares true with this. Leave it unset
   * for a raw metric that already holds its comparison.
   * @default 0 for a typed metric; none for a raw one
   */
  readonly threshold?: number;
  /** @default Comparison.GREATER_THAN */
  readonly comparison?: Comparison;
  /**
   * How long the condition must hold before the alert fires (pending until then).
   * @default Duration.minutes(5)
   */
  readonly for?: Duration;
  /** Name of the alert (the `alertname` label). @default the construct id */
  readonly alertName?: string;
  /** @default AlertSeverity.WARNING */
  readonly severity?: AlertSeverity;
  /** One line saying what is wrong. @default derived from the metric */
  readonly summary?: string;
  /** More detail; may use `{{ $value }}` and `{{ $labels.<name> }}`. @default derived from the metric */
  readonly description?: string;
  /** More labels (Alertmanager routes match on them). @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** More annotations. @default none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * An alert evaluated by Loki's ruler on a LogQL metric. Every alert names the
 * service it is about (`compose_project`, `compose_service` labels) and links
 * to the logs dashboard filtered on that service (`dashboard` annotation),
 * both resolved in the tree.
 */
export class LogAlertRule extends LokiRule {
  public readonly alertName: string;
  public readonly severity: AlertSeverity;
  private readonly props: LogAlertRuleProps;

  constructor(scope: Construct, id: string, props: LogAlertRuleProps) {
    super(scope, id, (c) => (props = checkRuleProps(c, 'LogAlertRule', logAlertRuleSchema, props)).metric);
    this.props = props;
    this.alertName = props.alertName ?? id;
    this.severity = props.severity ?? AlertSeverity.WARNING;
    this.node.addValidation({ validate: () => this.validateAlert() });
  }

  public get expr(): string {
    if (!this.metric) return ''; // a stand-in
    const threshold = this.props.threshold ?? (this.metric.source.kind === 'typed' ? 0 : undefined);
    if (threshold === undefined) return this.metric.expr;
    return `${this.metric.expr} ${this.props.comparison ?? Comparison.GREATER_THAN} ${threshold}`;
  }

  /** The labels the alert carries besides those of the expression's result. */
  public get labels(): Record<string, string> {
    const svc = this.ruleService;
    return {
      severity: this.severity,
      ...(svc ? { compose_project: svc.project, compose_service: svc.serviceName } : {}),
      ...(this.props.labels ?? {}),
    };
  }

  /**
   * The logs dashboard of this rule's Loki, opened on the rule's service: the
   * service's name when the rule is about one, else the alert's own
   * `compose_service` label (a template Loki's ruler fills in per alert).
   * Absolute when Grafana is published on the host.
   */
  public get dashboardUrl(): string | undefined {
    const project = this.ruleProject;
    if (project === undefined || !this.loki) return undefined;
    return logsDashboardLink(this, { project, service: this.ruleService?.serviceName ?? SERVICE_TEMPLATE, loki: this.loki });
  }

  /** @internal */
  public _toDocument(): RuleDocument {
    const svc = this.ruleService;
    const src = this.metric.source;
    const window = this.metric.window ? toPrometheusDuration(this.metric.window) : undefined;
    const what =
      src.kind === 'typed'
        ? [
            src.selection.levels?.length ? `${src.selection.levels.join('/')} lines` : 'lines',
            src.selection.pattern !== undefined ? `matching ${JSON.stringify(src.selection.pattern)}` : '',
          ]
            .filter(Boolean)
            .join(' ')
        : undefined;
    const service = svc ? svc.serviceName : SERVICE_TEMPLATE;
    const project = this.ruleProject ?? '{{ $labels.compose_project }}';
    const summary = this.props.summary ?? `${service} (${project}): ${this.alertName}`;
    const description =
      this.props.description ??
      (src.kind === 'typed' && window
        ? `${service} logged {{ $value }} ${what} over ${window} (threshold ${this.props.comparison ?? Comparison.GREATER_THAN} ${this.props.threshold ?? 0}).`
        : `${service}: ${this.expr} is {{ $value }}.`);
    const dashboard = this.dashboardUrl;
    return {
      alert: this.alertName,
      expr: this.expr,
      for: toPrometheusDuration(this.props.for ?? Duration.minutes(5)),
      labels: this.labels,
      annotations: {
        summary,
        description,
        ...(dashboard ? { dashboard } : {}),
        ...(this.props.annotations ?? {}),
      },
    };
  }

  private validateAlert(): string[] {
    const errors: string[] = [];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.alertName)) {
      errors.push(`alert name '${this.alertName}' is not usable as the alertname label value routes match: use letters, digits and '_' (e.g. PostgresErrors)`);
    }
    const t = this.props.threshold;
    if (t !== undefined && !Number.isFinite(t)) errors.push(`threshold ${t} is not a finite number`);
    const applied = this.evaluation;
    const late = applied && forProblem(this.props.for ?? Duration.minutes(5), applied);
    if (late) errors.push(late);
    for (const k of [...Object.keys(this.props.labels ?? {}), ...Object.keys(this.props.annotations ?? {})]) {
      if (!LABEL_NAME_PATTERN.test(k)) errors.push(`'${k}' is not a valid label or annotation name (letters, digits and '_', not starting with a digit)`);
    }
    // A stand-in's metric is missing or wrong, an expression that does not parse is wrong (each reported):
    // what it selects is unknown.
    if (!this._standIn && this.checkExpression().analysis && !this.ruleService && !(this.resultNamesService && this.ruleProject !== undefined)) {
      errors.push(
        `the alert cannot name the service it is about, nor link to its logs: select one project and either one service ` +
          `(compose_project="...", compose_service="...") or keep compose_service in the result (sum by (compose_project, compose_service) (...)); ` +
          `LogMetric.count/rate({ service }) or ({ project }) do this`,
      );
    }
    return errors;
  }
}

/** The run-time schema of {@link LogAlertRuleProps}. */
const logAlertRuleSchema = propsSchema<LogAlertRuleProps>()(
  z.strictObject({
    metric: logMetricValue,
    threshold: z.number().optional(),
    comparison: enumOf<Comparison>('Comparison', () => Comparison).optional(),
    for: durationValue.optional(),
    alertName: z.string().optional(),
    severity: enumOf<AlertSeverity>('AlertSeverity', () => AlertSeverity).optional(),
    summary: z.string().optional(),
    description: z.string().optional(),
    labels: labelMap.optional(),
    annotations: labelMap.optional(),
  }),
);
