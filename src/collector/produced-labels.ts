import { GoRegexAnchoring, goRegexTest } from '../core/re2.js';

/*
 * The labels a collector's configuration puts on the streams it pushes, read from the configuration
 * itself (after overrides), so every query can be checked against them. Promtail and Alloy share the
 * semantics (Alloy's discovery.relabel and loki.process stages are Promtail's, renamed: see
 * src/alloy/alloy-produced-labels.ts), so both read their files into the shapes below:
 * relabel rules run first (prometheus model/relabel: `replace`, `lowercase`, `uppercase` and
 * `hashmod` write `target_label`; `labeldrop` and `labelkeep` remove by regex; labels starting with
 * `__` are dropped after relabelling); then the pipeline stages (`labels` and `static_labels` add,
 * `labeldrop` and `labelallow` remove, `structured_metadata` adds fields that are not stream labels;
 * a `match` stage's stages may apply). A `labelmap` rule creates names from a regex, which cannot be
 * listed: the set is then unknown.
 */

/** What one collector's configuration produces. */
export interface ProducedLabels {
  /** Stream labels, sorted; undefined when they cannot be known from the configuration (a `labelmap` rule). */
  readonly labels: readonly string[] | undefined;
  /** Structured metadata fields (usable in label filters after `|`, not in stream selectors), sorted. */
  readonly structuredMetadata: readonly string[];
}

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** A collector's configuration, read into Promtail's vocabulary. */
export interface CollectorLabelSources {
  /** Labels every stream gets (Promtail's client `external_labels`). */
  readonly external: readonly string[];
  /** Each job: its relabel rules (`action`, `regex`, `target_label`) and its pipeline stages (`{ stage: options }`). */
  readonly jobs: ReadonlyArray<{ readonly relabel: readonly unknown[]; readonly stages: readonly unknown[] }>;
}

/** The labels a collector's configuration produces, over all its jobs. */
export function producedLabelsOf(sources: CollectorLabelSources): ProducedLabels {
  const labels = new Set<string>(sources.external);
  const metadata = new Set<string>();
  let open = false;
  for (const { relabel, stages } of sources.jobs) {
    const job = new Set<string>();
    for (const rule of relabel) {
      if (!isObject(rule)) continue;
      const action = typeof rule.action === 'string' ? rule.action : 'replace';
      const regex = rule.regex === undefined || rule.regex === null ? '(.*)' : String(rule.regex);
      if (['replace', 'lowercase', 'uppercase', 'hashmod'].includes(action) && typeof rule.target_label === 'string') {
        // A target with `$1` in it is named by the match: unknown.
        if (rule.target_label.includes('$')) open = true;
        else job.add(rule.target_label);
      } else if (action === 'labelmap') {
        open = true;
      } else if (action === 'labeldrop' || action === 'labelkeep') {
        for (const l of [...job]) {
          const matches = goRegexTest(regex, l, GoRegexAnchoring.FULL) === true;
          if (matches === (action === 'labeldrop')) job.delete(l);
        }
      }
    }
    for (const l of job) if (!l.startsWith('__')) labels.add(l);
    applyStages(stages, labels, metadata, false);
  }
  return { labels: open ? undefined : [...labels].sort(), structuredMetadata: [...metadata].sort() };
}

function applyStages(stages: unknown, labels: Set<string>, metadata: Set<string>, nested: boolean): void {
  for (const stage of list(stages)) {
    if (!isObject(stage)) continue;
    for (const [type, options] of Object.entries(stage)) {
      if (type === 'labels' || type === 'static_labels') {
        if (isObject(options)) for (const k of Object.keys(options)) labels.add(k);
      } else if (type === 'structured_metadata') {
        if (isObject(options)) for (const k of Object.keys(options)) metadata.add(k);
      } else if (type === 'labeldrop' && !nested) {
        for (const k of list(options)) if (typeof k === 'string') labels.delete(k);
      } else if (type === 'labelallow' && !nested) {
        const keep = new Set(list(options).filter((k): k is string => typeof k === 'string'));
        for (const k of [...labels]) if (!keep.has(k)) labels.delete(k);
      } else if (type === 'match' && isObject(options)) {
        // The nested stages run for the selected lines only: the labels they add may be there, and those
        // they remove are still on the other lines.
        applyStages(options.stages, labels, metadata, true);
      }
    }
  }
}
