import { Construct } from 'constructs';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { isIPv6, probeUrl, unbracket } from './listen-address.js';
import { configureSwarm } from '../swarm/swarm-settings.js';

/** Props of {@link Cadvisor}. */
export interface CadvisorProps {
  /** @default 'gcr.io/cadvisor/cadvisor:v0.56.2' */
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
    super(scope, id);
    const stack = Stack.of(this);
    this.port = props.port ?? 8081;
    const listen = unbracket(stack.listenAddress);
    const housekeeping = props.housekeepingInterval ?? Duration.seconds(10);
    this.service = new Service(this, 'Service', {
      // 0.54+ sees containers under Docker's containerd image store (the default of Docker 29 and
      // Docker Desktop 4.34+); older releases export no per-container series there.
      image: props.image ?? 'gcr.io/cadvisor/cadvisor:v0.56.2',
      serviceName: props.serviceName ?? 'cadvisor',
      // Appended to the image's entrypoint (/usr/bin/cadvisor -logtostderr).
      command: [
        `--port=${this.port}`,
        // cAdvisor joins IP and port with a plain ':', so an IPv6 address needs its brackets here.
        `--listen_ip=${isIPv6(listen) ? `[${listen}]` : listen}`,
        '--docker_only=true',
        // Only the Compose labels become metric labels (container_label_com_docker_compose_service, ...): the
        // dashboards group by them, and no other container label (a deploy tool's bookkeeping, say) is exported.
        '--store_container_labels=false',
        // Which labels carry the project and service follows from the target (src/core/target.ts).
        `--whitelisted_container_labels=${stack.projectLabels.project},${stack.projectLabels.service}`,
        `--housekeeping_interval=${housekeeping.toGoString()}`,
      ],
      ports: [{ containerPort: this.port }],
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
      validate: () =>
        housekeeping.milliseconds < 1000 ? [`housekeepingInterval must be at least 1s (got ${housekeeping.toGoString()})`] : [],
    });
  }

  /** URL of cAdvisor's UI and API for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
