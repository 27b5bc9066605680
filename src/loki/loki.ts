import { Construct, IConstruct } from 'constructs';
import { goKitLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, instanceOf, isOnFallbacks, propsSchema } from '../core/props.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { common, durationValue, sizeValue } from '../core/value-schemas.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { goMemLimit } from '../core/go-mem-limit.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { LOKI_DATA_DIR, LOKI_RULES_DIR, LokiConfigFile, type LokiRulerSettings } from './loki-config-file.js';
import { LOKI_DEFAULTS } from './loki-config-reference.js';
import { lokiHealthcheck } from './loki-healthcheck.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { baseNameOf } from '../core/derived-names.js';
import { checkedScope } from '../core/construct-args.js';

const LOKI = Symbol.for('aixcl-cdk.Loki');

/** The image used when none is given. */
export const DEFAULT_LOKI_IMAGE = 'grafana/loki:3.7.6';

/**
 * The uid Loki runs as in the official images. A named volume (as used here)
 * is writable by it; a bind-mounted host directory must be owned by it.
 */
export const LOKI_UID = 10001;

/** Loki's gRPC port, used by its components to talk to each other inside the one process. */
export const LOKI_GRPC_PORT = 9096;

/** Where the generated configuration is mounted in the container. */
const CONFIG_PATH = '/etc/loki/config.yml';

/**
 * The tenant whose rules the ruler loads from local storage: with
 * `auth_enabled: false` every request is tenant `fake` (Loki's
 * pkg/util/constants; loki#5459, loki#4654: rules put anywhere else are
 * silently never evaluated).
 */
export const LOKI_TENANT = 'fake';

export { LOKI_RULES_DIR } from './loki-config-file.js';

/** An Alertmanager that Loki's ruler sends alerts to (the `Alertmanager` construct). */
export interface AlertmanagerTarget extends IConstruct {
  /** Base URL by which services of the stack reach it. */
  readonly url: string;
}

/** A Prometheus that accepts remote write (the `Prometheus` construct). */
export interface RemoteWriteReceiver extends IConstruct {
  /** Turns on its remote-write receiver and returns the URL to write to. */
  acceptRemoteWrite(): string;
}

/** Settings of Loki's ruler, which evaluates {@link RuleGroup}s of LogQL rules. */
export interface LokiRulerProps {
  /**
   * How often rule groups are evaluated (a group's own interval wins).
   * @default Duration.minutes(1)
   */
  readonly evaluationInterval?: Duration;
  /**
   * Where alerts are sent. Without one, alert rules are still evaluated (their state shows in
   * Loki's `/prometheus/api/v1/alerts` and Grafana's alert list), but nobody is notified.
   * @default none
   */
  readonly alertmanager?: AlertmanagerTarget;
  /**
   * Where recording rules write their series (by Prometheus remote write;
   * its receiver is turned on). Recording rules need one.
   * @default none
   */
  readonly remoteWrite?: RemoteWriteReceiver;
}

/** Below this, Loki (about 90 MiB idle) is OOM-killed under a burst of pushes or one large query. */
const MIN_MEMORY = Size.mebibytes(256);

/** The run-time schema of {@link LokiProps} (see core/props.ts). */
export const lokiSchema = propsSchema<LokiProps>()(
  z.strictObject({
    ...common,
    retention: durationValue.optional(),
    memoryTarget: sizeValue.optional(),
    ruler: z
      .strictObject({
        evaluationInterval: durationValue.optional(),
        alertmanager: instanceOf<AlertmanagerTarget>(
          'an Alertmanager',
          isAlertmanagerTarget,
          () => 'pass the Alertmanager construct itself (the object that `new Alertmanager(...)` returned), not its URL',
        ).optional(),
        remoteWrite: instanceOf<RemoteWriteReceiver>(
          'a Prometheus',
          isRemoteWriteReceiver,
          () => 'pass the Prometheus construct itself (the object that `new Prometheus(...)` returned), not its URL',
        ).optional(),
      })
      .optional(),
  }),
);

function isAlertmanagerTarget(v: unknown): v is AlertmanagerTarget {
  return typeof v === 'object' && v !== null && 'node' in v && typeof (v as { url?: unknown }).url === 'string';
}

