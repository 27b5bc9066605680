import { DependencyCondition } from '../compose/service.js';
import { isOnFallbacks, recordFallback, recordProblem } from '../core/props.js';
import { Datasource, GrafanaHost, LokiLike, requireSameStack } from './datasource-base.js';
import { checkPromQL } from './promql.js';
import type { CollectedLogLabel } from '../collector/collected-labels.js';
import { prometheusQueryContext, type PrometheusValueSource } from '../labels/prometheus-label-values.js';
import type { PrometheusDatasource } from './prometheus-datasource.js';

/** The label the collectors put the container name in (typed against their list of labels). */
const CONTAINER_LABEL: CollectedLogLabel = 'container';

/**
 * Name of the derived field that copies the container label into each log
 * line's data frame. Grafana names the frame field after the derived field,
 * and a correlation can only attach to, and read variables from, a frame
 * FIELD (a Loki frame has none per label): the correlation names this one.
 */
const CONTAINER_FIELD: string = CONTAINER_LABEL;

/** PromQL for the CPU use (cores) of the container whose name `name` stands for (cAdvisor's `name` label is the container name). */
function containerCpuQuery(name: string): string {
  return `sum(rate(container_cpu_usage_seconds_total{name="${name}"}[$__rate_interval]))`;
}

/**
 * The variables Grafana fills in a data link's text (a derived field's url
 * or query): https://grafana.com/docs/grafana/latest/panels-visualizations/configure-data-links/#data-link-variables
 */
const DATA_LINK_VARIABLES: readonly string[] = [
  '__value.raw',
  '__value.text',
  '__value.numeric',
  '__value.time',
  '__value.calc',
  '__series.name',
  '__field.name',
  '__url_time_range',
];

/** Props of {@link Grafana.addLokiDatasource}. */
export interface LokiDatasourceProps {
  /** The Loki to query (a typed reference: the URL derives from it). */
  readonly loki: LokiLike;
  /** Fixed uid that dashboards reference. @default 'loki' */
  readonly uid?: string;
  /** @default 'Loki' ('Loki (<uid>)' for another uid) */
  readonly name?: string;
  /**
   * A Prometheus datasource of the same Grafana: each log line then links to
   * the CPU of the container that wrote it (cAdvisor's metrics).
   * @default no link
   */
  readonly metrics?: PrometheusDatasource;
  /** Most log lines Grafana asks for per query. @default 1000 */
  readonly maxLines?: number;
}

/** A field Grafana derives from each log line, with a link. */
export interface DerivedField {
  /** Name shown in the log details. */
  readonly name: string;
  /** `label`: `matcherRegex` selects a LABEL of the line by name; `regex`: its one capture group is taken from the line's text. */
  readonly matcherType: 'label' | 'regex';
  readonly matcherRegex: string;
  /**
   * With `datasource`, the QUERY for that datasource (e.g. PromQL); without, a link URL.
   * `${__value.raw}` stands for the field's value. Write `$` plainly: the file escapes it.
   */
  readonly url: string;
  /** The datasource the query runs on (must belong to the same Grafana). @default an external link */
  readonly datasource?: Datasource;
  /** Link text. @default Grafana's */
  readonly urlDisplayLabel?: string;
}

/** A Loki datasource of a Grafana. */
export class LokiDatasource extends Datasource {
  public readonly type = 'loki';
  /** The Loki it queries. */
  public readonly loki: LokiLike;
  /** The metrics datasource log lines link to, if any. */
  public readonly metrics?: PrometheusDatasource;
  public readonly maxLines: number;
  private readonly fields: DerivedField[] = [];
  /** Provisioned correlations (links whose target query model is written out). */
  private readonly correlations: Array<Record<string, unknown>> = [];

