import { Construct } from 'constructs';
import { z } from 'zod';
import { propsSchema } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';
import { Duration } from '../core/duration.js';
import { standInFilePath } from '../core/generated-file.js';
import { Stack } from '../core/stack.js';
import { Alertmanager } from '../alertmanager/alertmanager.js';
import { Loki } from '../loki/loki.js';
import { LogAlertRule, type LogAlertRuleProps } from './log-alert-rule.js';
import { LogRecordingRule, type LogRecordingRuleProps } from './log-recording-rule.js';
import { LokiRule } from './loki-rule.js';
import { RuleFile, ruleGroupProblems } from './rule-file.js';
import { ruleFileSchema } from './rule-file-schema.js';
import { checkRuleProps, lokiValue } from './rule-props.js';
import { checkedScope } from '../core/construct-args.js';

const RULE_GROUP = Symbol.for('aixcl-cdk.RuleGroup');

/** Props of a {@link RuleGroup}. */
export interface RuleGroupProps {
  /** The Loki whose ruler evaluates the group (its rules must select logs that Loki stores). */
  readonly loki: Loki;
  /** Name of the group, also the name of its file. @default the construct id */
  readonly groupName?: string;
  /**
   * How often the group is evaluated.
   * @default the ruler's evaluation interval (LokiRulerProps.evaluationInterval)
   */
  readonly interval?: Duration;
}

/**
 * A group of Loki rules, evaluated together at one interval, written to its
 * own rule file in the directory that Loki's ruler reads for the stack's
 * tenant. Add rules with {@link addAlert} and {@link addRecording}.
 */
export class RuleGroup extends Construct {
  /** True for rule groups, across copies of this library. */
  public static isRuleGroup(x: unknown): x is RuleGroup {
    return typeof x === 'object' && x !== null && RULE_GROUP in x;
  }

  public readonly loki: Loki;
  public readonly groupName: string;
  public readonly interval?: Duration;
  /** The rule file of this group. */
  public readonly file: RuleFile;

  constructor(scope: Construct, id: string, props: RuleGroupProps) {
    super(checkedScope('RuleGroup', scope, id), id);
    Object.defineProperty(this, RULE_GROUP, { value: true });
    props = checkRuleProps(this, 'RuleGroup', ruleGroupSchema, props);
    // Without its Loki (the problem is recorded) the group is a stand-in: its rules are still checked,
    // but no ruler reads its file (a path of its own) and nothing that needs the Loki is.
    const loki = props.loki as Loki | undefined;
    this.loki = loki as Loki;
    this.groupName = props.groupName ?? id;
    this.interval = props.interval;
    this.file = new RuleFile(this, 'File', {
      filePath: loki ? `${loki.rulesDirectory}/${this.groupName}.yml` : standInFilePath(this.node.path, '.yml'),
      group: this,
      schema: ruleFileSchema,
      reader: "Loki's ruler",
    });
    loki?.registerRuleGroup(this);
    this.node.addValidation({ validate: () => this.validateGroup() });
  }

  /** Adds an alerting rule. */
  public addAlert(id: string, props: LogAlertRuleProps): LogAlertRule {
    return new LogAlertRule(this, id, props);
  }

  /** Adds a recording rule. */
  public addRecording(id: string, props: LogRecordingRuleProps): LogRecordingRule {
    return new LogRecordingRule(this, id, props);
  }

  /** The rules of the group, in the order they were added. */
  public get rules(): readonly LokiRule[] {
    return this.node.children.filter(LokiRule.isLokiRule);
  }

  private validateGroup(): string[] {
    const errors = ruleGroupProblems(this, 'addAlert or addRecording');
    if (!this.loki) return errors; // a stand-in
    const loki = this.loki.node.path;
    if (Stack.of(this.loki) !== Stack.of(this)) {
      errors.push(`its Loki ${loki} is in another stack: create the rule group in the stack of the Loki that evaluates it`);
    }
    // Without an Alertmanager in the stack, alerts are only shown (Grafana, the ruler's API): a choice.
    // With one, a Loki that does not send to it is a wire forgotten.
    const alertmanager = alertmanagerOf(this);
    if (alertmanager && this.rules.some((r) => r instanceof LogAlertRule) && !this.loki.ruler.alertmanager) {
      errors.push(
        `has alert rules, but ${loki} does not send alerts to ${alertmanager.node.path}: give the Loki { ruler: { alertmanager } } ` +
          `(with Logging: { loki: { ruler: { alertmanager } } })`,
      );
    }
    if (this.rules.some((r) => r instanceof LogRecordingRule) && !this.loki.remoteWriteUrl) {
      errors.push(`has recording rules, but ${loki} writes their series nowhere: give the Loki { ruler: { remoteWrite: <a Prometheus> } }`);
    }
    const collected = collectedProjects(this.loki);
    for (const r of this.rules) {
      const project = r.ruleProject;
      if (project !== undefined && collected.length && !collected.includes(project)) {
        errors.push(
          `rule ${r.node.id} selects project '${project}', but ${loki} only receives logs of ${collected.map((p) => `'${p}'`).join(', ')}: it would never match`,
        );
      }
    }
    return errors;
  }
}

/** The stack's Alertmanager, if it has one. */
export function alertmanagerOf(c: Construct): Construct | undefined {
  return Stack.of(c)
    .node.findAll()
    .find((x) => Alertmanager.isAlertmanager(x));
}

/** The projects whose logs the Loki receives (from its collectors, e.g. Promtail's `project`). */
function collectedProjects(loki: Loki): string[] {
  return [...new Set(loki.collectors.map((c) => (c as { project?: unknown }).project).filter((p): p is string => typeof p === 'string'))];
}

/** The run-time schema of {@link RuleGroupProps}. */
const ruleGroupSchema = propsSchema<RuleGroupProps>()(
  z.strictObject({ loki: lokiValue, groupName: z.string().optional(), interval: durationValue.optional() }),
);
