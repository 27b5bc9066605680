import { Construct } from 'constructs';
import { enumOf, parseProps, propsSchema } from '../core/props.js';
import { CollectorKind } from '../collector/log-collector.js';
import { durationValue } from '../core/value-schemas.js';
import { Alertmanager, AlertmanagerProps, alertmanagerSchema } from '../alertmanager/alertmanager.js';
import { AixclAlertRules } from './aixcl-alert-rules.js';
import { Duration } from '../core/duration.js';
import { NetworkMode, Stack, StackProps, stackSchema } from '../core/stack.js';
import { Target } from '../core/target.js';
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

/** The run-time schema of {@link AixclStackProps} (see core/props.ts). */
export const aixclStackSchema = propsSchema<AixclStackProps>()(
  stackSchema.extend({
    logRetention: durationValue.optional(),
    alerting: alertmanagerSchema.optional(),
    collector: enumOf<CollectorKind>('CollectorKind', () => CollectorKind).optional(),
  }),
);

/** Props of {@link AixclStack}. */
export interface AixclStackProps extends StackProps {
  /**
   * How long logs are kept.
   * @default Duration.days(7)
   */
  readonly logRetention?: Duration;
  /**
   * The log collector: Grafana Alloy (with OTLP intake), or Promtail, end-of-life, for the
   * deployments that have it (moving to Alloy loses and doubles no line: see {@link Alloy}).
   * @default CollectorKind.ALLOY
   */
  readonly collector?: CollectorKind;
  /**
   * Adds an Alertmanager, with these receivers and routes, that the stack's
   * alerts go to (from Loki's ruler and from Prometheus), and its Grafana
   * datasource. Without it the alert rules are still evaluated, and firing
   * alerts show in Prometheus's and Loki's alert APIs and in Grafana's list of
   * alert rules, but nobody is notified: an Alertmanager with no receiver
   * would only add a container, a port and an image to pull.
   * @default no Alertmanager
   */
  readonly alerting?: AlertmanagerProps;
}

/**
 * The whole AIXCL stack: the AI services (ollama, open-webui), the database
 * (postgres, pgadmin), monitoring (prometheus, grafana, cadvisor,
 * node-exporter, postgres-exporter), centralized logs (loki, alloy) and
 * alert and recording rules (evaluated by Loki's ruler and Prometheus; sent to
 * an Alertmanager when `alerting` gives one its receivers).
 * Host networking by default, as in AIXCL; a bridge (an encrypted overlay
 * network) under Swarm, where host networking does not apply.
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
  /** The Alertmanager, when `alerting` is given. */
  public readonly alertmanager?: Alertmanager;
  public readonly alertRules: AixclAlertRules;

  constructor(scope: Construct, id: string, props: AixclStackProps = {}) {
    // Checked before super(): the Stack checks only its own props; the problems are recorded once it exists.
    const checked = parseProps(aixclStackSchema, props, { owner: 'AixclStack' });
    props = checked.props;
    // Host networking by default, as in AIXCL; under Swarm it does not apply (services on several nodes
    // meet on an overlay network), so there the default is a bridge, rendered as an encrypted overlay.
    const swarm = props.target === Target.SWARM;
    super(scope, id, {
      projectName: props.projectName,
      bindAddress: props.bindAddress,
      imageMirror: props.imageMirror,
      target: props.target,
      networkMode: props.networkMode ?? (swarm ? NetworkMode.BRIDGE : NetworkMode.HOST),
    });
    checked.report(this);
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
    if (props.alerting) {
      this.alertmanager = new Alertmanager(this, 'alertmanager', props.alerting);
      this.grafana.addAlertmanagerDatasource({ alertmanager: this.alertmanager });
      this.prometheus.sendAlertsTo(this.alertmanager);
    }
    this.logging = new Logging(this, 'logging', {
      grafana: this.grafana,
      metrics,
      retention: props.logRetention,
      collector: props.collector,
      // Loki's ruler: alerts to the Alertmanager (if any), recorded series into Prometheus.
      loki: { ruler: { ...(this.alertmanager ? { alertmanager: this.alertmanager } : {}), remoteWrite: this.prometheus } },
    });
    this.alertRules = new AixclAlertRules(this, 'alert-rules', {
      loki: this.logging.loki,
      collector: this.logging.collector,
      prometheus: this.prometheus,
      nodeExporter: this.nodeExporter,
    });
    this.grafana.addContainerMetricsDashboard({ datasource: metrics, logs: this.logging.dashboard, logLines: this.alertRules.logLines });
  }
}
