import { Construct } from 'constructs';
import { pgAdminLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { common, constructOf } from '../core/value-schemas.js';
import { secretValue, serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Secret } from '../compose/secret.js';
import { DependencyCondition, Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { isIPv6, probeUrl, unbracket } from './listen-address.js';
import { Postgres } from './postgres.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { checkedScope } from '../core/construct-args.js';

/** The run-time schema of {@link PgAdminProps} (see core/props.ts). */
export const pgAdminSchema = propsSchema<PgAdminProps>()(
  z.strictObject({ postgres: constructOf('Postgres', Postgres.isPostgres), ...common, email: z.string().optional(), password: secretValue.optional() }),
);

/** Props of {@link PgAdmin}. */
export interface PgAdminProps {
  /** The database pgAdmin is for: it starts after it. */
  readonly postgres: Postgres;
  /** @default 'dpage/pgadmin4:9.8' */
  readonly image?: string;
  /** @default 'pgadmin' */
  readonly serviceName?: string;
  /** @default 5050 */
  readonly port?: number;
  /** Login of the first pgAdmin user (pgAdmin rejects reserved domains such as `localhost`). @default 'admin@example.com' */
  readonly email?: string;
  /** Password of the first pgAdmin user. @default Secret.fromEnv('PGADMIN_PASSWORD') */
  readonly password?: Secret;
  /** @default Size.mebibytes(512) */
  readonly memoryLimit?: Size;
}

/** pgAdmin 4, the web UI for the stack's PostgreSQL. */
export class PgAdmin extends Construct {
  public readonly service: Service;
  public readonly dataVolume: Volume;
  public readonly port: number;
  public readonly email: string;
  public readonly postgres: Postgres;

  constructor(scope: Construct, id: string, props: PgAdminProps) {
    super(checkedScope('PgAdmin', scope, id), id);
    props = checkProps(this, pgAdminSchema, props, serviceMakerContext('PgAdmin', Object.keys(pgAdminSchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'pgadmin';
    this.port = props.port ?? 5050;
    this.email = props.email ?? 'admin@example.com';
    this.postgres = props.postgres;
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${serviceName}-data` });
    const listen = unbracket(stack.listenAddress);
    this.service = new Service(this, 'Service', {
      image: props.image ?? 'dpage/pgadmin4:9.8',
      serviceName,
      environment: {
        // The entrypoint binds gunicorn to ADDRESS:PORT, so an IPv6 address needs its brackets.
        PGADMIN_LISTEN_ADDRESS: isIPv6(listen) ? `[${listen}]` : listen,
        PGADMIN_LISTEN_PORT: this.port,
        PGADMIN_DEFAULT_EMAIL: this.email,
        PGADMIN_DEFAULT_PASSWORD: props.password ?? Secret.fromEnv('PGADMIN_PASSWORD'),
        // Otherwise the entrypoint starts a mail server, which on host networking would take port 25 of the host.
        PGADMIN_DISABLE_POSTFIX: 'true',
      },
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // The image is Alpine-based (busybox wget). The first start creates pgAdmin's database: allow a minute.
      healthcheck: Healthcheck.wget(probeUrl(stack, this.port, '/misc/ping'), {
        interval: Duration.seconds(15),
        startPeriod: Duration.seconds(60),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(512),
      logFormat: pgAdminLogFormat(),
    });
    configureSwarm(this.service, {
      // pgadmin-org/pgadmin4 pkg/docker/entrypoint.sh: file_env PGADMIN_DEFAULT_PASSWORD reads PGADMIN_DEFAULT_PASSWORD_FILE.
      secretFiles: { PGADMIN_DEFAULT_PASSWORD: { variable: 'PGADMIN_DEFAULT_PASSWORD_FILE' } },
    });
    this.service.addVolume(this.dataVolume, '/var/lib/pgadmin');
    if (Postgres.isPostgres(props.postgres)) this.service.addDependency(props.postgres.service, { condition: DependencyCondition.STARTED });
    this.node.addValidation({
      validate: () =>
        /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(this.email) && !/@(localhost|.*\.(local|localhost|test|invalid))$/i.test(this.email)
          ? []
          : [`email '${this.email}' is not an address pgAdmin accepts: use a normal domain such as admin@example.com`],
    });
  }

  /** URL of pgAdmin for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
