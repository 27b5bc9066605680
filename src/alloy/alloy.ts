import { Construct } from 'constructs';
import { z } from 'zod';
import { bashReadyProbe } from '../collector/bash-ready-probe.js';
import { PROJECT_LOG_LABEL } from '../collector/collected-labels.js';
import { collectorProblems, connectCollector } from '../collector/collector-wiring.js';
import { logCollectorShape, type LogCollectorProps } from '../collector/collector-props.js';
import { CollectorKind, markLogCollector, type CollectorMetrics, type LogCollector } from '../collector/log-collector.js';
import type { ProducedLabels } from '../collector/produced-labels.js';
import { stackLogFormats } from '../collector/stack-log-formats.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { checkedScope } from '../core/construct-args.js';
import { baseNameOf } from '../core/derived-names.js';
import { Duration } from '../core/duration.js';
import { goMemLimit } from '../core/go-mem-limit.js';
import { checkProps, propsSchema } from '../core/props.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { portNumber } from '../core/value-schemas.js';
import { goKitLogFormat } from '../log-format/program-formats.js';
import { Loki } from '../loki/loki.js';
import { probeAddress } from '../services/listen-address.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { AlloyConfigFile, OTLP_PROJECT_ATTRIBUTE, OTLP_SERVICE_ATTRIBUTE } from './alloy-config-file.js';
import { lokiQueryContext } from '../grafana/datasource-base.js';
import { alloyProducedLabels } from './alloy-produced-labels.js';

/** The Alloy release the default image pins (stack-facts.md: the current line, tags with a `v`). */
export const ALLOY_VERSION = 'v1.21.2';
/**
 * The oldest Alloy this configuration is written for: Docker Engine 29 refuses API versions below
 * 1.44, and Alloy before 1.14 asked for an older one (stack-facts.md), so its discovery fails there.
 */
export const ALLOY_MIN_VERSION = '1.14.0';

const CONFIG_TARGET = '/etc/alloy/config.alloy';
/** Alloy's `--storage.path` (its image's CMD): component data, incl. loki.source.docker's positions. */
const DATA_DIR = '/var/lib/alloy/data';
/** Alloy's HTTP server port (`--server.http.listen-addr`, default 127.0.0.1:12345: docs reference/cli/run.md). */
const DEFAULT_PORT = 12345;

/** OTLP intake settings of an {@link Alloy}. */
export interface AlloyOtlpProps {
  /** OTLP/gRPC port. @default 4317 */
  readonly grpcPort?: number;
  /** OTLP/HTTP port. @default 4318 */
  readonly httpPort?: number;
  /**
   * Publish both ports on the stack's bind address, for applications outside the stack. Inside it,
   * services reach the collector on the stack's network without it.
   * @default false
   */
  readonly publish?: boolean;
}

/** Props of an {@link Alloy}. */
export interface AlloyProps extends LogCollectorProps {
  /** @default 'grafana/alloy:v1.21.2' */
  readonly image?: string;
  /** @default 'alloy' */
  readonly serviceName?: string;
  /** Port of Alloy's HTTP server (`/-/ready`, `/metrics`, its UI). @default 12345 */
  readonly port?: number;
  /** @default Size.mebibytes(256) */
  readonly memoryLimit?: Size;
  /**
   * The footprint Alloy's garbage collector aims for (GOMEMLIMIT, a soft limit), at most 80% of
   * {@link memoryLimit}. Above the working set of a burst it costs nothing; below it the collector
   * runs the garbage collector nearly all the time (stack-facts.md), so it is set with room.
   * @default Size.mebibytes(96)
   */
  readonly memoryTarget?: Size;
  /**
   * OpenTelemetry logs over OTLP (gRPC and HTTP), forwarded to Loki's native OTLP endpoint; `false`
   * turns the receivers off. Services opt in to send there with `otlp: true`. Logs only: traces and
   * metrics over OTLP are not collected.
   * @default the receivers on 4317 and 4318, not published
   */
  readonly otlp?: AlloyOtlpProps | false;
}

/** The run-time schema of {@link AlloyProps} (see core/props.ts). */
export const alloySchema = propsSchema<AlloyProps>()(
  z.strictObject({
    ...logCollectorShape,
    otlp: z
      .union([z.literal(false), z.strictObject({ grpcPort: portNumber.optional(), httpPort: portNumber.optional(), publish: z.boolean().optional() })])
      .optional(),
  }),
);

