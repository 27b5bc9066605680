import { z } from 'zod';
import { formatSchemaIssues } from '../core/schema-issues.js';
import { PROMETHEUS_DURATION_PATTERN } from '../prometheus/prometheus-duration.js';
import { analyzeLogQL } from './logql-analysis.js';

/** Label names as Prometheus's legacy validation accepts them (Loki's ruler uses it). */
export const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const duration = z.string().regex(PROMETHEUS_DURATION_PATTERN, 'must be a Prometheus duration such as 1m or 5m');
const labelMap = z.record(z.string().regex(LABEL_NAME_PATTERN, 'is not a valid label name'), z.string());

/**
 * A rule of a rule file: Prometheus's `rulefmt.Rule`, decoded strictly by
 * Loki's ruler (pkg/ruler/grouploader.go sets KnownFields), so an unknown key
 * makes Loki refuse the whole file.
 */
const ruleSchema = z
  .strictObject({
    record: z.string().min(1).optional(),
    alert: z.string().min(1).optional(),
    expr: z.string().min(1, "must be set (Loki: field 'expr' must be set in rule)"),
    for: duration.optional(),
    keep_firing_for: duration.optional(),
    labels: labelMap.optional(),
    annotations: labelMap.optional(),
  })
  .superRefine((r, ctx) => {
    // The checks of Loki's pkg/ruler/compat.go validateRule, and the one it leaves to evaluation time.
    if ((r.record === undefined) === (r.alert === undefined)) {
      ctx.addIssue({ code: 'custom', message: "must set exactly one of 'record' and 'alert'" });
    }
    if (r.record !== undefined && (r.annotations || r.for || r.keep_firing_for)) {
      ctx.addIssue({ code: 'custom', message: "a recording rule has no 'annotations', 'for' or 'keep_firing_for'" });
    }
    if (r.labels && '__name__' in r.labels) ctx.addIssue({ code: 'custom', path: ['labels'], message: "'__name__' is not a label a rule may set" });
    const { analysis, problem } = analyzeLogQL(r.expr);
    if (problem) ctx.addIssue({ code: 'custom', path: ['expr'], message: problem });
    else if (!analysis!.isMetric) {
      ctx.addIssue({ code: 'custom', path: ['expr'], message: 'is a log query; Loki fails every evaluation of a rule that is not a metric query' });
    }
  });

/** A rule file as Loki's ruler reads it: `groups[]` of `{ name, interval?, rules[] }` (rulefmt.RuleGroups). */
export const ruleFileSchema = z.strictObject({
  groups: z
    .array(
      z.strictObject({
        name: z.string().min(1, 'must not be empty (Loki: Groupname must not be empty)'),
        interval: duration.optional(),
        query_offset: duration.optional(),
        limit: z.number().int().nonnegative().optional(),
        rules: z.array(ruleSchema),
        labels: labelMap.optional(),
      }),
    )
    .superRefine((groups, ctx) => {
      const seen = new Set<string>();
      groups.forEach((g, i) => {
        if (seen.has(g.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `'${g.name}' is repeated in the same file (Loki refuses it)` });
        seen.add(g.name);
      });
    }),
});

/**
 * Checks a rule file document as Loki's ruler would load it.
 * @returns one message per problem, each with its path in the file
 */
export function checkRuleFile(doc: unknown): string[] {
  const r = ruleFileSchema.safeParse(doc);
  if (r.success) return [];
  return formatSchemaIssues(r.error);
}
