import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { instanceOf, parseProps, recordProblem } from '../core/props.js';
import { Loki } from '../loki/loki.js';

/*
 * What the run-time schemas of the rules' props share (see core/props.ts): a stack file run through tsx,
 * or written in JavaScript, gets the same messages as the type checker would give. Each schema is in the
 * file of its construct, beside its props; this file imports no rule, so that every rule can import it.
 */

/** A Loki (the one whose ruler evaluates a group). */
export const lokiValue = instanceOf<Loki>(
  'a Loki',
  (v): v is Loki => Loki.isLoki(v),
  (v) =>
    typeof v === 'string'
      ? 'pass the Loki construct itself (e.g. logging.loki), not its name or URL'
      : 'pass the Loki whose ruler evaluates the group (e.g. logging.loki)',
);

/** A map of label (or annotation) names to values. */
export const labelMap = z.record(z.string(), z.string());

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
