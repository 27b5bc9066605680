import { RESOURCE_NAME_PATTERN } from '../core/name-patterns.js';
import { Construct } from 'constructs';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { checkedScope } from '../core/construct-args.js';

const NETWORK = Symbol.for('aixcl-cdk.Network');

/** The run-time schema of {@link NetworkProps}. */
export const networkSchema = propsSchema<NetworkProps>()(z.strictObject({ networkName: z.string().optional(), internal: z.boolean().optional() }));

/** Props of a {@link Network}. */
export interface NetworkProps {
  /**
   * Name of the network in the compose file. Docker names it `<project>_<name>`.
   * @default the construct id
   */
  readonly networkName?: string;
  /**
   * A network with no route out of the host.
   * @default false
   */
  readonly internal?: boolean;
}

/** A bridge network that services of a bridge-networked stack join. */
export class Network extends Construct {
  public static isNetwork(x: unknown): x is Network {
    return typeof x === 'object' && x !== null && NETWORK in x;
  }

  public readonly networkName: string;
  public readonly internal: boolean;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(checkedScope('Network', scope, id), id);
    Object.defineProperty(this, NETWORK, { value: true });
    props = checkProps(this, networkSchema, props, { owner: 'Network' });
    this.networkName = props.networkName ?? id;
    this.internal = props.internal ?? false;
    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (!RESOURCE_NAME_PATTERN.test(this.networkName)) {
          errors.push(`network name '${this.networkName}' is invalid: use letters, digits, '.', '_' and '-'`);
        }
        if (Stack.of(this).networkMode === 'host') {
          errors.push(`the stack uses host networking, where networks do not apply: remove this network or use NetworkMode.BRIDGE`);
        }
        return errors;
      },
    });
  }

  /** The name Docker gives the network. */
  public get dockerName(): string {
    return `${Stack.of(this).projectName}_${this.networkName}`;
  }

  /** @internal */
  public _toCompose(): Record<string, unknown> {
    return { driver: 'bridge', ...(this.internal ? { internal: true } : {}) };
  }
}
