import { Construct, IConstruct } from 'constructs';
import { z } from 'zod';
import { instanceOf, propsSchema } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';
import { Duration } from '../core/duration.js';
import { standInFilePath } from '../core/generated-file.js';
import { Stack } from '../core/stack.js';
import { checkPromQL } from '../grafana/promql.js';
import { MetricAlertRule, type MetricAlertRuleProps } from './metric-alert-rule.js';
import { RuleFile, ruleGroupProblems } from './rule-file.js';
import { createRuleFileSchema } from './rule-file-schema.js';
import { checkRuleProps } from './rule-props.js';
import { alertmanagerOf } from './rule-group.js';
import { checkedScope } from '../core/construct-args.js';

/** A Prometheus that evaluates rule files (the `Prometheus` construct). */
export interface RuleEvaluator extends IConstruct {
  /** Directory (in the output) of its rule files. */
  readonly rulesDirectory: string;
  /** Records a rule group it evaluates. */
  registerRuleGroup(group: IConstruct): void;
  /** True when it sends alerts to an Alertmanager. */
  readonly sendsAlerts: boolean;
}

/** Props of a {@link PrometheusRuleGroup}. */
export interface PrometheusRuleGroupProps {
  /** The Prometheus that evaluates the group. */
  readonly prometheus: RuleEvaluator;
  /** @default the construct id */
  readonly groupName?: string;
  /** @default Prometheus's evaluation interval */
  readonly interval?: Duration;
}

const promqlRuleFile = createRuleFileSchema(checkPromQL);

/**
 * A group of PromQL alert rules evaluated by a Prometheus of the stack, in a
 * rule file of its own (checked by the rule file schema and Prometheus's
 * PromQL grammar; `promtool check rules` in the tests).
 */
export class PrometheusRuleGroup extends Construct {
  public readonly prometheus: RuleEvaluator;
  public readonly groupName: string;
  public readonly interval?: Duration;
  public readonly file: RuleFile;

  constructor(scope: Construct, id: string, props: PrometheusRuleGroupProps) {
    super(checkedScope('PrometheusRuleGroup', scope, id), id);
    props = checkRuleProps(this, 'PrometheusRuleGroup', prometheusRuleGroupSchema, props);
    // Without its Prometheus (the problem is recorded) the group is a stand-in: its rules are still
    // checked, but no Prometheus reads its file (a path of its own) and nothing that needs it is.
    const prometheus = props.prometheus as RuleEvaluator | undefined;
    this.prometheus = prometheus as RuleEvaluator;
    this.groupName = props.groupName ?? id;
    this.interval = props.interval;
    this.file = new RuleFile(this, 'File', {
      filePath: prometheus ? `${prometheus.rulesDirectory}/${this.groupName}.yml` : standInFilePath(this.node.path, '.yml'),
      group: this,
      schema: promqlRuleFile,
      reader: 'Prometheus',
    });
    prometheus?.registerRuleGroup(this);
    this.node.addValidation({
      validate: () => {
        const errors = ruleGroupProblems(this, 'addAlert');
        if (!prometheus) return errors; // a stand-in
        if (Stack.of(prometheus) !== Stack.of(this)) errors.push(`its Prometheus ${prometheus.node.path} is in another stack`);
        const alertmanager = alertmanagerOf(this);
        if (alertmanager && !prometheus.sendsAlerts) {
          errors.push(`has alert rules, but ${prometheus.node.path} does not send alerts to ${alertmanager.node.path}: call sendAlertsTo(alertmanager) on it`);
        }
        return errors;
      },
    });
  }

  /** Adds an alert rule. */
  public addAlert(id: string, props: MetricAlertRuleProps): MetricAlertRule {
    return new MetricAlertRule(this, id, props);
  }

  /** The rules, in the order they were added. */
  public get rules(): readonly MetricAlertRule[] {
    return this.node.children.filter(MetricAlertRule.isMetricAlertRule);
  }
}

const ruleEvaluatorValue = instanceOf<RuleEvaluator>(
  'a Prometheus',
  (v): v is RuleEvaluator =>
    typeof v === 'object' &&
    v !== null &&
    'node' in v &&
    typeof (v as { registerRuleGroup?: unknown }).registerRuleGroup === 'function' &&
    typeof (v as { rulesDirectory?: unknown }).rulesDirectory === 'string',
  () => 'pass the Prometheus construct itself (the object that `new Prometheus(...)` returned)',
);

/** The run-time schema of {@link PrometheusRuleGroupProps}. */
const prometheusRuleGroupSchema = propsSchema<PrometheusRuleGroupProps>()(
  z.strictObject({ prometheus: ruleEvaluatorValue, groupName: z.string().optional(), interval: durationValue.optional() }),
);
