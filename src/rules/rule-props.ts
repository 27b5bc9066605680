import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { Service } from '../compose/service.js';
import { enumOf, instanceOf, parseProps, propsSchema, recordProblem } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { durationValue } from '../core/value-schemas.js';
import { LogLevel } from '../logging/log-level.js';
import { Loki } from '../loki/loki.js';
import type { AixclAlertRulesProps } from '../aixcl/aixcl-alert-rules.js';
import { AlertSeverity, Comparison, type LogAlertRuleProps } from './log-alert-rule.js';
import { LogMetric, type LogSelection, type ServiceRef } from './log-metric.js';
import type { LogRecordingRuleProps } from './log-recording-rule.js';
import type { MetricAlertRuleProps } from './metric-alert-rule.js';
import type { PrometheusRuleGroupProps, RuleEvaluator } from './prometheus-rule-group.js';
import type { RuleGroupProps } from './rule-group.js';

/*
 * The run-time schemas of the rules' props (see core/props.ts): a stack file run through tsx, or
 * written in JavaScript, gets the same messages as the type checker would give.
 */

const isServiceRef = (v: unknown): v is ServiceRef =>
  Service.isService(v) || (typeof v === 'object' && v !== null && Service.isService((v as { service?: unknown }).service));

/** A compose service, or a construct that has one. */
export const serviceRefValue = instanceOf<ServiceRef>('a Service (or a construct that has one, such as Postgres)', isServiceRef, (v) =>
  typeof v === 'string' ? 'pass the construct itself (the object that `new Service(...)` or `new Postgres(...)` returned), not its name' : 'pass a Service of the stack',
);

const lokiValue = instanceOf<Loki>('a Loki', (v): v is Loki => Loki.isLoki(v), (v) =>
  typeof v === 'string' ? 'pass the Loki construct itself (e.g. logging.loki), not its name or URL' : 'pass the Loki whose ruler evaluates the group (e.g. logging.loki)',
);

const ruleEvaluatorValue = instanceOf<RuleEvaluator>(
  'a Prometheus',
  (v): v is RuleEvaluator => typeof v === 'object' && v !== null && 'node' in v && typeof (v as { registerRuleGroup?: unknown }).registerRuleGroup === 'function' && typeof (v as { rulesDirectory?: unknown }).rulesDirectory === 'string',
  () => 'pass the Prometheus construct itself (the object that `new Prometheus(...)` returned)',
);

const logMetricValue = instanceOf<LogMetric>('a LogMetric', (v): v is LogMetric => LogMetric.isLogMetric(v), (v) =>
  typeof v === 'string' ? `wrap a LogQL string in LogMetric.raw(...), or build it: LogMetric.count({ service, levels: [LogLevel.ERROR] })` : 'write LogMetric.count({ service, ... }), LogMetric.rate(...) or LogMetric.raw(...)',
);

/** A map of label (or annotation) names to values. */
const labelMap = z.record(z.string(), z.string());

/** The run-time schema of {@link LogSelection}. */
export const logSelectionSchema = propsSchema<LogSelection>()(
  z.strictObject({
    service: serviceRefValue.optional(),
    project: z.union([instanceOf<Stack>('a Stack', (v): v is Stack => Stack.isStack(v), () => 'pass the Stack, or its project name'), z.string()]).optional(),
    levels: z.array(enumOf<LogLevel>('LogLevel', () => LogLevel)).readonly().optional(),
    pattern: z.string().optional(),
    perLevel: z.boolean().optional(),
    window: durationValue.optional(),
  }),
);

/** The run-time schema of {@link RuleGroupProps}. */
export const ruleGroupSchema = propsSchema<RuleGroupProps>()(
  z.strictObject({ loki: lokiValue, groupName: z.string().optional(), interval: durationValue.optional() }),
);

/** The run-time schema of {@link PrometheusRuleGroupProps}. */
export const prometheusRuleGroupSchema = propsSchema<PrometheusRuleGroupProps>()(
  z.strictObject({ prometheus: ruleEvaluatorValue, groupName: z.string().optional(), interval: durationValue.optional() }),
);

/** The run-time schema of {@link LogAlertRuleProps}. */
export const logAlertRuleSchema = propsSchema<LogAlertRuleProps>()(
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

/** The run-time schema of {@link LogRecordingRuleProps}. */
export const logRecordingRuleSchema = propsSchema<LogRecordingRuleProps>()(
  z.strictObject({ metric: logMetricValue, record: z.string().optional(), labels: labelMap.optional() }),
);

/** The run-time schema of {@link MetricAlertRuleProps}. */
export const metricAlertRuleSchema = propsSchema<MetricAlertRuleProps>()(
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

/** The run-time schema of {@link AixclAlertRulesProps}. */
export const aixclAlertRulesSchema = propsSchema<AixclAlertRulesProps>()(
  z.strictObject({
    loki: lokiValue,
    collector: instanceOf<AixclAlertRulesProps['collector']>(
      'a log collector',
      (v): v is AixclAlertRulesProps['collector'] => typeof v === 'object' && v !== null && 'node' in v && Service.isService((v as { service?: unknown }).service),
      () => 'pass the collector construct (e.g. logging.collector)',
    ),
    prometheus: instanceOf<AixclAlertRulesProps['prometheus']>(
      'a Prometheus',
      (v): v is AixclAlertRulesProps['prometheus'] => typeof v === 'object' && v !== null && typeof (v as { acceptRemoteWrite?: unknown }).acceptRemoteWrite === 'function',
      () => 'pass the Prometheus construct itself',
    ),
    nodeExporter: instanceOf<NonNullable<AixclAlertRulesProps['nodeExporter']>>(
      'a NodeExporter',
      (v): v is NonNullable<AixclAlertRulesProps['nodeExporter']> =>
        typeof v === 'object' && v !== null && 'node' in v && Service.isService((v as { service?: unknown }).service),
      () => 'pass the NodeExporter construct (e.g. stack.nodeExporter)',
    ).optional(),
  }),
);

/**
 * Checks the props of a rule construct and records each problem on it, so that synthesis reports it
 * with every other problem of the stack. A prop with a problem is left out: an optional one takes its
 * default; without a required one (the Loki of a group, the metric of a rule) the construct goes on
 * as a stand-in, which refers to nothing and checks nothing that needs it (see each constructor), so
 * that no problem follows from the one recorded.
 */
export function checkRuleProps<T>(c: IConstruct, owner: string, schema: z.ZodType<unknown, T>, raw: unknown): T {
  const checked = parseProps(schema, raw, { owner });
  // Problems only, no fallbacks: a rule group's wrong Loki is not a collector's (see Loki's own check).
  checked.problems.forEach((p) => recordProblem(c, p));
  return checked.props;
}
