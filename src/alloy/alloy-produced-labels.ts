import { producedLabelsOf, type ProducedLabels } from '../collector/produced-labels.js';
import { promtailStageName } from './alloy-pipeline.js';
import { AlloyCall, AlloyRef, type AlloyBlock, type AlloyStatement, type AlloyValue } from './alloy-syntax.js';

/*
 * The labels an Alloy configuration puts on the streams it pushes, read from its final statements into
 * the shapes the collectors share (src/collector/produced-labels.ts): each loki.source.docker's
 * `labels` and the `rule` blocks of the discovery.relabel its `relabel_rules` names, then the stages of
 * the loki.process it forwards to; loki.write's `external_labels` go on every stream. A value that is
 * an expression the file does not resolve here (a call, a reference elsewhere) makes the set unknown.
 */

type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

/** An attribute value as plain data; undefined for an expression. */
function plain(v: AlloyValue): Plain | undefined {
  if (AlloyRef.isRef(v) || AlloyCall.isCall(v)) return undefined;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const items = v.map(plain);
    return items.some((x) => x === undefined) ? undefined : (items as Plain[]);
  }
  const out: Record<string, Plain> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = plain(x);
    if (p === undefined) return undefined;
    out[k] = p;
  }
  return out;
}

function attribute(b: AlloyBlock, name: string): AlloyValue | undefined {
  const a = b.body.find((s) => s.kind === 'attribute' && s.name === name);
  return a?.kind === 'attribute' ? a.value : undefined;
}

function blocks(b: { readonly body: readonly AlloyStatement[] }, prefix: string): AlloyBlock[] {
  return b.body.filter((s): s is AlloyBlock => s.kind === 'block' && s.name.startsWith(prefix));
}

/** An Alloy `stage.*` block as a Promtail stage (`{ name: options }`), for the labels it adds or drops. */
function promtailStage(b: AlloyBlock): Record<string, unknown> {
  const type = promtailStageName(b.name);
  const values = attribute(b, 'values');
  if (values !== undefined) return { [type]: plain(values) };
  if (type === 'match') return { match: { stages: blocks(b, 'stage.').map(promtailStage) } };
  return { [type]: {} };
}

function refTo(v: AlloyValue | undefined, component: string): AlloyRef[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is AlloyRef => AlloyRef.isRef(x) && x.component === component);
}

/** The labels an Alloy configuration produces, over all its loki.source.docker components. */
export function alloyProducedLabels(statements: readonly AlloyStatement[]): ProducedLabels {
  const components = statements.filter((s): s is AlloyBlock => s.kind === 'block');
  const find = (ref: AlloyRef) => components.find((c) => c.name === ref.component && c.label === ref.label);
  const external: string[] = [];
  for (const w of components.filter((c) => c.name === 'loki.write')) {
    const labels = plain(attribute(w, 'external_labels') ?? {});
    if (labels && typeof labels === 'object' && !Array.isArray(labels)) external.push(...Object.keys(labels));
  }
  let unknown = false;
  const jobs = components
    .filter((c) => c.name === 'loki.source.docker')
    .map((source) => {
      const relabel: unknown[] = [];
      const defaults = plain(attribute(source, 'labels') ?? {});
      if (defaults && typeof defaults === 'object' && !Array.isArray(defaults)) {
        for (const k of Object.keys(defaults)) relabel.push({ source_labels: [], target_label: k, regex: '(.*)' });
      } else unknown = true;
      const rules = attribute(source, 'relabel_rules');
      if (rules !== undefined) {
        const holder = refTo(rules, 'discovery.relabel')[0] ?? refTo(rules, 'loki.relabel')[0];
        const c = holder && find(holder);
        if (!c) unknown = true;
        else
          for (const r of blocks(c, 'rule'))
            relabel.push(Object.fromEntries(r.body.filter((s) => s.kind === 'attribute').map((s) => [s.name, plain((s as { value: AlloyValue }).value)])));
      }
      // Follow forward_to through loki.process components (the stages add or drop labels).
      const stages: unknown[] = [];
      const seen = new Set<AlloyBlock>();
      let next = refTo(attribute(source, 'forward_to'), 'loki.process');
      while (next.length) {
        const p = find(next[0]);
        if (!p || seen.has(p)) break;
        seen.add(p);
        stages.push(...blocks(p, 'stage.').map(promtailStage));
        next = refTo(attribute(p, 'forward_to'), 'loki.process');
      }
      return { relabel, stages };
    });
  const produced = producedLabelsOf({ external, jobs });
  return unknown ? { labels: undefined, structuredMetadata: produced.structuredMetadata } : produced;
}
