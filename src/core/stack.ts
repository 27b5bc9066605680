import { isIP } from 'node:net';
import { Construct, IConstruct } from 'constructs';
import { UserError } from './errors.js';
import { checkProps, enumOf, isOnFallbacks, propsSchema } from './props.js';
import { z } from 'zod';
import { ipAddress } from './value-schemas.js';

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

/** The run-time schema of {@link StackProps} (see core/props.ts). */
export const stackSchema = propsSchema<StackProps>()(
  z.strictObject({
    projectName: z.string().optional(),
    networkMode: enumOf<NetworkMode>('NetworkMode', () => NetworkMode).optional(),
    bindAddress: ipAddress.optional(),
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

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id);
    Object.defineProperty(this, STACK, { value: true });
    // A subclass may take props of its own and pass them all on: it checks them itself (strictly), so
    // here only the Stack's props are checked.
    props = checkProps(this, new.target === Stack ? stackSchema : stackSchema.strip(), props, { owner: new.target.name || 'Stack' });
    this.projectName = props.projectName ?? id;
    this.networkMode = props.networkMode ?? NetworkMode.BRIDGE;
    // Kept bare ('::1', not '[::1]'): each program that joins it with a port adds brackets itself.
    this.bindAddress = (props.bindAddress ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (!isOnFallbacks(this, 'projectName') && !isComposeProjectName(this.projectName)) {
          errors.push(
            `project name '${this.projectName}' is not a valid Compose project name: use lower case letters, digits, '-' and '_', starting with a letter or digit`,
          );
        }
        return errors;
      },
    });
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
