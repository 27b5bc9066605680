import { PROJECT_NAME_PATTERN } from './name-patterns.js';
import { isIP } from 'node:net';
import { Construct, IConstruct } from 'constructs';
import { UserError } from './errors.js';
import { Image } from './image.js';
import { checkProps, enumOf, isOnFallbacks, propsSchema } from './props.js';
import { z } from 'zod';
import { ipAddress } from './value-schemas.js';
import { projectLabelsOf, Target, type ProjectLabels } from './target.js';
import { checkedScope } from './construct-args.js';

const STACK = Symbol.for('aixcl-cdk.Stack');

/** Where the services of a stack send OpenTelemetry logs (see {@link Stack.registerOtlpIntake}). */
export interface OtlpIntake {
  /** The collector that receives them. */
  readonly construct: IConstruct;
  /** Its OTLP/HTTP base URL from inside the stack (`http://alloy:4318`): the SDKs' `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly endpoint: string;
  /**
   * Resource attributes the collector sets on every log it receives (`compose.project`), which the
   * log store is to keep as index labels, so the stack's queries on them find these logs too.
   * @default none
   */
  readonly resourceLabels?: readonly string[];
  /**
   * The resource attribute by which a service that opts in names its compose service, set through the
   * SDK's `OTEL_RESOURCE_ATTRIBUTES` (`compose.service`).
   * @default none
   */
  readonly serviceAttribute?: string;
}

/** Compose's rule for project names (core/name-patterns.ts): lower case letters, digits, '-' and '_', starting with a letter or digit. */
export function isComposeProjectName(name: string): boolean {
  return PROJECT_NAME_PATTERN.test(name);
}

/** How the services of a stack reach each other. */
export enum NetworkMode {
  /** Every service shares the host's network: URLs are `localhost:PORT`, as in AIXCL. */
  HOST = 'host',
  /** Services share a bridge network: URLs are `SERVICE:PORT`; ports are published on the host. */
  BRIDGE = 'bridge',
}

/** The run-time schema of {@link StackProps} (see core/props.ts). */
export const stackSchema = propsSchema<StackProps>()(
  z.strictObject({
    projectName: z.string().optional(),
    networkMode: enumOf<NetworkMode>('NetworkMode', () => NetworkMode).optional(),
    bindAddress: ipAddress.optional(),
    // Checked by the stack's own validation (Image.mirrorProblem), which names the fix.
    imageMirror: z.string().optional(),
    target: enumOf<Target>('Target', () => Target).optional(),
  }),
);

/** Props of a {@link Stack}. */
export interface StackProps {
  /**
   * The Compose project name. Container names, Promtail's discovery filter,
   * the dashboards' queries and the volume names all derive from it.
   * @default the stack's id
   */
  readonly projectName?: string;
  /**
   * Networking of every service.
   * @default NetworkMode.BRIDGE
   */
  readonly networkMode?: NetworkMode;
  /**
   * Host address that published ports (bridge) or listening services (host) bind to.
   * Set `0.0.0.0` to expose the stack to the network on purpose.
   * @default '127.0.0.1'
   */
  readonly bindAddress?: string;
  /**
   * A registry every image of the stack is pulled from instead of its own: a pull-through cache, or
   * the mirror of a machine without access to Docker Hub, GHCR or GCR. Each image becomes
   * `MIRROR/PATH` (see {@link Image.inMirror}): with `registry.example.com:5000/hub`,
   * `grafana/loki:3.7.6` is `registry.example.com:5000/hub/grafana/loki:3.7.6`, `postgres:17.6` is
   * `.../hub/library/postgres:17.6`, `ghcr.io/open-webui/open-webui:v0.6.30` is
   * `.../hub/ghcr.io/open-webui/open-webui:v0.6.30`. Only the names in the compose file change;
   * what the constructs derive from an image's version does not.
   * @default the `AIXCL_IMAGE_MIRROR` environment variable if set (so one machine or CI job can
   * send every stack, also those loaded by `aixcl-synth`/`aixcl-deploy`, to its mirror), else none
   */
  readonly imageMirror?: string;
  /**
   * What runs the stack: Docker Compose (`docker-compose.yml`) or Docker Swarm
   * (`docker-stack.yml` for `docker stack deploy`). Container labels, and so
   * the log collector's filter and the dashboards' selectors, follow it.
   * @default Target.COMPOSE
   */
  readonly target?: Target;
}

/**
 * One Docker Compose project. Everything in it derives its names and URLs
 * from the stack, so none of them can drift apart.
 */
export class Stack extends Construct {
  /** True for stacks, across copies of this library (stack files may load another copy). */
  public static isStack(x: unknown): x is Stack {
    return typeof x === 'object' && x !== null && STACK in x;
  }

