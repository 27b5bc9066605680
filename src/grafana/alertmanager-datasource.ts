import { Datasource, GrafanaHost, HttpBackend, requireSameStack } from './datasource-base.js';

/** An Alertmanager (structurally: the `Alertmanager` construct of src/alertmanager). */
export type AlertmanagerLike = HttpBackend;

/** Props of {@link Grafana.addAlertmanagerDatasource}. */
export interface AlertmanagerDatasourceProps {
  /** The Alertmanager to show (a typed reference: the URL derives from it). */
  readonly alertmanager: AlertmanagerLike;
  /** @default 'alertmanager' */
  readonly uid?: string;
  /** @default 'Alertmanager' ('Alertmanager (<uid>)' for another uid) */
  readonly name?: string;
}

/**
 * An Alertmanager datasource: Grafana's alerting pages list the alerts of the
 * stack's Alertmanager and manage its silences. `implementation: prometheus`
 * tells Grafana it is Prometheus's Alertmanager, not Mimir's (Grafana's
 * default), whose configuration API it does not have; Grafana's own alerts
 * are not sent to it (docs/sources/datasources/alertmanager of Grafana 13).
 */
export class AlertmanagerDatasource extends Datasource {
  public readonly type = 'alertmanager';
  public readonly alertmanager: AlertmanagerLike;

  /** @internal Use {@link Grafana.addAlertmanagerDatasource}. */
  constructor(grafana: GrafanaHost, props: AlertmanagerDatasourceProps) {
    // An Alertmanager of another stack is recorded: the datasource goes on without it (a stand-in).
    const alertmanager = requireSameStack(grafana, props.alertmanager, 'Alertmanager') ? props.alertmanager : undefined;
    const uid = props.uid ?? 'alertmanager';
    super(grafana, { uid, name: props.name ?? (uid === 'alertmanager' ? 'Alertmanager' : `Alertmanager (${uid})`) });
    this.alertmanager = alertmanager as AlertmanagerLike; // undefined in a stand-in
  }

  /** @internal */
  public _toProvisioning(): Record<string, unknown> {
    return {
      ...this.baseProvisioning(this.alertmanager?.url),
      jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
    };
  }
}