/**
 * Alloy's loki.write metrics (internal/component/common/loki/client/metrics.go of grafana/alloy): every
 * push is observed in loki_write_request_duration_seconds by status code (shards.go: the HTTP status,
 * -1 when Loki cannot be reached); entries given up on after the retries go to
 * loki_write_dropped_entries_total (by reason).
 */
const ALLOY_METRICS: CollectorMetrics = {
  pushFailuresRate: (job) => `sum(rate(loki_write_request_duration_seconds_count{${job}, status_code!~"2.."}[5m]))`,
  droppedEntriesIncrease: (job) => `sum(increase(loki_write_dropped_entries_total{${job}}[10m]))`,
};

/**
 * Grafana Alloy collecting the logs of every container of a Compose project, found through the
 * Docker socket, and pushing them to a {@link Loki} of the same stack, with the same labels and the
 * same log-format pipeline as {@link Promtail} (its predecessor), and receiving OpenTelemetry logs
 * over OTLP.
 *
 * Moving a deployed stack from Promtail to Alloy loses and doubles no line: Alloy keeps no position
 * for a container it has not read, so it reads each container's log from its start
 * (loki/source/docker/tailer.go: `Since` is the stored position, 0 when none), and every line it
 * re-reads is the entry Promtail pushed, with the same stream labels, timestamp (Docker's, or the line's
 * own read by the same stage: alloy-pipeline.ts sets Alloy's two differing defaults back to Promtail's),
 * text and structured metadata, which Loki returns once: its queries merge identical entries
 * (pkg/iter/entry_iterator.go, "Entries with identical timestamp, line, and metadata are removed as
 * duplicates"). Lines older than Loki's `reject_old_samples_max_age` (a week) are refused, as they
 * would be for a new Promtail.
 */
export class Alloy extends Construct implements LogCollector {
  public readonly kind = CollectorKind.ALLOY;
  public readonly metrics = ALLOY_METRICS;
  public readonly service: Service;
  public readonly config: AlloyConfigFile;
  /** Named volume holding Alloy's data (the read positions of each container), so a restart does not resend logs. */
  public readonly dataVolume: Volume;
  public readonly port: number;
  /** The Compose project whose logs are collected. */
  public readonly project: string;
  public readonly loki: Loki;
  /** The OTLP ports, when the receivers are on. */
  public readonly otlp?: { readonly grpcPort: number; readonly httpPort: number };
  private readonly projectGiven: boolean;

