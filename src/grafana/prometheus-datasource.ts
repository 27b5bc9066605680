import { Datasource, GrafanaHost, PrometheusLike, requireSameStack } from './datasource-base.js';

/** Props of {@link Grafana.addPrometheusDatasource}. */
export interface PrometheusDatasourceProps {
  /** The Prometheus to query (a typed reference: the URL derives from it). */
  readonly prometheus: PrometheusLike;
  /** Fixed uid that dashboards reference. @default 'prometheus' */
  readonly uid?: string;
  /** @default 'Prometheus' ('Prometheus (<uid>)' for another uid) */
  readonly name?: string;
  /** Pre-selected for new panels. @default false */
  readonly isDefault?: boolean;
}

/** A Prometheus datasource of a Grafana. */
export class PrometheusDatasource extends Datasource {
  public readonly type = 'prometheus';
  /** The Prometheus it queries. */
  public readonly prometheus: PrometheusLike;

  /** @internal Use {@link Grafana.addPrometheusDatasource}. */
  constructor(grafana: GrafanaHost, props: PrometheusDatasourceProps) {
    // A Prometheus of another stack is recorded: the datasource goes on without it (a stand-in).
    const prometheus = requireSameStack(grafana, props.prometheus, 'Prometheus') ? props.prometheus : undefined;
    const uid = props.uid ?? 'prometheus';
    super(grafana, { uid, name: props.name ?? (uid === 'prometheus' ? 'Prometheus' : `Prometheus (${uid})`), isDefault: props.isDefault });
    this.prometheus = prometheus as PrometheusLike; // undefined in a stand-in
  }

  /** @internal */
  public _toProvisioning(): Record<string, unknown> {
    // $__rate_interval is computed from the scrape interval: tell Grafana the real one when Prometheus exposes it.
    const scrape = this.prometheus?.config?.scrapeInterval;
    return {
      ...this.baseProvisioning(this.prometheus?.url),
      jsonData: { httpMethod: 'POST', ...(scrape ? { timeInterval: scrape.toGoString() } : {}) },
    };
  }
}
