import { Construct } from 'constructs';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { common, durationValue } from '../core/value-schemas.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { CADVISOR_BASE_LABELS, CADVISOR_LABEL_PREFIXES, CADVISOR_METRIC_LABELS } from './cadvisor-metrics.js';
import { isIPv6, probeUrl, unbracket } from './listen-address.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { checkedScope } from '../core/construct-args.js';

/**
 * The container labels cAdvisor copies into metric labels (`--whitelisted_container_labels`): the
 * project and service labels of the stack's target (src/core/target.ts).
 */
function exportedContainerLabels(stack: Stack): string[] {
  return [stack.projectLabels.project, stack.projectLabels.service];
}
/** The run-time schema of {@link CadvisorProps} (see core/props.ts). */
export const cadvisorSchema = propsSchema<CadvisorProps>()(
  z.strictObject({ ...common, housekeepingInterval: durationValue.optional(), privileged: z.boolean().optional() }),
);

/** Props of {@link Cadvisor}. */
export interface CadvisorProps {
  /** @default 'ghcr.io/google/cadvisor:v0.56.2' */
  readonly image?: string;
  /** @default 'cadvisor' */
  readonly serviceName?: string;
  /** Not the image's 8080: on host networking Open WebUI has that. @default 8081 */
  readonly port?: number;
  /** How often container stats are collected (cAdvisor's own default, 1s, costs a lot of CPU). @default Duration.seconds(10) */
  readonly housekeepingInterval?: Duration;
  /**
   * Run privileged. Not needed with Docker's default setup (cgroup v1 or v2):
   * the read-only mounts are enough. Some hosts need it (RHEL/CentOS with
   * SELinux, per cAdvisor's docs), and it lets cAdvisor read /dev/kmsg for
   * OOM events.
   * @default false
   */
  readonly privileged?: boolean;
  /** @default Size.mebibytes(256) */
  readonly memoryLimit?: Size;
}

/** cAdvisor: per-container CPU, memory, network and disk metrics, scraped by the stack's Prometheus. */
export class Cadvisor extends Construct {
  public readonly service: Service;
  public readonly port: number;

  constructor(scope: Construct, id: string, props: CadvisorProps = {}) {
    super(checkedScope('Cadvisor', scope, id), id);
    props = checkProps(this, cadvisorSchema, props, serviceMakerContext('Cadvisor', Object.keys(cadvisorSchema.shape)));
    const stack = Stack.of(this);
    this.port = props.port ?? 8081;
    const listen = unbracket(stack.listenAddress);
    const housekeeping = props.housekeepingInterval ?? Duration.seconds(10);
    this.service = new Service(this, 'Service', {
      // 0.54+ sees containers under Docker's containerd image store (the default of Docker 29 and
      // Docker Desktop 4.34+); older releases export no per-container series there. From 0.54 the
      // images are published on ghcr.io only, gcr.io/cadvisor/cadvisor stopped at 0.52/0.53
      // (google/cadvisor#3712, #3806).
      image: props.image ?? 'ghcr.io/google/cadvisor:v0.56.2',
      serviceName: props.serviceName ?? 'cadvisor',
      // Appended to the image's entrypoint (/usr/bin/cadvisor -logtostderr).
      command: [
        `--port=${this.port}`,
        // cAdvisor joins IP and port with a plain ':', so an IPv6 address needs its brackets here.
        `--listen_ip=${isIPv6(listen) ? `[${listen}]` : listen}`,
        '--docker_only=true',
        // Only the project and service labels become metric labels (container_label_com_docker_compose_service,
        // ...; under Swarm container_label_com_docker_stack_namespace, ...): the dashboards group by them, and
        // no other container label (a deploy tool's bookkeeping, say) is exported. Which labels those are
        // follows from the target (src/core/target.ts).
        '--store_container_labels=false',
        `--whitelisted_container_labels=${exportedContainerLabels(stack).join(',')}`,
        `--housekeeping_interval=${housekeeping.toGoString()}`,
      ],
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // The image is Alpine-based: busybox wget is there.
      healthcheck: Healthcheck.wget(probeUrl(stack, this.port, '/healthz'), {
        interval: Duration.seconds(15),
        startPeriod: Duration.seconds(15),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(256),
      metrics: { port: this.port, path: '/metrics' },
    });
    configureSwarm(this.service, {
      // Container metrics are per node: one cAdvisor on each.
      global: true,
      unauthenticated: 'cAdvisor has no authentication: remove the published port (Prometheus scrapes it over the overlay network)',
    });
    for (const [source, target] of [
      ['/', '/rootfs'],
      ['/var/run', '/var/run'],
      ['/sys', '/sys'],
      ['/var/lib/docker', '/var/lib/docker'],
    ]) {
      this.service.addBind(source, target, { readOnly: true });
    }
    if (props.privileged) this.service.addOverride('privileged', true);
    this.node.addValidation({
      validate: () => (housekeeping.milliseconds < 1000 ? [`housekeepingInterval must be at least 1s (got ${housekeeping.toGoString()})`] : []),
    });
  }

  /**
   * The labels of a container metric's series as cAdvisor exports them (its
   * generated metric table, src/services/cadvisor-metrics.ts): id, name,
   * image, the metric's own labels, and `container_label_<label>` for each
   * whitelisted container label (sanitized as cAdvisor does: every character
   * outside [a-zA-Z0-9_] becomes `_`). No `container_env_*`: no
   * `--env_metadata_whitelist` is given. Undefined for another metric.
   */
  public metricSeriesLabels(metric: string): readonly string[] | undefined {
    const own = CADVISOR_METRIC_LABELS[metric];
    if (!own) return undefined;
    const copied = exportedContainerLabels(Stack.of(this)).map((l) => CADVISOR_LABEL_PREFIXES.containerLabel + l.replace(/[^a-zA-Z0-9_]/g, '_'));
    return [...CADVISOR_BASE_LABELS, ...own, ...copied];
  }

  /** URL of cAdvisor's UI and API for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
