import { Construct } from 'constructs';
import { Healthcheck } from '../compose/healthcheck.js';
import { DependencyCondition, Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { ConstructError } from '../core/errors.js';
import { Size } from '../core/size.js';
import { Stack, isComposeProjectName } from '../core/stack.js';
import { Loki } from '../loki/loki.js';
import { probeAddress, unbracket } from '../services/listen-address.js';
import { PromtailConfigFile } from './promtail-config-file.js';
import { configureSwarm } from '../swarm/swarm-settings.js';

/** Promtail's last release line: it is end-of-life and no 3.7 image exists. */
export const PROMTAIL_LAST_VERSION = '3.6.15';
/** The oldest Promtail this construct's configuration is written for. */
export const PROMTAIL_MIN_VERSION = '2.9.0';

const CONFIG_TARGET = '/etc/promtail/config.yml';
const POSITIONS_DIR = '/var/lib/promtail';
const SOCKET_TARGET = '/var/run/docker.sock';

/** Props of a {@link Promtail}. */
export interface PromtailProps {
  /** Where the logs go: a Loki of the same stack (a typed reference, never a URL string). */
  readonly loki: Loki;
  /**
   * Image. Promtail's last line is 3.6.x; for newer features use Grafana Alloy.
   * @default 'grafana/promtail:3.6.15'
   */
  readonly image?: string;
  /** @default 'promtail' */
  readonly serviceName?: string;
  /** Port of Promtail's HTTP server (`/ready`, `/metrics`, targets UI). @default 9080 */
  readonly port?: number;
  /**
   * Compose project whose containers are collected. Set it only for a
   * logging-only stack that collects another project's logs.
   * @default Stack.of(this).projectName
   */
  readonly project?: string;
  /**
   * Host path of the Docker socket (mounted read-only). Rootless Podman users
   * give `$XDG_RUNTIME_DIR/podman/podman.sock` expanded.
   * @default '/var/run/docker.sock'
   */
  readonly dockerSocket?: string;
  /** How often Docker discovery looks for new containers. @default Duration.seconds(5) */
  readonly refreshInterval?: Duration;
  /** @default Size.mebibytes(256) */
  readonly memoryLimit?: Size;
}

/**
 * The bash script that probes Promtail's `/ready` without curl or wget (the
 * Promtail image has neither): it opens a TCP connection with bash's
 * `/dev/tcp`, sends a bare HTTP/1.0 request and succeeds only on `200 OK`.
 * @param address the address to dial, normally `probeAddress(stack)`; an IPv6
 * literal may come bracketed (bash's `/dev/tcp` takes it bare)
 */
export function promtailReadyProbe(address: string, port: number): string {
  return `exec 3<>/dev/tcp/${unbracket(address)}/${port} && printf 'GET /ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3`;
}

/**
 * Promtail collecting the logs of every container of a Compose project,
 * found through the Docker socket, and pushing them to a {@link Loki} of the
 * same stack. The discovery filter derives from the stack's project name and
 * the push URL from the Loki, so neither can drift.
 *
 * Promtail is end-of-life (3.6.x is its last line); Grafana Alloy is its successor.
 */
export class Promtail extends Construct {
  public readonly service: Service;
  public readonly config: PromtailConfigFile;
  /** Named volume holding the positions file, so a restart does not resend logs. */
  public readonly positionsVolume: Volume;
  public readonly port: number;
  /** The Compose project whose logs are collected. */
  public readonly project: string;
  public readonly loki: Loki;

  constructor(scope: Construct, id: string, props: PromtailProps) {
    super(scope, id);
    // The type requires a Loki, but a JavaScript stack (or a cast) can still leave it out:
    // without one nothing would receive the logs, so stop here with the fix.
    if (!props || !Loki.isLoki(props.loki)) {
      throw new ConstructError(
        this.node.path,
        'has no Loki to push to: pass { loki } with a Loki of this stack, e.g. new Promtail(stack, \'promtail\', { loki: new Loki(stack, \'loki\') })',
      );
    }
    const stack = Stack.of(this);
    this.loki = props.loki;
    this.port = props.port ?? 9080;
    this.project = props.project ?? stack.projectName;
    const serviceName = props.serviceName ?? 'promtail';
    const sameStack = Stack.of(props.loki) === stack;

    this.positionsVolume = new Volume(this, 'Positions', { volumeName: `${serviceName}-positions` });
    this.config = new PromtailConfigFile(this, 'Config', {
      pushUrl: props.loki.pushUrl,
      project: this.project,
      port: this.port,
      listenAddress: stack.listenAddress,
      positionsFile: `${POSITIONS_DIR}/positions.yaml`,
      refreshInterval: props.refreshInterval ?? Duration.seconds(5),
    });

    this.service = new Service(this, 'Service', {
      image: props.image ?? `grafana/promtail:${PROMTAIL_LAST_VERSION}`,
      serviceName,
      command: [`-config.file=${CONFIG_TARGET}`],
      ports: [{ containerPort: this.port }],
      // The image runs as root, which reading the Docker socket needs: no `user`.
      healthcheck: Healthcheck.command(['bash', '-c', promtailReadyProbe(probeAddress(stack), this.port)], {
        interval: Duration.seconds(10),
        startPeriod: Duration.seconds(10),
      }),
      memoryLimit: props.memoryLimit ?? Size.mebibytes(256),
      metrics: { port: this.port, path: '/metrics' },
      // Nothing depends on Promtail, but the stack works without it: its failure degrades, not fails.
      optional: true,
    });
    configureSwarm(this.service, {
      // One collector per node: each reads its own node's Docker socket, so together they see every container.
      global: true,
      unauthenticated:
        'Promtail has no authentication: remove the published port (Prometheus scrapes it over the overlay network)',
    });
    this.service.mountGenerated(this.config, CONFIG_TARGET);
    this.service.addVolume(this.positionsVolume, POSITIONS_DIR);
    this.service.addBind(props.dockerSocket ?? '/var/run/docker.sock', SOCKET_TARGET, { readOnly: true });
    // Promtail retries pushes with backoff until Loki answers, so a missing or
    // failing Loki must not keep Promtail (or the stack) from starting.
    // A Loki of another stack is reported once, below, with the fix; linking
    // it anyway would only add the same problem from the dependency and Loki.
    if (sameStack) {
      this.service.addDependency(props.loki.service, { condition: DependencyCondition.STARTED, required: false });
      props.loki.registerCollector(this);
    }

    this.node.addValidation({ validate: () => this.validatePromtail(sameStack) });
  }

  private validatePromtail(sameStack: boolean): string[] {
    const errors: string[] = [];
    if (!sameStack) {
      errors.push(
        `pushes to ${this.loki.node.path}, which is in another stack (${Stack.of(this.loki).projectName}): its URL does not resolve from this stack; create the Loki in this stack (${Stack.of(this).projectName}) and pass that one`,
      );
    }
    if (!isComposeProjectName(this.project)) {
      errors.push(
        `project '${this.project}' is not a Compose project name (lower case letters, digits, '-' and '_'): give the name of the project to collect logs from`,
      );
    }
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
      return [
        `image '${image.ref}' does not exist: Promtail's last release line is 3.6.x (it is end-of-life and was removed in Loki 3.7); ${fix}`,
      ];
    }
    if ((image.compareVersion(PROMTAIL_MIN_VERSION) ?? 0) < 0) {
      return [`image '${image.ref}' is older than Promtail ${PROMTAIL_MIN_VERSION}, which this configuration needs; ${fix}`];
    }
    return [];
  }
}
