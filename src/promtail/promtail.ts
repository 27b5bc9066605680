import { Construct } from 'constructs';
import { goKitLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { goMemLimit } from '../core/go-mem-limit.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { Loki } from '../loki/loki.js';
import { probeAddress } from '../services/listen-address.js';
import { bashReadyProbe } from '../collector/bash-ready-probe.js';
import { PromtailConfigFile } from './promtail-config-file.js';
import { lokiQueryContext } from '../grafana/datasource-base.js';
import { promtailProducedLabels } from './promtail-produced-labels.js';
import type { ProducedLabels } from '../collector/produced-labels.js';
import { PROJECT_LOG_LABEL } from '../collector/collected-labels.js';
import { collectorProblems, connectCollector } from '../collector/collector-wiring.js';
import { CollectorKind, markLogCollector, type CollectorMetrics, type LogCollector } from '../collector/log-collector.js';
import { logCollectorShape, type LogCollectorProps } from '../collector/collector-props.js';
import { stackLogFormats } from '../collector/stack-log-formats.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { baseNameOf } from '../core/derived-names.js';
import { checkedScope } from '../core/construct-args.js';

/** Promtail's last release line: it is end-of-life and no 3.7 image exists. */
export const PROMTAIL_LAST_VERSION = '3.6.15';
/** The oldest Promtail this construct's configuration is written for. */
export const PROMTAIL_MIN_VERSION = '2.9.0';

const CONFIG_TARGET = '/etc/promtail/config.yml';
const POSITIONS_DIR = '/var/lib/promtail';

/** The run-time schema of {@link PromtailProps} (see core/props.ts). */
export const promtailSchema = propsSchema<PromtailProps>()(z.strictObject(logCollectorShape));

/** Props of a {@link Promtail}. */
export interface PromtailProps extends LogCollectorProps {
  /**
   * Image. Promtail's last line is 3.6.x; for newer features use Grafana Alloy.
   * @default 'grafana/promtail:3.6.15'
   */
  readonly image?: string;
  /** @default 'promtail' */
  readonly serviceName?: string;
  /** Port of Promtail's HTTP server (`/ready`, `/metrics`, targets UI). @default 9080 */
  readonly port?: number;
  /** @default Size.mebibytes(256) */
  readonly memoryLimit?: Size;
  /**
   * The footprint Promtail's garbage collector aims for (GOMEMLIMIT, a soft
   * limit), at most 80% of {@link memoryLimit}. Below the working set of a
   * burst the collector spends its time collecting garbage: measured with the
   * real Promtail 3.6.15 (bench/pipeline.ts, LOGGING.md "Measured"), 300,000
   * lines took 19.9 s to reach Loki at 24 MiB, 12.4 s at 40 MiB and 9.3 s at
   * 48 MiB, which still held under 30 MiB after steady logging.
   * @default Size.mebibytes(48)
   */
  readonly memoryTarget?: Size;
}

/**
 * Promtail's client metrics (clients/pkg/promtail/client/metrics.go of grafana/loki 3.6): every push
 * attempt is counted in promtail_request_duration_seconds by status code (-1 when Loki cannot be
 * reached); entries given up on after the retries go to promtail_dropped_entries_total.
 */
const PROMTAIL_METRICS: CollectorMetrics = {
  pushFailuresRate: (job) => `sum(rate(promtail_request_duration_seconds_count{${job}, status_code!~"2.."}[5m]))`,
  droppedEntriesIncrease: (job) => `sum(increase(promtail_dropped_entries_total{${job}}[10m]))`,
};

/** The probe of Promtail's `/ready` (see {@link bashReadyProbe}). */
export function promtailReadyProbe(address: string, port: number): string {
  return bashReadyProbe(address, port, '/ready');
}

/**
 * Promtail collecting the logs of every container of a Compose project,
 * found through the Docker socket, and pushing them to a {@link Loki} of the
 * same stack. The discovery filter derives from the stack's project name and
 * the push URL from the Loki, so neither can drift.
 *
 * Promtail is end-of-life (3.6.x is its last line); Grafana Alloy is its successor.
 */
export class Promtail extends Construct implements LogCollector {
  public readonly kind = CollectorKind.PROMTAIL;
  public readonly metrics = PROMTAIL_METRICS;
  public readonly service: Service;
  public readonly config: PromtailConfigFile;
  /** Named volume holding the positions file, so a restart does not resend logs. */
  public readonly positionsVolume: Volume;
  public readonly port: number;
  /** The Compose project whose logs are collected. */
  public readonly project: string;
  public readonly loki: Loki;
  /** True when the project was given (else it is the stack's, which the stack checks). */
  private readonly projectGiven: boolean;

  constructor(scope: Construct, id: string, props: PromtailProps) {
    super(checkedScope('Promtail', scope, id), id);
    markLogCollector(this);
    // The type requires a Loki, but a JavaScript stack (or a cast) can still leave it out: that is
    // recorded (nothing is written), and the construct goes on with a placeholder push URL.
    props = checkProps(this, promtailSchema, props, serviceMakerContext('Promtail', Object.keys(promtailSchema.shape)));
    const loki: Loki | undefined = Loki.isLoki(props.loki) ? props.loki : undefined;
    const stack = Stack.of(this);
    this.loki = props.loki;
    this.port = props.port ?? 9080;
    this.project = props.project ?? stack.projectName;
    this.projectGiven = props.project !== undefined;
    const serviceName = props.serviceName ?? 'promtail';
    // Files and volumes are named after the service; after 'promtail' when its name is wrong (reported by the Service).
    const baseName = baseNameOf(serviceName, 'promtail');
    const sameStack = !loki || Stack.of(loki) === stack;

    this.positionsVolume = new Volume(this, 'Positions', { volumeName: `${baseName}-positions` });
    this.config = new PromtailConfigFile(this, 'Config', {
      pushUrl: loki?.pushUrl ?? 'http://invalid.invalid/loki/api/v1/push',
      pushUrlFrom: loki?.service,
      project: this.project,
      port: this.port,
      listenAddress: stack.listenAddress,
      positionsFile: `${POSITIONS_DIR}/positions.yaml`,
      refreshInterval: props.refreshInterval ?? Duration.seconds(1),
      // Only this stack's services are known here; a logging-only stack collecting another project stores lines as they are.
      logFormats: () => (this.project === stack.projectName ? stackLogFormats(stack) : []),
      selectorContext: () => lokiQueryContext(loki),
    });

    this.service = new Service(this, 'Service', {
      image: props.image ?? `grafana/promtail:${PROMTAIL_LAST_VERSION}`,
      serviceName,
      command: [`-config.file=${CONFIG_TARGET}`],
      environment: { GOMEMLIMIT: goMemLimit(props.memoryTarget ?? Size.mebibytes(48), props.memoryLimit ?? Size.mebibytes(256)) },
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // The image runs as root, which reading the Docker socket needs: no `user`.
      healthcheck: Healthcheck.command(['bash', '-c', promtailReadyProbe(probeAddress(stack), this.port)], {
        interval: Duration.seconds(10),
        startPeriod: Duration.seconds(10),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(256),
      logFormat: goKitLogFormat(),
      metrics: { port: this.port, path: '/metrics' },
      // Nothing depends on Promtail, but the stack works without it: its failure degrades, not fails.
      optional: true,
    });
    configureSwarm(this.service, {
      // One collector per node: each reads its own node's Docker socket, so together they see every container.
      global: true,
      unauthenticated: 'Promtail has no authentication: remove the published port (Prometheus scrapes it over the overlay network)',
    });
    this.service.mountGenerated(this.config, CONFIG_TARGET);
    this.service.addVolume(this.positionsVolume, POSITIONS_DIR);
    connectCollector(this, this.service, loki, sameStack, props.dockerSocket);

    this.node.addValidation({ validate: () => this.validatePromtail(sameStack) });
  }

  /**
   * The labels (and structured metadata) of the streams this Promtail pushes,
   * read from its final configuration: the relabel rules it writes, any
   * pipeline stages, and overrides. Queries on its Loki are checked against
   * them; a pipeline that adds a label extends them by being in the config.
   */
  public get producedLabels(): ProducedLabels {
    return promtailProducedLabels(this.config.uncheckedDocument());
  }

  /** The stream label holding the Compose project (`compose_project`). */
  public get projectLabel(): string {
    return PROJECT_LOG_LABEL;
  }

  private validatePromtail(sameStack: boolean): string[] {
    const errors = collectorProblems(this, this.loki, this.project, sameStack, this.projectGiven);
    errors.push(...this.validateImage());
    return errors;
  }

  private validateImage(): string[] {
    const image = this.service.image;
    const fix = `use grafana/promtail:${PROMTAIL_LAST_VERSION} (or move to Grafana Alloy, Promtail's successor)`;
    if (!image.version) {
      return [
        `unknown image version format in '${image.ref}': the tag must be a version such as ${PROMTAIL_LAST_VERSION} so the configuration can be checked against it; ${fix}`,
      ];
    }
    if ((image.compareVersion('3.7.0') ?? 0) >= 0) {
      return [`image '${image.ref}' does not exist: Promtail's last release line is 3.6.x (it is end-of-life and was removed in Loki 3.7); ${fix}`];
    }
    if ((image.compareVersion(PROMTAIL_MIN_VERSION) ?? 0) < 0) {
      return [`image '${image.ref}' is older than Promtail ${PROMTAIL_MIN_VERSION}, which this configuration needs; ${fix}`];
    }
    return [];
  }
}
