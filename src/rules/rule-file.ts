import { Construct, type IConstruct } from 'constructs';
import type { z } from 'zod';
import type { Duration } from '../core/duration.js';
import { DocumentFile } from '../core/generated-file.js';
import { toPrometheusDuration } from '../prometheus/prometheus-duration.js';
import { ruleFileIssues } from './rule-file-schema.js';

/** What a rule file is written from: one group of rules. */
export interface RuleFileGroup {
  readonly groupName: string;
  readonly interval?: Duration;
  /** Its rules; a stand-in (a rule whose required prop was wrong, reported) is left out of the file. */
  readonly rules: ReadonlyArray<IConstruct & { _toDocument(): Record<string, unknown>; readonly _standIn?: boolean }>;
}

/** What is wrong with a group whatever evaluates it: its name (also its file's) and its being empty. */
export function ruleGroupProblems(group: RuleFileGroup, howToAdd: string): string[] {
  const errors: string[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(group.groupName)) {
    errors.push(`group name '${group.groupName}' is also its file name: use letters, digits, '-' and '_'`);
  }
  if (group.rules.length === 0) errors.push(`has no rules: add one with ${howToAdd}, or remove the group`);
  if (group.interval && group.interval.milliseconds < 1000) errors.push('interval is below one second: use Duration.seconds(10) or more');
  return errors;
}

/** Props of a {@link RuleFile}. */
export interface RuleFileProps {
  readonly filePath: string;
  readonly group: RuleFileGroup;
  /** The schema it is checked by (its expressions' language decides it). */
  readonly schema: z.ZodType;
  /** The program that loads it, for messages (`Loki's ruler`, `Prometheus`). */
  readonly reader: string;
}

/**
 * A rule file of one group, in Prometheus's rule file format (which Loki's
 * ruler reads too), checked by a strict schema and the parser of its
 * expressions' language.
 */
export class RuleFile extends DocumentFile {
  private readonly props: RuleFileProps;

  constructor(scope: Construct, id: string, props: RuleFileProps) {
    super(scope, id, { filePath: props.filePath });
    this.props = props;
  }

  protected buildDocument(): unknown {
    const g = this.props.group;
    return {
      groups: [
        {
          name: g.groupName,
          ...(g.interval ? { interval: toPrometheusDuration(g.interval) } : {}),
          rules: this.writtenRules().map((r) => r._toDocument()),
        },
      ],
    };
  }

  /** The rules written to the file, in order (a stand-in is left out). */
  private writtenRules() {
    return this.props.group.rules.filter((r) => !r._standIn);
  }

  /** A rule's part of the file comes from the rule: its own checks report a mistake in it there. */
  protected override sourceOf(path: readonly PropertyKey[]): IConstruct | undefined {
    return path[0] === 'groups' && path[1] === 0 && path[2] === 'rules' && typeof path[3] === 'number' ? this.writtenRules()[path[3]] : undefined;
  }

  protected override checkDocument(doc: unknown): void {
    const issues = ruleFileIssues(doc, this.props.schema);
    if (issues.length) this.failWithIssues(`the rule file would not load in ${this.props.reader} (check addOverride calls)`, issues);
  }
}
