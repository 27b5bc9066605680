import { isIP } from 'node:net';
import { Construct, IConstruct } from 'constructs';
import { UserError } from './errors.js';
import { projectLabelsOf, Target, type ProjectLabels } from './target.js';

const STACK = Symbol.for('aixcl-cdk.Stack');

/** Compose's rule for project names: lower case letters, digits, '-' and '_', starting with a letter or digit. */
export function isComposeProjectName(name: string): boolean {
  return /^[a-z0-9][a-z0-9_-]*$/.test(name);
}

/** How the services of a stack reach each other. */
export enum NetworkMode {
  /** Every service shares the host's network: URLs are `localhost:PORT`, as in AIXCL. */
  HOST = 'host',
  /** Services share a bridge network: URLs are `SERVICE:PORT`; ports are published on the host. */
  BRIDGE = 'bridge',
}

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
  public readonly networkMode: NetworkMode;
  public readonly bindAddress: string;
  public readonly target: Target;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id);
    Object.defineProperty(this, STACK, { value: true });
    this.projectName = props.projectName ?? id;
    this.target = props.target ?? Target.COMPOSE;
    this.networkMode = props.networkMode ?? NetworkMode.BRIDGE;
    // Kept bare ('::1', not '[::1]'): each program that joins it with a port adds brackets itself.
    this.bindAddress = (props.bindAddress ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (!isComposeProjectName(this.projectName)) {
          errors.push(
            `project name '${this.projectName}' is not a valid Compose project name: use lower case letters, digits, '-' and '_', starting with a letter or digit`,
          );
        }
        if (isIP(this.bindAddress) === 0) {
          errors.push(`bindAddress '${this.bindAddress}' is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 to expose the stack)`);
        }
        if (this.target === Target.SWARM && this.networkMode === NetworkMode.HOST) {
          errors.push(
            'host networking does not apply under Swarm (services on several nodes reach each other over an overlay network): use NetworkMode.BRIDGE, which Swarm renders as an encrypted overlay network',
          );
        }
        return errors;
      },
    });
  }

  /** The container labels that carry this stack's project and service names under its target. */
  public get projectLabels(): ProjectLabels {
    return projectLabelsOf(this.target);
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
