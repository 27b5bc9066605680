import { Construct } from 'constructs';
import { prometheusLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { common } from '../core/value-schemas.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { listenHostPort, probeUrl } from './listen-address.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { checkedScope } from '../core/construct-args.js';

/** The run-time schema of {@link NodeExporterProps} (see core/props.ts). */
export const nodeExporterSchema = propsSchema<NodeExporterProps>()(z.strictObject({ ...common, hostPid: z.boolean().optional() }));

/** Props of {@link NodeExporter}. */
export interface NodeExporterProps {
  /** @default 'prom/node-exporter:v1.9.1' */
  readonly image?: string;
  /** @default 'node-exporter' */
  readonly serviceName?: string;
  /** @default 9100 */
  readonly port?: number;
  /**
   * Share the host's PID namespace, as node_exporter's docs do for a
   * containerized exporter, so /host/proc is read from the host's view.
   * @default true
   */
  readonly hostPid?: boolean;
  /** @default Size.mebibytes(128) */
  readonly memoryLimit?: Size;
}

/** Prometheus's node exporter: CPU, memory, disk and network metrics of the host. */
export class NodeExporter extends Construct {
  public readonly service: Service;
  public readonly port: number;

  constructor(scope: Construct, id: string, props: NodeExporterProps = {}) {
    super(checkedScope('NodeExporter', scope, id), id);
    props = checkProps(this, nodeExporterSchema, props, serviceMakerContext('NodeExporter', Object.keys(nodeExporterSchema.shape)));
    const stack = Stack.of(this);
    this.port = props.port ?? 9100;
    this.service = new Service(this, 'Service', {
      image: props.image ?? 'prom/node-exporter:v1.9.1',
      serviceName: props.serviceName ?? 'node-exporter',
      // Arguments to the image's entrypoint (/bin/node_exporter).
      command: ['--path.rootfs=/host', `--web.listen-address=${listenHostPort(stack, this.port)}`],
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // The image is busybox-based: wget is there.
      healthcheck: Healthcheck.wget(probeUrl(stack, this.port, '/metrics'), {
        interval: Duration.seconds(15),
        startPeriod: Duration.seconds(5),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(128),
      // node_exporter 1.9 logs through promslog, as Prometheus 3 does.
      logFormat: prometheusLogFormat(),
      metrics: { port: this.port, path: '/metrics' },
    });
    configureSwarm(this.service, {
      global: true,
      unauthenticated: 'node-exporter has no authentication: remove the published port (Prometheus scrapes it over the overlay network)',
    });
    // The host's root, read-only; --path.rootfs makes the exporter read /proc, /sys and mounts under it.
    this.service.addBind('/', '/host', { readOnly: true });
    if (props.hostPid ?? true) this.service.addOverride('pid', 'host');
  }

  /** URL of the exporter for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
