import { Construct } from 'constructs';
import { postgresLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { common } from '../core/value-schemas.js';
import { secretValue, serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Secret } from '../compose/secret.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Image } from '../core/image.js';
import { Size } from '../core/size.js';
import { NetworkMode, Stack } from '../core/stack.js';
import { joinHostPort, probeAddress, unbracket } from './listen-address.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { checkedScope } from '../core/construct-args.js';

/** The run-time schema of {@link PostgresProps} (see core/props.ts). */
export const postgresSchema = propsSchema<PostgresProps>()(
  z.strictObject({ ...common, user: z.string().optional(), database: z.string().optional(), password: secretValue.optional() }),
);

const POSTGRES = Symbol.for('aixcl-cdk.Postgres');

/** Props of {@link Postgres}. */
export interface PostgresProps {
  /** @default 'postgres:17.6' */
  readonly image?: string;
  /** @default 'postgres' */
  readonly serviceName?: string;
  /** @default 5432 */
  readonly port?: number;
  /** The superuser the image creates on first start. @default 'aixcl' */
  readonly user?: string;
  /** The database the image creates on first start. @default 'aixcl' */
  readonly database?: string;
  /** The superuser's password. @default Secret.fromEnv('POSTGRES_PASSWORD') */
  readonly password?: Secret;
  /** @default Size.gibibytes(1) */
  readonly memoryLimit?: Size;
}

/** PostgreSQL, with its data in a named volume. */
export class Postgres extends Construct {
  /** True for Postgres constructs, across copies of this library. */
  public static isPostgres(x: unknown): x is Postgres {
    return typeof x === 'object' && x !== null && POSTGRES in x;
  }

  public readonly service: Service;
  public readonly dataVolume: Volume;
  public readonly port: number;
  public readonly user: string;
  public readonly database: string;
  public readonly password: Secret;
  /** Where the data volume is mounted: it moved in the 18 image. */
  public readonly dataDirectory: string;

  constructor(scope: Construct, id: string, props: PostgresProps = {}) {
    super(checkedScope('Postgres', scope, id), id);
    Object.defineProperty(this, POSTGRES, { value: true });
    props = checkProps(this, postgresSchema, props, serviceMakerContext('Postgres', Object.keys(postgresSchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'postgres';
    const image = Image.of(props.image ?? 'postgres:17.6');
    this.port = props.port ?? 5432;
    this.user = props.user ?? 'aixcl';
    this.database = props.database ?? 'aixcl';
    this.password = props.password ?? Secret.fromEnv('POSTGRES_PASSWORD');
    // Images up to 17 keep PGDATA in /var/lib/postgresql/data; 18 moved the volume to /var/lib/postgresql and
    // refuses to start with a mount on the old path. Only the major counts (`17`, `17-alpine` are 17); a tag
    // without a number (latest) is 18 or later. A wrong guess would put the data in an anonymous volume.
    const major = image.majorVersion;
    const before18 = major !== undefined && major < 18;
    this.dataDirectory = before18 ? '/var/lib/postgresql/data' : '/var/lib/postgresql';
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${serviceName}-data` });

    const environment: Record<string, string | Secret> = {
      POSTGRES_USER: this.user,
      POSTGRES_DB: this.database,
      POSTGRES_PASSWORD: this.password,
    };
    // The server and the entrypoint's temporary init server both read PGPORT.
    if (this.port !== 5432) environment.PGPORT = String(this.port);
    this.service = new Service(this, 'Service', {
      image: image.ref,
      serviceName,
      // On host networking the server is on the host itself: listen on the bind address only. On a bridge the
      // image's default (all addresses of the container) is right.
      command: stack.networkMode === NetworkMode.HOST ? ['postgres', '-c', `listen_addresses=${unbracket(stack.bindAddress)}`] : undefined,
      environment,
      ports: [{ containerPort: this.port, scheme: 'postgresql' }],
      // Over TCP, so the check fails while the entrypoint's init server (socket only) runs.
      healthcheck: Healthcheck.command(['pg_isready', '-U', this.user, '-d', this.database, '-h', probeAddress(stack), '-p', String(this.port)], {
        interval: Duration.seconds(5),
        timeout: Duration.seconds(5),
        retries: 10,
        startPeriod: Duration.seconds(30),
      }),
      memoryLimit: props.memoryLimit ?? Size.gibibytes(1),
      logFormat: postgresLogFormat(),
    });
    configureSwarm(this.service, {
      // docker-library/postgres docker-entrypoint.sh: file_env 'POSTGRES_PASSWORD' reads POSTGRES_PASSWORD_FILE.
      secretFiles: { POSTGRES_PASSWORD: { variable: 'POSTGRES_PASSWORD_FILE' } },
    });
    this.service.addVolume(this.dataVolume, this.dataDirectory);
    this.node.addValidation({
      validate: () =>
        (
          [
            ['user', this.user],
            ['database', this.database],
          ] as const
        )
          .filter(([, v]) => !/^[a-z_][a-z0-9_]{0,62}$/.test(v))
          .map(
            ([what, v]) =>
              `${what} '${v}' is not a plain PostgreSQL identifier: use lower-case letters, digits and '_' (other names need quoting everywhere they are used)`,
          ),
    });
  }

  /** Host name by which other services of the stack reach the database. */
  public get hostname(): string {
    return this.service.hostname;
  }

  /** `host:port` by which other services of the stack reach the database. */
  public get address(): string {
    return joinHostPort(this.service.hostname, this.port);
  }

  /** A `postgresql://` URL for other services, without the password (pass that as a secret). */
  public get url(): string {
    return `postgresql://${this.user}@${this.address}/${this.database}`;
  }
}
