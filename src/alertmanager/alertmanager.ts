import { LABEL_NAME_PATTERN } from '../core/name-patterns.js';
import { Construct } from 'constructs';
import { z } from 'zod';
import { serviceMakerContext } from '../compose/service-props.js';
import { checkProps, instanceOf, propsSchema } from '../core/props.js';
import { common, durationValue } from '../core/value-schemas.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Secret } from '../compose/secret.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { joinHostPort, listenHostPort, probeUrl } from '../services/listen-address.js';
import { AlertmanagerConfigFile, type AlertGrouping, type AlertRoute } from './alertmanager-config-file.js';
import { Receiver } from './receiver.js';
import { baseNameOf } from '../core/derived-names.js';
import { checkedScope } from '../core/construct-args.js';
import { stackAlertLabels } from '../labels/alert-labels.js';
import { routeProblems } from '../labels/route-check.js';

const ALERTMANAGER = Symbol.for('aixcl-cdk.Alertmanager');

/** The image used when none is given. */
export const DEFAULT_ALERTMANAGER_IMAGE = 'prom/alertmanager:v0.34.0';

/** Where the image reads its configuration (its Dockerfile's CMD). */
const CONFIG_PATH = '/etc/alertmanager/alertmanager.yml';
/** The image's data directory (silences, notification log), owned by its `nobody` user. */
const DATA_PATH = '/alertmanager';
/** A tmpfs on which the entrypoint writes each secret to a file of its own, for the `*_file` options. */
export const ALERTMANAGER_SECRETS_DIR = '/run/alertmanager-secrets';

const receiverValue = instanceOf<Receiver>(
  'a Receiver',
  Receiver.isReceiver,
  () => "make one with Receiver.webhook('name', { url }), Receiver.email(...), Receiver.slack(...) or Receiver.none('name')",
);

/** A label name, as Alertmanager's matchers accept it unquoted. */
const labelName = z.string().regex(LABEL_NAME_PATTERN, "must be a label name: letters, digits and '_', not starting with a digit");

/** The run-time schema of {@link AlertRoute} (see core/props.ts). */
export const alertRouteSchema = propsSchema<AlertRoute>()(
  z.strictObject({ matchers: z.record(labelName, z.string()), receiver: receiverValue, continue: z.boolean().optional() }),
);

/** The run-time schema of {@link AlertmanagerProps} (see core/props.ts). */
export const alertmanagerSchema = propsSchema<AlertmanagerProps>()(
  z.strictObject({
    ...common,
    defaultReceiver: receiverValue.optional(),
    routes: z.array(alertRouteSchema).readonly().optional(),
    groupBy: z.array(labelName).readonly().optional(),
    groupWait: durationValue.optional(),
    groupInterval: durationValue.optional(),
    repeatInterval: durationValue.optional(),
  }),
);

/** Props of an {@link Alertmanager}. */
export interface AlertmanagerProps extends AlertGrouping {
  /** @default 'prom/alertmanager:v0.34.0' */
  readonly image?: string;
  /** @default 'alertmanager' */
  readonly serviceName?: string;
  /** HTTP port (API, UI, `/-/healthy`, `/-/ready`, `/metrics`). @default 9093 */
  readonly port?: number;
  /**
   * Receiver of alerts that no route takes.
   * @default Receiver.none('default'): alerts are shown in Alertmanager's UI and Grafana, and notify no one
   */
  readonly defaultReceiver?: Receiver;
  /** Routes tried in order before the default receiver. @default none */
  readonly routes?: readonly AlertRoute[];
  /** @default Size.mebibytes(128) */
  readonly memoryLimit?: Size;
}

/**
 * Prometheus's Alertmanager: receives the alerts of Loki's ruler (and of any
 * Prometheus), groups them and notifies typed receivers. Secrets of receivers
 * are given to it as files on a tmpfs, never written into its configuration.
 */
export class Alertmanager extends Construct {
  /** True for Alertmanager constructs, across copies of this library. */
  public static isAlertmanager(x: unknown): x is Alertmanager {
    return typeof x === 'object' && x !== null && ALERTMANAGER in x;
  }

  public readonly service: Service;
  public readonly config: AlertmanagerConfigFile;
  public readonly dataVolume: Volume;
  public readonly port: number;
  public readonly defaultReceiver: Receiver;
  private readonly routeList: AlertRoute[];

