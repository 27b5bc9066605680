import type { IConstruct } from 'constructs';
import { Stack } from '../core/stack.js';
import type { KnownValues } from './value-match.js';
import type { Duration } from '../core/duration.js';

/** What {@link prometheusValues} reads of a Prometheus (structurally: the `Prometheus` construct). */
export interface PrometheusValueSource extends IConstruct {
  readonly config?: {
    /** The final prometheus.yml (after overrides), unchecked. */
    uncheckedDocument?(): unknown;
    /** Jobs added with addScrapeJob (targets outside the stack), if any. */
    readonly scrapeJobs?: ReadonlyArray<{ readonly jobName: string; readonly source: string; readonly scrapeInterval?: Duration }>;
    /** The global scrape interval. */
    readonly scrapeInterval?: Duration;
    readonly node?: { readonly path: string };
  };
}

/** What PromQL on a Prometheus can select, where the tree knows it. */
export interface PrometheusValues {
  /** Values of labels every scraped series carries (`job`: the scrape jobs of the final configuration). */
  readonly labelValues: Record<string, KnownValues>;
  /**
   * The recorded series written into it (Loki's recording rules, by remote write): a name with ':'
   * (Prometheus's naming for recording rules) not among them is written by nothing. Undefined when
   * a target outside the stack may export such names.
   */
  readonly recordedSeries?: readonly string[];
}

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The values a Prometheus's series can have, read from the tree: the job names of its final
 * configuration (unknown when a relabel rule writes `job` or a job honours the target's labels),
 * and the series Loki's recording rules of its stack write into it.
 */
export function prometheusValues(prometheus: PrometheusValueSource | undefined): PrometheusValues {
  if (!prometheus?.config?.uncheckedDocument) return { labelValues: {} };
  let doc: unknown;
  try {
    doc = prometheus.config.uncheckedDocument();
  } catch {
    return { labelValues: {} }; // the file reports its own problem
  }
  const configs = isObject(doc) && Array.isArray(doc.scrape_configs) ? doc.scrape_configs.filter(isObject) : [];
  const jobOpen = configs.some(
    (c) =>
      typeof c.job_name !== 'string' ||
      c.honor_labels === true ||
      [c.relabel_configs, c.metric_relabel_configs].some(
        (rules) => Array.isArray(rules) && rules.some((r) => isObject(r) && (r.target_label === 'job' || r.action === 'labelmap')),
      ) ||
      [c.static_configs].some((s) => Array.isArray(s) && s.some((x) => isObject(x) && isObject(x.labels) && 'job' in x.labels)),
  );
  const labelValues: Record<string, KnownValues> = jobOpen ? {} : { job: { values: [...new Set(configs.map((c) => c.job_name as string))].sort() } };
  // A job of the config itself (addScrapeJob) or of an override scrapes something outside the tree.
  const own = prometheus.config.scrapeJobs ?? [];
  const outside = own.some((j) => j.source === prometheus.config?.node?.path) || configs.length !== own.length;
  return { labelValues, ...(outside ? {} : { recordedSeries: recordedInto(prometheus) }) };
}

/** The `record` names of the Loki rules of the stack whose Loki writes into `prometheus`. */
function recordedInto(prometheus: IConstruct): string[] {
  const names = new Set<string>();
  for (const c of Stack.of(prometheus).node.findAll()) {
    const record = (c as { record?: unknown }).record;
    const loki = (c.node.scope as { loki?: { ruler?: { remoteWrite?: unknown } } } | undefined)?.loki;
    if (typeof record === 'string' && loki?.ruler?.remoteWrite === prometheus) names.add(record);
  }
  return [...names].sort();
}

/** What PromQL on `prometheus` is checked against, as checkPromQL options (empty when the tree does not know). */
export function prometheusQueryContext(prometheus: (PrometheusValueSource & { seriesLabels?(metric: string): readonly string[] | undefined }) | undefined): {
  seriesLabels?: (metric: string) => readonly string[] | undefined;
  labelValues?: Record<string, KnownValues>;
  recordedSeries?: readonly string[];
  prometheusName?: string;
} {
  if (!prometheus) return {};
  const { labelValues, recordedSeries } = prometheusValues(prometheus);
  return {
    ...(prometheus.seriesLabels ? { seriesLabels: (m: string) => prometheus.seriesLabels!(m) } : {}),
    ...(Object.keys(labelValues).length ? { labelValues } : {}),
    ...(recordedSeries ? { recordedSeries } : {}),
    prometheusName: prometheus.node.path,
  };
}

/**
 * How often the series a selector picks are scraped: the pinned job's own interval, else the
 * global one when no job has its own (then it applies to every series). Undefined when that cannot
 * be told (no job pinned while some job has its own interval, an unknown job).
 */
export function scrapeIntervalOf(prometheus: PrometheusValueSource | undefined, job: string | undefined): AppliedInterval | undefined {
  const config = prometheus?.config;
  if (!config?.scrapeInterval || !config.scrapeJobs) return undefined;
  const jobs = config.scrapeJobs;
  const pinned = job === undefined ? undefined : jobs.find((j) => j.jobName === job);
  if (pinned?.scrapeInterval) return { interval: pinned.scrapeInterval, source: `job '${pinned.jobName}'` };
  if (pinned || jobs.every((j) => !j.scrapeInterval)) return { interval: config.scrapeInterval, source: `${prometheus!.node.path}'s scrapeInterval` };
  return undefined;
}

/** An evaluation interval and where it comes from, for messages. */
export interface AppliedInterval {
  readonly interval: Duration;
  /** E.g. "its group's interval", "the ruler's evaluation interval". */
  readonly source: string;
}
