import type { IConstruct } from 'constructs';

/**
 * A construct that knows the series its service exports, metric by metric
 * (cAdvisor from its generated metric table). Prometheus asks the owner of
 * every service it scrapes, so PromQL label matchers can be checked against
 * what the series really carry.
 */
export interface MetricCatalog extends IConstruct {
  /** The labels of the metric's series as exported (before Prometheus adds its target labels); undefined when the metric is not exported. */
  metricSeriesLabels(metric: string): readonly string[] | undefined;
}

/** True for a construct that implements {@link MetricCatalog}. */
export function isMetricCatalog(x: unknown): x is MetricCatalog {
  return typeof x === 'object' && x !== null && typeof (x as { metricSeriesLabels?: unknown }).metricSeriesLabels === 'function';
}

/**
 * The labels Prometheus gives every scraped series: `job` and `instance`
 * (docs/configuration/configuration.md, "the target labels"; `__name__` is the
 * metric name itself).
 */
export const TARGET_LABELS: readonly string[] = ['job', 'instance'];
