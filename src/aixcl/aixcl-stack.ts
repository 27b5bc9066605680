import { Construct } from 'constructs';
import { Alertmanager, AlertmanagerProps } from '../alertmanager/alertmanager.js';
import { AixclAlertRules } from './aixcl-alert-rules.js';
import { Duration } from '../core/duration.js';
import { NetworkMode, Stack, StackProps } from '../core/stack.js';
import { Grafana } from '../grafana/grafana.js';
import { Logging } from '../logging/logging.js';
import { Prometheus } from '../prometheus/prometheus.js';
import { Cadvisor } from '../services/cadvisor.js';
import { NodeExporter } from '../services/node-exporter.js';
import { Ollama } from '../services/ollama.js';
import { OpenWebUI } from '../services/open-webui.js';
import { PgAdmin } from '../services/pgadmin.js';
import { Postgres } from '../services/postgres.js';
import { PostgresExporter } from '../services/postgres-exporter.js';

/** Props of {@link AixclStack}. */
export interface AixclStackProps extends StackProps {
  /**
   * How long logs are kept.
   * @default Duration.days(7)
   */
  readonly logRetention?: Duration;
  /**
   * The Alertmanager that the stack's alerts go to: its receivers and routes.
   * @default one receiver that notifies no one (alerts show in Alertmanager's UI and Grafana)
   */
  readonly alerting?: AlertmanagerProps;
}

/**
 * The whole AIXCL stack: the AI services (ollama, open-webui), the database
 * (postgres, pgadmin), monitoring (prometheus, grafana, cadvisor,
 * node-exporter, postgres-exporter), centralized logs (loki, promtail) and
 * log-based alerts (Loki's ruler, alertmanager).
 * Host networking by default, as in AIXCL.
 */
export class AixclStack extends Stack {
  public readonly ollama: Ollama;
  public readonly openWebUI: OpenWebUI;
  public readonly postgres: Postgres;
  public readonly pgAdmin: PgAdmin;
  public readonly prometheus: Prometheus;
  public readonly grafana: Grafana;
  public readonly cadvisor: Cadvisor;
  public readonly nodeExporter: NodeExporter;
  public readonly postgresExporter: PostgresExporter;
  public readonly logging: Logging;
  public readonly alertmanager: Alertmanager;
  public readonly alertRules: AixclAlertRules;

  constructor(scope: Construct, id: string, props: AixclStackProps = {}) {
    super(scope, id, { ...props, networkMode: props.networkMode ?? NetworkMode.HOST });
    this.ollama = new Ollama(this, 'ollama');
    this.openWebUI = new OpenWebUI(this, 'open-webui', { ollama: this.ollama });
    this.postgres = new Postgres(this, 'postgres');
    this.pgAdmin = new PgAdmin(this, 'pgadmin', { postgres: this.postgres });
    this.cadvisor = new Cadvisor(this, 'cadvisor');
    this.nodeExporter = new NodeExporter(this, 'node-exporter');
    this.postgresExporter = new PostgresExporter(this, 'postgres-exporter', { postgres: this.postgres });
    this.prometheus = new Prometheus(this, 'prometheus');
    this.grafana = new Grafana(this, 'grafana');
    const metrics = this.grafana.addPrometheusDatasource({ prometheus: this.prometheus, isDefault: true });
    this.alertmanager = new Alertmanager(this, 'alertmanager', props.alerting);
    this.grafana.addAlertmanagerDatasource({ alertmanager: this.alertmanager });
    this.logging = new Logging(this, 'logging', {
      grafana: this.grafana,
      metrics,
      retention: props.logRetention,
      // Loki's ruler: alerts to the Alertmanager, recorded series into Prometheus.
      loki: { ruler: { alertmanager: this.alertmanager, remoteWrite: this.prometheus } },
    });
    this.prometheus.sendAlertsTo(this.alertmanager);
    this.alertRules = new AixclAlertRules(this, 'alert-rules', {
      loki: this.logging.loki,
      collector: this.logging.promtail,
      prometheus: this.prometheus,
    });
    this.grafana.addContainerMetricsDashboard({ datasource: metrics, logs: this.logging.dashboard, logLines: this.alertRules.logLines });
  }
}
