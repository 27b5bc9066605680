import { Construct } from 'constructs';
import { z } from 'zod';
import { Service } from '../compose/service.js';
import { instanceOf, propsSchema } from '../core/props.js';
import { Duration } from '../core/duration.js';
import { Stack } from '../core/stack.js';
import { Target } from '../core/target.js';
import { LogLevel } from '../log-format/log-level.js';
import type { Loki } from '../loki/loki.js';
import type { Prometheus } from '../prometheus/prometheus.js';
import type { LogCollector } from '../collector/log-collector.js';
import type { NodeExporter } from '../services/node-exporter.js';
import { AlertSeverity } from '../rules/log-alert-rule.js';
import { LogMetric } from '../rules/log-metric.js';
import type { LogRecordingRule } from '../rules/log-recording-rule.js';
import { PrometheusRuleGroup } from '../rules/prometheus-rule-group.js';
import { RuleGroup } from '../rules/rule-group.js';
import { checkRuleProps, lokiValue } from '../rules/rule-props.js';
import { checkedScope } from '../core/construct-args.js';

/** Props of {@link AixclAlertRules}. */
export interface AixclAlertRulesProps {
  /** The Loki whose ruler evaluates the log rules. */
  readonly loki: Loki;
  /** The log collector whose pushes are watched. */
  readonly collector: LogCollector;
  /** The Prometheus that scrapes the collector and evaluates the collector's alerts. */
  readonly prometheus: Prometheus;
  /**
   * Under Swarm, an exporter that runs on every node: its count is how many collectors should
   * answer (the collector's targets come from DNS, which lists only running tasks).
   * @default none: under Swarm, only a collector that answers nowhere is reported
   */
  readonly nodeExporter?: NodeExporter;
}

/**
 * The alert and recording rules the AIXCL stack ships.
 *
 * - Loki's ruler: an alert per service that logs errors at a sustained rate,
 *   and the log volume per service and level, recorded into Prometheus. Both
 *   count every service of the project, so a service added later is covered
 *   without a list to update; both select by the normalized level, never by
 *   text, so Loki's and Grafana's query logs (which hold the rules' own text)
 *   cannot match.
 * - Prometheus: the collector failing to push, from its own metrics (Alloy's or Promtail's).
 *   Not from logs: when the collector cannot push, its log lines saying so do not
 *   reach Loki either, while Prometheus still scrapes its counters.
 */
export class AixclAlertRules extends Construct {
  // Each is undefined when the prop it needs was wrong (the problem is recorded).
  public readonly errors!: RuleGroup;
  public readonly volume!: RuleGroup;
  /** Log lines per second by service and level, recorded into Prometheus. */
  public readonly logLines!: LogRecordingRule;
  public readonly collector!: PrometheusRuleGroup;

  constructor(scope: Construct, id: string, props: AixclAlertRulesProps) {
    super(checkedScope('AixclAlertRules', scope, id), id);
    props = checkRuleProps(this, 'AixclAlertRules', aixclAlertRulesSchema, props);
    const project = Stack.of(this);
    // A wrong Loki, collector or Prometheus is recorded: the rules that need it are left out (their
    // groups are then undefined), so that they do not report it again.
    if (props.loki) {
      this.errors = new RuleGroup(this, 'service-errors', { loki: props.loki });
      this.errors.addAlert('ServiceLoggingErrors', {
        // More than one error line a minute, held for two evaluations: one failed request does not
        // alert, a service that keeps failing does, and the alert resolves within the window once
        // the errors stop.
        metric: LogMetric.count({ project, levels: [LogLevel.ERROR], window: Duration.minutes(5) }),
        threshold: 5,
        for: Duration.minutes(2),
        severity: AlertSeverity.WARNING,
      });
      this.volume = new RuleGroup(this, 'log-volume', { loki: props.loki });
      this.logLines = this.volume.addRecording('LinesPerLevel', {
        record: 'compose_service:log_lines:rate5m',
        metric: LogMetric.rate({ project, perLevel: true, window: Duration.minutes(5) }),
      });
    }
    if (!props.collector || !props.prometheus) return;

    // The collector's own push metrics (each collector's `metrics` cites its source).
    const metrics = props.collector.metrics;
    const service = props.collector.service;
    const job = `job=${JSON.stringify(service.metrics?.jobName ?? service.serviceName)}`;
    this.collector = new PrometheusRuleGroup(this, 'log-collector', { prometheus: props.prometheus });
    this.collector.addAlert('LogCollectorPushFailing', {
      expr: `${metrics.pushFailuresRate(job)} > 0`,
      service: props.collector,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: 'pushes to Loki keep failing; logs are late, and lost once the retries run out',
      description: '{{ $value | humanize }} failed pushes per second over the last 5m.',
    });
    this.collector.addAlert('LogCollectorDroppingLogs', {
      expr: `${metrics.droppedEntriesIncrease(job)} > 0`,
      service: props.collector,
      for: Duration.seconds(0),
      severity: AlertSeverity.CRITICAL,
      summary: 'log lines were dropped: they will never reach Loki',
      description: '{{ $value | humanize }} lines dropped in the last 10m.',
    });
    this.collector.addAlert('LogCollectorDown', {
      expr: collectorDownExpr(job, Stack.of(this).target === Target.SWARM ? props.nodeExporter : undefined, Stack.of(this).target === Target.SWARM),
      service: props.collector,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: 'the log collector is down or not answering: no logs are collected',
    });
  }
}

/**
 * The collector is down. Under Compose its target is listed statically, so a collector that does not
 * answer is `up == 0`. Under Swarm the targets come from DNS (`tasks.<service>`, dns_sd_configs), which
 * lists running tasks only: a task that is not running has no `up` series at all. So there it is also
 * no collector answering anywhere (absent), or fewer answering than nodes running the node exporter.
 */
function collectorDownExpr(job: string, nodeExporter: NodeExporter | undefined, swarm: boolean): string {
  const down = `up{${job}} == 0`;
  if (!swarm) return down;
  const parts = [down, `absent(up{${job}} == 1)`];
  if (nodeExporter) {
    const s = nodeExporter.service;
    const nodes = `job=${JSON.stringify(s.metrics?.jobName ?? s.serviceName)}`;
    parts.push(`(count(up{${job}} == 1) or vector(0)) < count(up{${nodes}} == 1)`);
  }
  return parts.join(' or ');
}

/** The run-time schema of {@link AixclAlertRulesProps}. */
const aixclAlertRulesSchema = propsSchema<AixclAlertRulesProps>()(
  z.strictObject({
    loki: lokiValue,
    collector: instanceOf<AixclAlertRulesProps['collector']>(
      'a log collector',
      (v): v is AixclAlertRulesProps['collector'] =>
        typeof v === 'object' && v !== null && 'node' in v && Service.isService((v as { service?: unknown }).service),
      () => 'pass the collector construct (e.g. logging.collector)',
    ),
    prometheus: instanceOf<AixclAlertRulesProps['prometheus']>(
      'a Prometheus',
      (v): v is AixclAlertRulesProps['prometheus'] =>
        typeof v === 'object' && v !== null && typeof (v as { acceptRemoteWrite?: unknown }).acceptRemoteWrite === 'function',
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
