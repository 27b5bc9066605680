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
    requireSameStack(grafana, props.prometheus, 'Prometheus');
    const uid = props.uid ?? 'prometheus';
    super(grafana, { uid, name: props.name ?? (uid === 'prometheus' ? 'Prometheus' : `Prometheus (${uid})`), isDefault: props.isDefault });
    this.prometheus = props.prometheus;
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
