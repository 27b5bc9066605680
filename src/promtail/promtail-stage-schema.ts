import { z } from 'zod';
import { anyBlock, goDuration, labelName } from './promtail-value-schemas.js';

/*
 * Pipeline stages of Promtail 3.6, strictly: every stage this library emits
 * is modeled key by key from its config struct
 * (clients/pkg/logentry/stages/<stage>.go of grafana/loki v3.6.15, the
 * `mapstructure` tags) and its page under
 * docs/sources/send-data/promtail/stages/. Other stage names Promtail 3.6
 * knows (stage.go) are checked for their shape only; an unknown stage name is
 * rejected. Each stage is a mapping with exactly one key (pipeline.go:
 * "pipeline stage must contain only one key").
 */

const nonEmpty = z.string().min(1);
/** `labels` and `structured_metadata`: label name -> extracted field (empty or null: the same name). */
const labelsMap = z.record(labelName, z.string().nullable());

const regexStage = z.strictObject({ expression: nonEmpty, source: nonEmpty.optional() });
const jsonStage = z.strictObject({
  expressions: z.record(z.string().min(1), z.string().min(1)),
  source: nonEmpty.optional(),
  drop_malformed: z.boolean().optional(),
});
const logfmtStage = z.strictObject({ mapping: z.record(z.string().min(1), z.string()), source: nonEmpty.optional() });
const templateStage = z.strictObject({ source: nonEmpty, template: nonEmpty });
const timestampStage = z.strictObject({
  source: nonEmpty,
  format: nonEmpty,
  fallback_formats: z.array(nonEmpty).optional(),
  location: nonEmpty.optional(),
  action_on_failure: z.enum(['fudge', 'skip']).optional(),
});
const multilineStage = z.strictObject({
  firstline: nonEmpty,
  max_wait_time: goDuration.optional(),
  max_lines: z.int().min(1).optional(),
});
const dropStage = z
  .strictObject({
    source: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
    separator: z.string().optional(),
    expression: nonEmpty.optional(),
    value: z.string().optional(),
    older_than: goDuration.optional(),
    longer_than: z.union([z.string().min(1), z.int().min(1)]).optional(),
    drop_counter_reason: nonEmpty.optional(),
  })
  .refine((d) => d.source !== undefined || d.expression !== undefined || d.older_than !== undefined || d.longer_than !== undefined, {
    message: 'drop stage needs at least one of source, expression, older_than or longer_than',
  })
  .refine((d) => !(d.value !== undefined && d.expression !== undefined), { message: 'drop stage: value and expression cannot both be set' })
  .refine((d) => d.value === undefined || d.source !== undefined, { message: 'drop stage: value needs a source' });
const samplingStage = z.strictObject({ rate: z.number().gt(0).max(1), drop_counter_reason: nonEmpty.optional() });

/** The stages modeled key by key. `match` refers back to the whole list. */
const MODELED = {
  regex: regexStage,
  json: jsonStage,
  logfmt: logfmtStage,
  template: templateStage,
  timestamp: timestampStage,
  multiline: multilineStage,
  drop: dropStage,
  sampling: samplingStage,
  labels: labelsMap,
  structured_metadata: labelsMap,
} as const;

/** Stage names Promtail 3.6 also knows (stage.go), checked for their shape only. */
const OTHER_STAGES = [
  'replace',
  'metrics',
  'labeldrop',
  'labelallow',
  'output',
  'docker',
  'cri',
  'pipeline',
  'tenant',
  'limit',
  'pack',
  'static_labels',
  'decolorize',
  'eventlogmessage',
  'geoip',
  'non_indexed_labels',
] as const;

/** A `match` stage: a LogQL selector (with optional line filters) and the stages it runs. */
const matchStage: z.ZodType = z.lazy(() =>
  z
    .strictObject({
      selector: nonEmpty,
      stages: z.array(PipelineStageSchema).optional(),
      action: z.enum(['keep', 'drop']).optional(),
      drop_counter_reason: nonEmpty.optional(),
      pipeline_name: nonEmpty.optional(),
    })
    .refine((m) => (m.action === 'drop' ? !m.stages?.length : (m.stages?.length ?? 0) > 0), {
      message: "match stage: 'keep' (the default) needs stages, 'drop' takes none",
    }),
);

/** One pipeline stage: a mapping with exactly one key, a stage name Promtail 3.6 knows. */
export const PipelineStageSchema: z.ZodType = z.record(z.string(), z.unknown()).superRefine((stage, ctx) => {
  const keys = Object.keys(stage);
  if (keys.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `a pipeline stage must have exactly one key (the stage name), got ${keys.length}: ${keys.join(', ')}` });
    return;
  }
  const name = keys[0];
  const schema: z.ZodType | undefined =
    name === 'match'
      ? matchStage
      : ((MODELED as Record<string, z.ZodType>)[name] ?? ((OTHER_STAGES as readonly string[]).includes(name) ? anyBlock.nullable() : undefined));
  if (!schema) {
    ctx.addIssue({ code: 'custom', message: `unknown pipeline stage '${name}'`, path: [name] });
    return;
  }
  const r = schema.safeParse(stage[name]);
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: [name, ...issue.path] } as never);
});
