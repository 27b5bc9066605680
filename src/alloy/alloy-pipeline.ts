import type { PipelineStage } from '../collector/log-pipeline.js';
import { attr, block, type AlloyBlock, type AlloyObject, type AlloyStatement, type AlloyValue } from './alloy-syntax.js';

/*
 * The services' log pipeline (src/collector/log-pipeline.ts, written in Promtail's stage vocabulary)
 * as blocks of Alloy's `loki.process`. Alloy's stages are Promtail's, ported with their behaviour
 * (internal/component/loki/process/stages/*.go of grafana/alloy: same Go regexp, JMESPath, logfmt
 * decoder, text/template functions incl. ToLower, timestamp layouts), under Alloy names and with maps
 * as `values` attributes (pipeline.go: `alloy:"label_drop,block"`, `alloy:"label_keep,block"`,
 * structured_metadata.go and labels.go: `values`). Two differences are set back to Promtail's, because a
 * stack that moves from Promtail to Alloy must store byte-identical entries at identical timestamps, so
 * that the lines both collectors read are taken as one (see Alloy's class comment):
 * - Alloy's multiline stage trims each line's trailing newline by default (multiline.go,
 *   `TrimNewlines: true`); Promtail's never did.
 * - Alloy's timestamp stage moves an entry whose parsed time equals the previous one of its stream 1 ns
 *   later by default (timestamp.go, `action_on_duplicate_timestamp` default `fudge`); Promtail keeps the
 *   time. Two Postgres lines of one millisecond were stored twice after a switch, 1 ns apart, on the
 *   real Loki 3.7.6 and Alloy 1.19.0-rc.3 (2026-12-07); with `keep` every line was stored once.
 */

/** Alloy's name of a Promtail stage, where they differ (stages/pipeline.go of grafana/alloy). */
const STAGE_NAMES: Readonly<Record<string, string>> = { labeldrop: 'label_drop', labelallow: 'label_keep' };

/** Promtail stages whose options are one map, which Alloy takes as the `values` attribute. */
const MAP_STAGES = new Set(['labels', 'static_labels', 'structured_metadata']);

/** Promtail stages whose options are one list, which Alloy takes as the `values` attribute. */
const LIST_STAGES = new Set(['labeldrop', 'labelallow']);

/** The Alloy name of a Promtail stage. */
export function alloyStageName(promtailStage: string): string {
  return `stage.${STAGE_NAMES[promtailStage] ?? promtailStage}`;
}

/** The Promtail name of an Alloy `stage.*` block (the inverse of {@link alloyStageName}). */
export function promtailStageName(alloyBlock: string): string {
  const name = alloyBlock.replace(/^stage\./, '');
  return Object.entries(STAGE_NAMES).find(([, a]) => a === name)?.[0] ?? name;
}

function plain(v: unknown): AlloyValue {
  if (v === undefined) throw new Error('a stage option has no value');
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plain(x)])) as AlloyObject;
}

/** One Promtail stage as an Alloy `stage.*` block. */
export function alloyStage(stage: PipelineStage): AlloyBlock {
  const entries = Object.entries(stage);
  if (entries.length !== 1) throw new Error(`a pipeline stage has one key, got ${entries.length}`);
  const [type, options] = entries[0];
  const name = alloyStageName(type);
  if (MAP_STAGES.has(type) || LIST_STAGES.has(type)) return block(name, [attr('values', plain(options))]);
  const body: AlloyStatement[] = [];
  const nested: AlloyBlock[] = [];
  for (const [key, value] of Object.entries((options ?? {}) as Record<string, unknown>)) {
    if (type === 'match' && key === 'stages') nested.push(...(value as PipelineStage[]).map(alloyStage));
    else body.push(attr(key, plain(value)));
  }
  if (type === 'multiline') body.push(attr('trim_newlines', false));
  if (type === 'timestamp') body.push(attr('action_on_duplicate_timestamp', 'keep'));
  return block(name, [...body, ...nested]);
}