function isRemoteWriteReceiver(v: unknown): v is RemoteWriteReceiver {
  return typeof v === 'object' && v !== null && 'node' in v && typeof (v as { acceptRemoteWrite?: unknown }).acceptRemoteWrite === 'function';
}

/** Props of a {@link Loki}. */
export interface LokiProps {
  /**
   * Loki image. Pin a version: the healthcheck is chosen by it.
   * @default 'grafana/loki:3.7.6'
   */
  readonly image?: string;
  /**
   * Name of the compose service (and host name on a bridge network).
   * @default 'loki'
   */
  readonly serviceName?: string;
  /**
   * HTTP port: push, query, `/ready` and `/metrics`.
   * @default 3100
   */
  readonly port?: number;
  /**
   * How long logs are kept before the compactor deletes them (at least 24h).
   * Queries cannot look further back than this either.
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
  /**
   * Memory limit of the container (the hard limit). At least 256 MiB.
   * @default Size.mebibytes(512)
   */
  readonly memoryLimit?: Size;
  /**
   * The footprint Loki's garbage collector aims for (GOMEMLIMIT, a soft
   * limit: above it the collector works harder, it never kills), at most 80%
   * of {@link memoryLimit}. 64 MiB holds the default stack's streams, the
   * small caches configured here and a dashboard's queries.
   * @default Size.mebibytes(64)
   */
  readonly memoryTarget?: Size;
  /** Settings of the ruler, which evaluates the rule groups created with `{ loki: <this> }`. @default ruler off until a rule group is added */
  readonly ruler?: LokiRulerProps;
}

/**
 * Grafana Loki as a single binary: stores the stack's logs on a named volume,
 * with retention, a healthcheck that works in the chosen image, and metrics
 * for Prometheus. Log collectors point at it with a typed reference and
 * {@link registerCollector}; a Loki that nothing ships to is an error.
 */
export class Loki extends Construct {
  /** True for Loki constructs, across copies of this library. */
  public static isLoki(x: unknown): x is Loki {
    return typeof x === 'object' && x !== null && LOKI in x;
  }

  /** The compose service. */
  public readonly service: Service;
  /** The configuration file, at `<serviceName>/loki-config.yml`. */
  public readonly config: LokiConfigFile;
  /** The named volume on `/loki` (chunks, index, WAL, compactor state). */
  public readonly dataVolume: Volume;
  /** HTTP port. */
  public readonly port: number;
  /** How long logs are kept. */
  public readonly retention: Duration;
  /** Memory limit of the container. */
  public readonly memoryLimit: Size;

  /** Settings of the ruler. */
  public readonly ruler: LokiRulerProps;
  /** URL the ruler writes recorded series to, if any. */
  public readonly remoteWriteUrl?: string;

  private readonly collectorList: Construct[] = [];
  private readonly ruleGroupList: IConstruct[] = [];
  private readonly healthcheckProblem?: string;

