import { Construct } from 'constructs';
import { parseProps, propsSchema } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';
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
export const aixclStackSchema = propsSchema<AixclStackProps>()(stackSchema.extend({ logRetention: durationValue.optional() }));

/** Props of {@link AixclStack}. */
export interface AixclStackProps extends StackProps {
  /**
   * How long logs are kept.
   * @default Duration.days(7)
   */
  readonly logRetention?: Duration;
}

/**
 * The whole AIXCL stack: the AI services (ollama, open-webui), the database
 * (postgres, pgadmin), monitoring (prometheus, grafana, cadvisor,
 * node-exporter, postgres-exporter) and centralized logs (loki, promtail).
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
    this.logging = new Logging(this, 'logging', { grafana: this.grafana, metrics, retention: props.logRetention });
    this.grafana.addContainerMetricsDashboard({ datasource: metrics, logs: this.logging.dashboard });
  }
}