  /** @internal Use {@link Grafana.addLokiDatasource}. */
  constructor(grafana: GrafanaHost, props: LokiDatasourceProps) {
    // Each problem is recorded on the Grafana (nothing is written) and the datasource goes on without
    // the part in question, so that no other problem follows: a Loki of another stack is left out (a
    // stand-in, as when checkMethodProps found it wrong), a metrics datasource of another Grafana too
    // (no link to it), and a wrong maxLines takes the default (not checked against Loki's limit).
    const loki = requireSameStack(grafana, props.loki, 'Loki') ? props.loki : undefined;
    let metrics = props.metrics;
    if (metrics && metrics.grafana !== grafana) {
      recordProblem(
        grafana,
        `the metrics datasource ${metrics.node.path} belongs to another Grafana (${metrics.grafana.node.path}): ` +
          `a derived field can only use a datasource this Grafana provisions; add a Prometheus datasource to this Grafana`,
      );
      metrics = undefined;
    }
    let maxLines = props.maxLines;
    if (maxLines !== undefined && (!Number.isInteger(maxLines) || maxLines < 1)) {
      recordProblem(grafana, `maxLines ${maxLines} must be a whole number of at least 1`);
      maxLines = undefined;
    }
    const uid = props.uid ?? 'loki';
    super(grafana, { uid, name: props.name ?? (uid === 'loki' ? 'Loki' : `Loki (${uid})`) });
    this.loki = loki as LokiLike; // undefined in a stand-in
    this.metrics = metrics;
    this.maxLines = maxLines ?? 1000;
    if (maxLines !== props.maxLines) recordFallback(this, 'maxLines');
    this.node.addValidation({ validate: () => this.queryProblems() });
    // Grafana must start even when Loki is missing or failing: logs are an optional part.
    // Without a Loki (a stand-in: the problem is recorded, see checkMethodProps) there is nothing to depend on.
    if (loki) grafana.service.addDependency(loki.service, { condition: DependencyCondition.STARTED, required: false });
    if (metrics) {
      const container: DerivedField = {
        // Grafana creates a frame field of this name holding each line's container: the correlation below reads it.
        name: CONTAINER_FIELD,
        // The collectors put the container name in the `container` LABEL (it never appears in the log text).
        // Grafana tests this regex against label names unanchored: anchor it so `container_id` and the like do not match.
        matcherType: 'label',
        matcherRegex: `^${CONTAINER_LABEL}$`,
        datasource: metrics,
        url: containerCpuQuery('${__value.raw}'),
        urlDisplayLabel: 'CPU of this container',
      };
      this.addDerivedField(container);
      // Grafana hands a derived field's text to the target as `{ query: ... }`, a shape made for
      // tracing datasources; Prometheus reads `expr`, so that link opens an empty editor. A
      // correlation names the target query model itself. It attaches to the frame field named
      // `field`, and `${<field>}` is that field's value in the same row: the derived field's.
      this.correlations.push({
        targetUID: metrics.uid,
        label: 'Container metrics in Explore',
        description: 'CPU use (cores) of the container that wrote this line, from cAdvisor',
        config: {
          type: 'query',
          target: { expr: containerCpuQuery('${' + container.name + '}') },
          field: container.name,
        },
      });
    }
  }

  /**
   * Adds a derived field (e.g. a link from a label to a query on another datasource). A field that
   * cannot be added (a datasource of another Grafana, a name already used) is recorded as a problem
   * of this datasource, and left out.
   */
  public addDerivedField(field: DerivedField): void {
    if (field.datasource && field.datasource.grafana !== this.grafana) {
      recordProblem(this, `derived field '${field.name}' uses datasource ${field.datasource.node.path} of another Grafana: use one this Grafana provisions`);
      return;
    }
    if (this.fields.some((f) => f.name === field.name)) {
      recordProblem(this, `a derived field named '${field.name}' already exists: give each its own name`);
      return;
    }
    this.fields.push(field);
  }

  /** The derived fields. */
  public get derivedFields(): readonly DerivedField[] {
    return this.fields;
  }

  /**
   * Each query this datasource hands to a Prometheus datasource (a derived
   * field's query, a correlation's `expr`), checked as PromQL with the
   * variables Grafana fills in there.
   */
  private queryProblems(): string[] {
    const problems: string[] = [];
    // Loki refuses a query asking for more lines than this ("max entries limit per query exceeded"), so a
    // Grafana line limit above it breaks every logs panel and Explore query that returns that many.
    // No Loki in a stand-in; the default in place of a wrong maxLines (recorded) is not the user's to lower.
    const limit = isOnFallbacks(this, 'maxLines') ? undefined : this.loki?.maxEntriesLimitPerQuery;
    if (limit !== undefined && this.maxLines > limit) {
      problems.push(
        `maxLines ${this.maxLines} is above ${this.loki.node.path}'s limits_config.max_entries_limit_per_query (${limit}): Loki refuses such queries; lower maxLines to ${limit} or raise the limit with loki.config.addOverride('limits_config.max_entries_limit_per_query', ${this.maxLines})`,
      );
    }
    const check = (expr: string, target: Datasource, variables: readonly string[], where: string) => {
      if (target.type !== 'prometheus') return;
      const prometheus = (target as PrometheusDatasource).prometheus; // none in a stand-in: the syntax is still checked
      const p = checkPromQL(expr, { variables, ...prometheusQueryContext(prometheus as PrometheusValueSource | undefined) });
      if (p) problems.push(`${where}: ${p}`);
    };
    for (const f of this.fields) {
      if (f.datasource) check(f.url, f.datasource, DATA_LINK_VARIABLES, `derived field '${f.name}'`);
    }
    // A correlation's `${name}` is the value of the frame field `name` in the same row: a derived field's.
    const fieldNames = this.fields.map((f) => f.name);
    for (const c of this.correlations) {
      const target = this.grafana.datasources.find((d) => d.uid === c.targetUID);
      const expr = (c.config as { target?: { expr?: unknown } } | undefined)?.target?.expr;
      if (target && typeof expr === 'string') check(expr, target, fieldNames, `correlation '${String(c.label)}'`);
    }
    return problems;
  }

  /** @internal */
  public _toProvisioning(): Record<string, unknown> {
    const jsonData: Record<string, unknown> = { maxLines: this.maxLines };
    if (this.fields.length) {
      jsonData.derivedFields = this.fields.map((f) => ({
        name: f.name,
        matcherType: f.matcherType,
        matcherRegex: f.matcherRegex,
        url: f.url,
        ...(f.datasource ? { datasourceUid: f.datasource.uid } : {}),
        ...(f.urlDisplayLabel ? { urlDisplayLabel: f.urlDisplayLabel } : {}),
      }));
    }
    return { ...this.baseProvisioning(this.loki?.url), jsonData, ...(this.correlations.length ? { correlations: this.correlations } : {}) };
  }
}