  constructor(scope: Construct, id: string, props: AlloyProps) {
    super(checkedScope('Alloy', scope, id), id);
    markLogCollector(this);
    props = checkProps(this, alloySchema, props, serviceMakerContext('Alloy', Object.keys(alloySchema.shape)));
    const loki: Loki | undefined = Loki.isLoki(props.loki) ? props.loki : undefined;
    const stack = Stack.of(this);
    this.loki = props.loki;
    this.port = props.port ?? DEFAULT_PORT;
    this.project = props.project ?? stack.projectName;
    this.projectGiven = props.project !== undefined;
    const serviceName = props.serviceName ?? 'alloy';
    const baseName = baseNameOf(serviceName, 'alloy');
    const sameStack = !loki || Stack.of(loki) === stack;
    const otlp =
      props.otlp === false
        ? undefined
        : { grpcPort: props.otlp?.grpcPort ?? 4317, httpPort: props.otlp?.httpPort ?? 4318, publish: props.otlp?.publish ?? false };
    this.otlp = otlp && { grpcPort: otlp.grpcPort, httpPort: otlp.httpPort };

    this.dataVolume = new Volume(this, 'Data', { volumeName: `${baseName}-data` });
    this.config = new AlloyConfigFile(this, 'Config', {
      pushUrl: loki?.pushUrl ?? 'http://invalid.invalid/loki/api/v1/push',
      project: this.project,
      refreshInterval: props.refreshInterval ?? Duration.seconds(1),
      // Only this stack's services are known here; a logging-only stack collecting another project stores lines as they are.
      logFormats: () => (this.project === stack.projectName ? stackLogFormats(stack) : []),
      otlp: otlp && {
        listenAddress: stack.listenAddress,
        grpcPort: otlp.grpcPort,
        httpPort: otlp.httpPort,
        lokiOtlpUrl: `${loki?.url ?? 'http://invalid.invalid'}/otlp`,
      },
      filePath: `${baseName}/config.alloy`,
      selectorContext: () => lokiQueryContext(loki),
    });

    const memoryLimit = props.memoryLimit ?? Size.mebibytes(256);
    this.service = new Service(this, 'Service', {
      image: props.image ?? `grafana/alloy:${ALLOY_VERSION}`,
      serviceName,
      // The image's entrypoint is /bin/alloy (its Dockerfile). Alloy's HTTP server listens on
      // 127.0.0.1 unless told otherwise, which no other container (nor the healthcheck's probe
      // address under host networking) would reach; usage reporting is on unless disabled
      // (docs reference/cli/run.md: --server.http.listen-addr, --storage.path, --disable-reporting).
      command: [
        'run',
        `--server.http.listen-addr=${stack.listenAddress.includes(':') ? `[${stack.listenAddress}]` : stack.listenAddress}:${this.port}`,
        `--storage.path=${DATA_DIR}`,
        '--disable-reporting',
        CONFIG_TARGET,
      ],
      environment: { GOMEMLIMIT: goMemLimit(props.memoryTarget ?? Size.mebibytes(96), memoryLimit) },
      ports: [
        { containerPort: this.port, scheme: 'http' },
        ...(otlp
          ? [
              { containerPort: otlp.grpcPort, publish: otlp.publish },
              { containerPort: otlp.httpPort, scheme: 'http' as const, publish: otlp.publish },
            ]
          : []),
      ],
      // The image runs as root, which reading the Docker socket needs: no `user`. It has bash, no curl or wget.
      healthcheck: Healthcheck.command(['bash', '-c', bashReadyProbe(probeAddress(stack), this.port, '/-/ready')], {
        interval: Duration.seconds(10),
        startPeriod: Duration.seconds(10),
      }),
      memoryLimit,
      logFormat: goKitLogFormat(),
      metrics: { port: this.port, path: '/metrics' },
      // Nothing depends on the collector, but the stack works without it: its failure degrades, not fails.
      optional: true,
    });
    configureSwarm(this.service, {
      // One collector per node: each reads its own node's Docker socket, so together they see every container.
      global: true,
      unauthenticated: 'Alloy has no authentication: remove the published ports (Prometheus scrapes it and services send OTLP over the overlay network)',
    });
    this.service.mountGenerated(this.config, CONFIG_TARGET);
    this.service.addVolume(this.dataVolume, DATA_DIR);
    if (otlp)
      stack.registerOtlpIntake({
        construct: this,
        endpoint: `http://${this.service.hostname}:${otlp.httpPort}`,
        // The project, which Alloy sets, and the service, which the SDK of a service with `otlp: true` sets:
        // as labels in Loki they are the collected lines' compose_project and compose_service.
        resourceLabels: [OTLP_PROJECT_ATTRIBUTE, OTLP_SERVICE_ATTRIBUTE],
        serviceAttribute: OTLP_SERVICE_ATTRIBUTE,
      });
    connectCollector(this, this.service, loki, sameStack, props.dockerSocket);
    this.node.addValidation({ validate: () => this.validateAlloy(sameStack) });
  }

  /** The labels (and structured metadata) of the streams Alloy pushes, read from its final configuration. */
  public get producedLabels(): ProducedLabels {
    return alloyProducedLabels(this.config.statements());
  }

  /** The stream label holding the Compose project (`compose_project`). */
  public get projectLabel(): string {
    return PROJECT_LOG_LABEL;
  }

  private validateAlloy(sameStack: boolean): string[] {
    const errors = collectorProblems(this, this.loki, this.project, sameStack, this.projectGiven);
    if (this.otlp && [this.otlp.grpcPort, this.otlp.httpPort].includes(this.port)) {
      errors.push(`port ${this.port} is also an OTLP port: give the HTTP server, the OTLP/gRPC and the OTLP/HTTP receivers three different ports`);
    } else if (this.otlp && this.otlp.grpcPort === this.otlp.httpPort) {
      errors.push(`otlp: grpcPort and httpPort are both ${this.otlp.grpcPort}: give them different ports (4317 and 4318 are OTLP's own)`);
    }
    errors.push(...this.validateImage());
    return errors;
  }

  private validateImage(): string[] {
    const image = this.service.image;
    const fix = `use grafana/alloy:${ALLOY_VERSION}`;
    if (!image.version) {
      return [
        `unknown image version format in '${image.ref}': the tag must be a version such as ${ALLOY_VERSION} so the configuration can be checked against it; ${fix}`,
      ];
    }
    if ((image.compareVersion(ALLOY_MIN_VERSION) ?? 0) < 0) {
      return [`image '${image.ref}' is older than Alloy ${ALLOY_MIN_VERSION}: its Docker discovery asks for an API version Docker Engine 29 refuses; ${fix}`];
    }
    return [];
  }
}