  constructor(scope: Construct, id: string, props: LokiProps = {}) {
    super(checkedScope('Loki', scope, id), id);
    Object.defineProperty(this, LOKI, { value: true });
    props = checkProps(this, lokiSchema, props, serviceMakerContext('Loki', Object.keys(lokiSchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'loki';
    // Files and volumes are named after the service; after 'loki' when its name is wrong (reported by the Service).
    const baseName = baseNameOf(serviceName, 'loki');
    this.port = props.port ?? 3100;
    this.retention = props.retention ?? Duration.days(7);
    this.memoryLimit = props.memoryLimit ?? Size.mebibytes(512);
    this.ruler = props.ruler ?? {};
    this.remoteWriteUrl = this.ruler.remoteWrite?.acceptRemoteWrite();

    this.service = new Service(this, 'Service', {
      image: props.image ?? DEFAULT_LOKI_IMAGE,
      serviceName,
      command: [`-config.file=${CONFIG_PATH}`],
      environment: { GOMEMLIMIT: goMemLimit(props.memoryTarget ?? Size.mebibytes(64), this.memoryLimit) },
      ports: [
        { containerPort: this.port, scheme: 'http' },
        // Not published: only Loki itself dials it, but on host networking it still takes the port.
        { containerPort: LOKI_GRPC_PORT, publish: false },
      ],
      memoryLimit: this.memoryLimit,
      logFormat: goKitLogFormat(),
      metrics: { port: this.port, path: '/metrics' },
    });
    configureSwarm(this.service, {
      unauthenticated:
        'Loki has no authentication (auth_enabled: false: anyone who reaches it can push and read every log): remove the published port (Grafana and the collectors reach Loki over the encrypted overlay network at its service name), or put an authenticating reverse proxy in front of Loki and publish that instead',
    });

    this.config = new LokiConfigFile(this, 'Config', {
      filePath: `${baseName}/loki-config.yml`,
      httpPort: this.port,
      grpcPort: LOKI_GRPC_PORT,
      listenAddress: stack.listenAddress,
      retention: this.retention,
      version: this.service.image.version,
      ruler: () => this.rulerSettings(),
      otlpResourceLabels: () => stack.otlpResourceLabels,
    });
    this.service.mountGenerated(this.config, CONFIG_PATH);

    this.dataVolume = new Volume(this, 'Data', { volumeName: `${baseName}-data` });
    this.service.addVolume(this.dataVolume, LOKI_DATA_DIR);

    const choice = lokiHealthcheck(this.service.image, { listenAddress: stack.listenAddress, port: this.port });
    if (choice.healthcheck) this.service.setHealthcheck(choice.healthcheck);
    else this.healthcheckProblem = choice.problem;

    this.node.addValidation({ validate: () => this.validateLoki() });
  }

  /** Base URL by which other services of the stack reach Loki: `http://loki:3100` (bridge), `http://localhost:3100` (host). */
  public get url(): string {
    return this.service.url(this.port);
  }

  /** URL that log collectors push to. */
  public get pushUrl(): string {
    return `${this.url}/loki/api/v1/push`;
  }

  /** The healthcheck chosen for the image, if one can work in it. */
  public get healthcheck(): Healthcheck | undefined {
    return this.service.healthcheck;
  }

  /** Directory (in the output) of the rule files, mounted where the ruler reads the tenant's rules. */
  public get rulesDirectory(): string {
    return `${baseNameOf(this.service.serviceName, 'loki')}/rules`;
  }

  /** Records a rule group that this Loki's ruler evaluates (a RuleGroup calls this with itself). */
  public registerRuleGroup(group: IConstruct): void {
    if (this.ruleGroupList.includes(group)) return;
    // Mounted on the first group only: a mount of a directory with no files would make Docker create it as root.
    if (this.ruleGroupList.length === 0) this.service.mountGenerated(this.rulesDirectory, `${LOKI_RULES_DIR}/${LOKI_TENANT}`);
    this.ruleGroupList.push(group);
  }

  /** The rule groups this Loki's ruler evaluates. */
  public get ruleGroups(): readonly IConstruct[] {
    return [...this.ruleGroupList];
  }

  /** Records a log collector that pushes into this Loki (a collector calls this with itself). */
  public registerCollector(collector: Construct): void {
    if (!this.collectorList.includes(collector)) this.collectorList.push(collector);
  }

  /** The log collectors that push into this Loki. */
  public get collectors(): readonly Construct[] {
    return [...this.collectorList];
  }

  /**
   * The stream labels queries on this Loki can select on: those its
   * collectors produce (each collector's `producedLabels`), plus
   * `service_name`, which Loki derives from the first present label of
   * `limits_config.discover_service_name`. Undefined when a collector's
   * labels cannot be known.
   */
  public streamLabels(): readonly string[] | undefined {
    const labels = new Set<string>();
    for (const c of this.collectorList) {
      const produced = (c as { producedLabels?: { labels?: readonly string[] } }).producedLabels;
      if (!produced?.labels) return undefined;
      for (const l of produced.labels) labels.add(l);
    }
    const discover = this.limit('discover_service_name', LOKI_DEFAULTS['limits_config.discover_service_name']);
    if (Array.isArray(discover) && discover.some((l) => labels.has(String(l)))) labels.add('service_name');
    return [...labels].sort();
  }

  /** The structured metadata fields its collectors store with each line (each collector's `producedLabels`). */
  public structuredMetadata(): readonly string[] {
    const fields = new Set<string>();
    for (const c of this.collectorList) {
      const produced = (c as { producedLabels?: { structuredMetadata?: readonly string[] } }).producedLabels;
      for (const f of produced?.structuredMetadata ?? []) fields.add(f);
    }
    return [...fields].sort();
  }

  /** The Compose projects whose logs the collectors push here, with the label that holds the project. */
  public collectedProjects(): { readonly label: string; readonly projects: readonly string[] } | undefined {
    const collectors = this.collectorList as Array<{ project?: unknown; projectLabel?: unknown }>;
    const label = collectors.find((c) => typeof c.projectLabel === 'string')?.projectLabel as string | undefined;
    if (!label || collectors.some((c) => typeof c.project !== 'string' || c.projectLabel !== label)) return undefined;
    return { label, projects: [...new Set(collectors.map((c) => c.project as string))] };
  }

  /** The most lines a query may return (`limits_config.max_entries_limit_per_query`, after overrides). */
  public get maxEntriesLimitPerQuery(): number {
    const v = this.limit('max_entries_limit_per_query', LOKI_DEFAULTS['limits_config.max_entries_limit_per_query']);
    return typeof v === 'number' ? v : LOKI_DEFAULTS['limits_config.max_entries_limit_per_query'];
  }

  /** A `limits_config` setting of the final configuration, or Loki's default. */
  private limit(key: string, fallback: unknown): unknown {
    let doc: unknown;
    try {
      doc = this.config.uncheckedDocument();
    } catch {
      return fallback;
    }
    const limits = (doc as { limits_config?: Record<string, unknown> } | undefined)?.limits_config;
    return limits && key in limits ? limits[key] : fallback;
  }

  private validateLoki(): string[] {
    const errors: string[] = [];
    if (this.healthcheckProblem) errors.push(this.healthcheckProblem);
    if (this.retention.milliseconds < Duration.days(1).milliseconds) {
      errors.push(
        `retention of ${this.retention.toGoString()} is below Loki's minimum of 24h (the compactor deletes whole days of index): ` +
          `use Duration.days(1) or more`,
      );
    }
    if (this.memoryLimit.bytes < MIN_MEMORY.bytes) {
      errors.push(
        `memoryLimit of ${this.memoryLimit.toComposeString()} is too small: Loki idles near 90 MiB and gets OOM-killed ` +
          `under load (a burst of pushes, a large query): give it at least 256 MiB, e.g. Size.mebibytes(512)`,
      );
    }
    if (this.port === LOKI_GRPC_PORT) {
      errors.push(`port ${this.port} is Loki's gRPC port: give the HTTP port another number (3100 is usual)`);
    }
    // A collector given something else than this Loki reported that already (and it may have meant this one).
    if (
      this.collectorList.length === 0 &&
      !Stack.of(this)
        .node.findAll()
        .some((c) => isOnFallbacks(c, 'loki'))
    ) {
      errors.push('Loki has no log collector pushing to it: add a Promtail with { loki: <this> }');
    }
    const stack = Stack.of(this);
    for (const c of this.collectorList) {
      if (stackOf(c) !== stack) {
        errors.push(
          `[${c.node.path}] pushes to ${this.node.path}, which is in another stack and not reachable by its URL: ` + `give it a Loki of its own stack`,
        );
      }
    }
    return errors;
  }

  /** The ruler's settings for the config file, when it has rules or settings. */
  private rulerSettings(): LokiRulerSettings | undefined {
    if (this.ruleGroupList.length === 0 && !this.ruler.alertmanager && !this.ruler.remoteWrite) return undefined;
    return {
      evaluationInterval: this.ruler.evaluationInterval ?? Duration.minutes(1),
      alertmanagerUrl: this.ruler.alertmanager?.url,
      remoteWriteUrl: this.remoteWriteUrl,
    };
  }
}

function stackOf(c: Construct): Stack | undefined {
  return c.node.scopes.filter(Stack.isStack).pop();
}
