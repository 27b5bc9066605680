import { Construct } from 'constructs';
import { prometheusLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { common, constructOf } from '../core/value-schemas.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { DependencyCondition, Service } from '../compose/service.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { listenHostPort, probeUrl } from './listen-address.js';
import { Postgres } from './postgres.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { checkedScope } from '../core/construct-args.js';

/** The run-time schema of {@link PostgresExporterProps} (see core/props.ts). */
export const postgresExporterSchema = propsSchema<PostgresExporterProps>()(
  z.strictObject({ postgres: constructOf('Postgres', Postgres.isPostgres), ...common }),
);

/** Props of {@link PostgresExporter}. */
export interface PostgresExporterProps {
  /** The database to export metrics of; its address, user and password are taken from it. */
  readonly postgres: Postgres;
  /** @default 'prometheuscommunity/postgres-exporter:v0.17.1' */
  readonly image?: string;
  /** @default 'postgres-exporter' */
  readonly serviceName?: string;
  /** @default 9187 */
  readonly port?: number;
  /** @default Size.mebibytes(128) */
  readonly memoryLimit?: Size;
}

/** Prometheus's PostgreSQL exporter, wired to the stack's {@link Postgres}. */
export class PostgresExporter extends Construct {
  public readonly service: Service;
  public readonly port: number;
  public readonly postgres: Postgres;

  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    super(checkedScope('PostgresExporter', scope, id), id);
    props = checkProps(this, postgresExporterSchema, props, serviceMakerContext('PostgresExporter', Object.keys(postgresExporterSchema.shape)));
    const stack = Stack.of(this);
    const pg = props.postgres;
    this.port = props.port ?? 9187;
    this.postgres = pg;
    this.service = new Service(this, 'Service', {
      image: props.image ?? 'prometheuscommunity/postgres-exporter:v0.17.1',
      serviceName: props.serviceName ?? 'postgres-exporter',
      // Arguments to the image's entrypoint (/bin/postgres_exporter).
      command: [`--web.listen-address=${listenHostPort(stack, this.port)}`],
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // Derived from the Postgres construct, so a renamed service, another port or host networking cannot leave it
      // stale. (Without a valid Postgres, a problem recorded above, there is nothing to derive: nothing is written then.)
      environment: Postgres.isPostgres(pg)
        ? { DATA_SOURCE_URI: `${pg.address}/${pg.database}?sslmode=disable`, DATA_SOURCE_USER: pg.user, DATA_SOURCE_PASS: pg.password }
        : {},
      // The image is busybox-based: wget is there.
      healthcheck: Healthcheck.wget(probeUrl(stack, this.port, '/metrics'), {
        interval: Duration.seconds(15),
        startPeriod: Duration.seconds(10),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(128),
      // postgres_exporter 0.17 logs through promslog, as Prometheus 3 does.
      logFormat: prometheusLogFormat(),
      metrics: { port: this.port, path: '/metrics' },
    });
    configureSwarm(this.service, {
      // prometheus-community/postgres_exporter README: DATA_SOURCE_PASS_FILE reads the password from a file.
      secretFiles: { DATA_SOURCE_PASS: { variable: 'DATA_SOURCE_PASS_FILE' } },
      unauthenticated: 'postgres-exporter has no authentication: remove the published port (Prometheus scrapes it over the overlay network)',
    });
    if (Postgres.isPostgres(pg)) this.service.addDependency(pg.service, { condition: DependencyCondition.HEALTHY });
  }

  /** URL of the exporter for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