  /** The stack a construct belongs to. */
  public static of(c: IConstruct): Stack {
    for (const s of [...c.node.scopes].reverse()) if (Stack.isStack(s)) return s;
    throw new UserError(`[${c.node.path}] is not inside a Stack: create it with a Stack (or one of its constructs) as scope`);
  }

  public readonly projectName: string;
  private readonly otlpIntakes: OtlpIntake[] = [];
  public readonly networkMode: NetworkMode;
  public readonly bindAddress: string;
  /** The registry the stack's images are pulled from instead of their own, if any (see {@link StackProps.imageMirror}). */
  public readonly imageMirror: string | undefined;
  public readonly target: Target;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(checkedScope('Stack', scope, id, 'the App (new App())'), id);
    Object.defineProperty(this, STACK, { value: true });
    // A subclass may take props of its own and pass them all on: it checks them itself (strictly), so
    // here only the Stack's props are checked.
    props = checkProps(this, new.target === Stack ? stackSchema : stackSchema.strip(), props, { owner: new.target.name || 'Stack' });
    this.projectName = props.projectName ?? id;
    this.target = props.target ?? Target.COMPOSE;
    this.networkMode = props.networkMode ?? NetworkMode.BRIDGE;
    // Kept bare ('::1', not '[::1]'): each program that joins it with a port adds brackets itself.
    this.bindAddress = (props.bindAddress ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
    this.imageMirror = props.imageMirror ?? (process.env.AIXCL_IMAGE_MIRROR || undefined);
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (!isOnFallbacks(this, 'projectName') && !isComposeProjectName(this.projectName)) {
          errors.push(
            `project name '${this.projectName}' is not a valid Compose project name: use lower case letters, digits, '-' and '_', starting with a letter or digit`,
          );
        }
        if (isIP(this.bindAddress) === 0) {
          errors.push(`bindAddress '${this.bindAddress}' is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 to expose the stack)`);
        }
        const mirror = this.imageMirror === undefined ? undefined : Image.mirrorProblem(this.imageMirror);
        if (mirror) errors.push(`imageMirror ${mirror}${props.imageMirror === undefined ? ' (from AIXCL_IMAGE_MIRROR)' : ''}`);
        if (this.target === Target.SWARM && this.networkMode === NetworkMode.HOST) {
          errors.push(
            'host networking does not apply under Swarm (services on several nodes reach each other over an overlay network): use NetworkMode.BRIDGE, which Swarm renders as an encrypted overlay network',
          );
        }
        return errors;
      },
    });
  }

  /** The name a service of this stack pulls `image` by: the image itself, or its name in {@link imageMirror}. */
  public imageName(image: Image): string {
    return this.imageMirror === undefined || Image.mirrorProblem(this.imageMirror) ? image.ref : image.inMirror(this.imageMirror).ref;
  }

  /** The container labels that carry this stack's project and service names under its target. */
  public get projectLabels(): ProjectLabels {
    return projectLabelsOf(this.target);
  }

  /**
   * Records the stack's OTLP intake (a collector that receives OpenTelemetry logs calls this with
   * itself): services that opt in with `otlp: true` send there. The first one registered is used.
   */
  public registerOtlpIntake(intake: OtlpIntake): void {
    if (!this.otlpIntakes.some((i) => i.construct === intake.construct)) this.otlpIntakes.push(intake);
  }

  /** The OTLP intake of the stack, if a collector receives OTLP (see {@link registerOtlpIntake}). */
  public get otlpIntake(): OtlpIntake | undefined {
    return this.otlpIntakes[0];
  }

  /** The resource attributes every OTLP intake of the stack sets, sorted (see {@link OtlpIntake.resourceLabels}). */
  public get otlpResourceLabels(): string[] {
    return [...new Set(this.otlpIntakes.flatMap((i) => i.resourceLabels ?? []))].sort();
  }

  /** The host name by which one service of this stack reaches another. */
  public hostnameOf(serviceName: string): string {
    if (this.networkMode !== NetworkMode.HOST) return serviceName;
    // On the host network a service listens on the bind address: loopback and wildcard are
    // reached as localhost, a specific address (a LAN IP) only on itself.
    // (Not '::1': a client that tries only localhost's first address, 127.0.0.1, would miss it.)
    if (['127.0.0.1', '0.0.0.0', '::'].includes(this.bindAddress)) return 'localhost';
    return isIP(this.bindAddress) === 6 ? `[${this.bindAddress}]` : this.bindAddress;
  }

  /**
   * The address a service should listen on inside its container: on host
   * networking that is the host itself, so it must be the bind address.
   */
  public get listenAddress(): string {
    return this.networkMode === NetworkMode.HOST ? this.bindAddress : '0.0.0.0';
  }
}
