import { LABEL_NAME_PATTERN } from '../core/name-patterns.js';
import { z } from 'zod';
import { schemaIssues, type SchemaIssue } from '../core/schema-issues.js';
import { isModelDuration } from '../core/go-duration.js';
import { analyzeLogQL } from './logql-analysis.js';

/** Label names as Prometheus's legacy validation accepts them (Loki's ruler uses it). */
export { LABEL_NAME_PATTERN };

const duration = z.string().refine(isModelDuration, 'must be a Prometheus duration such as 1m or 5m');
const labelMap = z.record(z.string().regex(LABEL_NAME_PATTERN, 'is not a valid label name'), z.string());

/** Checks a rule's expression: undefined when it is a metric query its evaluator reads, else why not. */
export type RuleExpressionChecker = (expr: string) => string | undefined;

/** A LogQL rule expression must parse and be a metric query (Loki fails every evaluation of a log query). */
export const logqlRuleExpression: RuleExpressionChecker = (expr) => {
  const { analysis, problem } = analyzeLogQL(expr);
  if (problem) return problem;
  return analysis!.isMetric ? undefined : 'is a log query; Loki fails every evaluation of a rule that is not a metric query';
};

/**
 * The schema of a rule file: Prometheus's `rulefmt.RuleGroups`, which Loki's
 * ruler decodes strictly too (pkg/ruler/grouploader.go sets KnownFields, as
 * Prometheus's rulefmt.Parse does), so an unknown key makes the whole file
 * refused. Expressions are checked by `checkExpr` (LogQL for Loki, PromQL for
 * Prometheus).
 */
export function createRuleFileSchema(checkExpr: RuleExpressionChecker) {
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
      // The checks of rulefmt's Rule.Validate (and Loki's pkg/ruler/compat.go validateRule).
      if ((r.record === undefined) === (r.alert === undefined)) {
        ctx.addIssue({ code: 'custom', message: "must set exactly one of 'record' and 'alert'" });
      }
      if (r.record !== undefined && (r.annotations || r.for || r.keep_firing_for)) {
        ctx.addIssue({ code: 'custom', message: "a recording rule has no 'annotations', 'for' or 'keep_firing_for'" });
      }
      if (r.labels && '__name__' in r.labels) ctx.addIssue({ code: 'custom', path: ['labels'], message: "'__name__' is not a label a rule may set" });
      const problem = checkExpr(r.expr);
      if (problem) ctx.addIssue({ code: 'custom', path: ['expr'], message: problem });
    });
  return z.strictObject({
    groups: z
      .array(
        z.strictObject({
          name: z.string().min(1, 'must not be empty (Groupname must not be empty)'),
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
          if (seen.has(g.name))
            ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `'${g.name}' is repeated in the same file (the whole file is refused)` });
          seen.add(g.name);
        });
      }),
  });
}

/** A Loki rule file: LogQL metric expressions. */
export const ruleFileSchema = createRuleFileSchema(logqlRuleExpression);

/**
 * Checks a rule file document as Loki's ruler (or, with another schema, Prometheus) would load it.
 * @returns one message per problem, each with its path in the file
 */
export function checkRuleFile(doc: unknown, schema: z.ZodType = ruleFileSchema): string[] {
  return ruleFileIssues(doc, schema).map((i) => i.text);
}

/** {@link checkRuleFile}, with the path of each issue in the document. */
export function ruleFileIssues(doc: unknown, schema: z.ZodType = ruleFileSchema): SchemaIssue[] {
  const r = schema.safeParse(doc);
  return r.success ? [] : schemaIssues(r.error);
}