  constructor(scope: Construct, id: string, props: AlertmanagerProps = {}) {
    super(checkedScope('Alertmanager', scope, id), id);
    Object.defineProperty(this, ALERTMANAGER, { value: true });
    props = checkProps(this, alertmanagerSchema, props, serviceMakerContext('Alertmanager', Object.keys(alertmanagerSchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'alertmanager';
    // Files and volumes are named after the service; after 'alertmanager' when its name is wrong (reported by the Service).
    const baseName = baseNameOf(serviceName, 'alertmanager');
    this.port = props.port ?? 9093;
    this.defaultReceiver = props.defaultReceiver ?? Receiver.none('default');
    this.routeList = [...(props.routes ?? [])];

    this.config = new AlertmanagerConfigFile(this, 'Config', {
      ...props,
      filePath: `${baseName}/alertmanager.yml`,
      defaultReceiver: this.defaultReceiver,
      routes: () => this.routeList,
      secretPath: (s) => `${ALERTMANAGER_SECRETS_DIR}/${s.variable}`,
    });
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${baseName}-data` });
    this.service = new Service(this, 'Service', {
      image: props.image ?? DEFAULT_ALERTMANAGER_IMAGE,
      serviceName,
      command: [
        `--config.file=${CONFIG_PATH}`,
        `--storage.path=${DATA_PATH}`,
        `--web.listen-address=${listenHostPort(stack, this.port)}`,
        // Empty: no high-availability gossip. Its default, 0.0.0.0:9094, would listen on every
        // interface of the host under host networking (README of prometheus/alertmanager).
        '--cluster.listen-address=',
      ],
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // busybox-based image (its Dockerfile): wget is there. /-/ready answers 200 once the config is loaded.
      healthcheck: Healthcheck.wget(probeUrl(stack, this.port, '/-/ready'), {
        interval: Duration.seconds(10),
        startPeriod: Duration.seconds(20),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(128),
      metrics: { port: this.port, path: '/metrics' },
    });
    this.service.addVolume(this.dataVolume, DATA_PATH);
    this.service.mountGenerated(this.config, CONFIG_PATH);
    this.wireSecrets();
    this.node.addValidation({ validate: () => this.validateAlertmanager() });
  }

  /** URL by which services of the stack (Loki's ruler, Grafana) reach the Alertmanager. */
  public get url(): string {
    return this.service.url(this.port);
  }

  /** `host:port` by which services of the stack reach it (what Prometheus's `alerting` lists). */
  public get hostPort(): string {
    return joinHostPort(this.service.hostname, this.port);
  }

  /** URL by which a person on the host opens its UI, if the port is published. */
  public get hostUrl(): string | undefined {
    return this.service.hostUrl(this.port);
  }

  /** Every receiver of the configuration, the default first. */
  public get receivers(): readonly Receiver[] {
    return this.config.receivers;
  }

  /** The routes below the top one, in order. */
  public get routes(): readonly AlertRoute[] {
    return [...this.routeList];
  }

  /** Sends alerts whose labels match to a receiver (tried in the order routes were added). */
  public addRoute(route: AlertRoute): void {
    route = checkProps(this, alertRouteSchema, route, { owner: 'addRoute' }, { matchers: {}, receiver: this.defaultReceiver });
    if (Object.keys(route.matchers).length === 0 && route.receiver === this.defaultReceiver) return;
    this.routeList.push(route);
    this.wireSecrets();
  }

  /**
   * Gives the container the secrets of its receivers as files: each comes in
   * as an environment variable (`${VAR:?...}` in the compose file, like every
   * secret of the stack) and the entrypoint writes it to the tmpfs before
   * starting Alertmanager. Run again whenever a receiver is added.
   */
  private wireSecrets(): void {
    const secrets = uniqueSecrets(this.receivers.flatMap((r) => r.secrets));
    if (secrets.length === 0) return;
    for (const s of secrets) this.service.addEnvironment(s.variable, s);
    // Docker's tmpfs: mode 1777 (so the image's `nobody` can write), in memory only, gone with the container.
    // Set as overrides since the Service API has no tmpfs; override values are written as they are, so a
    // literal `$` for the shell is written `$$` (Compose's escape).
    this.service.addOverride('tmpfs', [ALERTMANAGER_SECRETS_DIR]);
    const writes = secrets.map((s) => `printf '%s' "$$${s.variable}" > ${ALERTMANAGER_SECRETS_DIR}/${s.variable}`);
    this.service.addOverride('entrypoint', ['/bin/sh', '-c', `umask 077 && ${writes.join(' && ')} && exec /bin/alertmanager "$$@"`, 'alertmanager']);
  }

  private validateAlertmanager(): string[] {
    const errors: string[] = [];
    const names = new Map<string, Receiver>();
    for (const r of this.receivers) {
      const other = names.get(r.name);
      if (other && other !== r) errors.push(`two different receivers are named '${r.name}': give each its own name`);
      names.set(r.name, r);
      for (const p of r.problems) errors.push(`receiver '${r.name}': ${p}`);
      const image = this.service.image;
      if (r.minimumVersion && (image.compareVersion(r.minimumVersion) ?? 0) < 0) {
        errors.push(
          `receiver '${r.name}' needs Alertmanager ${r.minimumVersion} or later (its configuration uses a *_file option added then), but the image is ${image.ref}: use a newer image`,
        );
      }
    }
    for (const [i, route] of this.routeList.entries()) {
      if (Object.keys(route.matchers).length === 0)
        errors.push(`route ${i + 1} has no matchers, so it takes every alert: give it at least one, or make its receiver the default`);
      for (const k of Object.keys(route.matchers)) {
        if (!LABEL_NAME_PATTERN.test(k)) errors.push(`route ${i + 1} matches on '${k}', which is not a label name`);
      }
    }
    // Routes and inhibit rules (typed or overridden) against the labels the stack's alerts carry.
    const alerts = stackAlertLabels(Stack.of(this));
    if (alerts) {
      let doc: unknown;
      try {
        doc = this.config.uncheckedDocument();
      } catch {
        doc = undefined; // the file reports its own problem
      }
      errors.push(...routeProblems(doc, alerts));
    }
    return errors;
  }
}

function uniqueSecrets(list: readonly Secret[]): Secret[] {
  const byName = new Map<string, Secret>();
  for (const s of list) if (!byName.has(s.variable)) byName.set(s.variable, s);
  return [...byName.values()].sort((a, b) => (a.variable < b.variable ? -1 : 1));
}
