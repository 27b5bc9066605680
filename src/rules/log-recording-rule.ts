import { METRIC_NAME_PATTERN } from '../core/name-patterns.js';
import { Construct } from 'constructs';
import { z } from 'zod';
import { propsSchema } from '../core/props.js';
import { logMetricValue, type LogMetric } from './log-metric.js';
import { LABEL_NAME_PATTERN, LokiRule, type RuleDocument } from './loki-rule.js';
import { checkRuleProps, labelMap } from './rule-props.js';

/** Props of a {@link LogRecordingRule}. */
export interface LogRecordingRuleProps {
  /** What is recorded: `LogMetric.count(...)`, `LogMetric.rate(...)` or `LogMetric.raw(...)`. */
  readonly metric: LogMetric;
  /**
   * Name of the series written to Prometheus, by the `level:metric:operation`
   * convention, e.g. `compose_service:log_lines:rate5m`.
   * @default the construct id
   */
  readonly record?: string;
  /** Labels added to every recorded series. @default none */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Prometheus's legacy metric-name syntax, which Loki's ruler checks record names against. */

/**
 * A recording rule: Loki's ruler evaluates the LogQL metric on every
 * evaluation and writes the result to Prometheus by remote write, so
 * dashboards graph a log-derived series as cheaply as any other.
 */
export class LogRecordingRule extends LokiRule {
  public readonly record: string;
  private readonly props: LogRecordingRuleProps;

  constructor(scope: Construct, id: string, props: LogRecordingRuleProps) {
    super(scope, id, (c) => (props = checkRuleProps(c, 'LogRecordingRule', logRecordingRuleSchema, props)).metric);
    this.props = props;
    this.record = props.record ?? id;
    this.node.addValidation({ validate: () => this.validateRecord() });
  }

  public get expr(): string {
    return this.metric?.expr ?? ''; // none in a stand-in
  }

  /** @internal */
  public _toDocument(): RuleDocument {
    const labels = this.props.labels ?? {};
    return { record: this.record, expr: this.expr, ...(Object.keys(labels).length ? { labels: { ...labels } } : {}) };
  }

  private validateRecord(): string[] {
    const errors: string[] = [];
    // Loki's ruler (pkg/ruler/compat.go validateRule) refuses the group otherwise.
    if (!METRIC_NAME_PATTERN.test(this.record)) {
      errors.push(`record name '${this.record}' is not a Prometheus metric name: use letters, digits, '_' and ':' (e.g. compose_service:log_lines:rate5m)`);
    }
    for (const k of Object.keys(this.props.labels ?? {})) {
      if (!LABEL_NAME_PATTERN.test(k) || k === '__name__') errors.push(`'${k}' is not a valid label name`);
    }
    return errors;
  }
}

/** The run-time schema of {@link LogRecordingRuleProps}. */
const logRecordingRuleSchema = propsSchema<LogRecordingRuleProps>()(
  z.strictObject({ metric: logMetricValue, record: z.string().optional(), labels: labelMap.optional() }),
);
