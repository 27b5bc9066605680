import { Construct } from 'constructs';
import { Duration } from '../core/duration.js';
import { Stack } from '../core/stack.js';
import { LogLevel } from '../logging/log-level.js';
import type { Loki } from '../loki/loki.js';
import { AlertSeverity } from '../rules/log-alert-rule.js';
import { LogMetric } from '../rules/log-metric.js';
import { RuleGroup } from '../rules/rule-group.js';

/** Props of {@link AixclLogRules}. */
export interface AixclLogRulesProps {
  /** The Loki whose ruler evaluates the rules. */
  readonly loki: Loki;
}

/**
 * The log rules the AIXCL stack ships: an alert per service that logs errors
 * at a sustained rate, and the log volume per service and level recorded into
 * Prometheus. Both count every service of the stack's project, so a service
 * added later is covered without a list to update; both select by the
 * normalized level, never by text, so Loki's and Grafana's query logs
 * (which hold the rules' own text) cannot match.
 */
export class AixclLogRules extends Construct {
  public readonly errors: RuleGroup;
  public readonly volume: RuleGroup;

  constructor(scope: Construct, id: string, props: AixclLogRulesProps) {
    super(scope, id);
    const project = Stack.of(this);
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
    this.volume.addRecording('LinesPerLevel', {
      record: 'compose_service:log_lines:rate5m',
      metric: LogMetric.rate({ project, perLevel: true, window: Duration.minutes(5) }),
    });
  }
}
