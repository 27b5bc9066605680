import { RESOURCE_NAME_PATTERN } from '../core/name-patterns.js';
import { Construct } from 'constructs';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { checkedScope } from '../core/construct-args.js';

const VOLUME = Symbol.for('aixcl-cdk.Volume');

/** The run-time schema of {@link VolumeProps}. */
export const volumeSchema = propsSchema<VolumeProps>()(
  z.strictObject({ volumeName: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
);

/** Props of a {@link Volume}. */
export interface VolumeProps {
  /**
   * Name of the volume in the compose file. Docker names it `<project>_<name>`.
   * @default the construct id
   */
  readonly volumeName?: string;
  /** Labels on the volume. @default none */
  readonly labels?: Record<string, string>;
}

/** A named Docker volume. Data in it survives `down` and `up`. */
export class Volume extends Construct {
  public static isVolume(x: unknown): x is Volume {
    return typeof x === 'object' && x !== null && VOLUME in x;
  }

  public readonly volumeName: string;
  public readonly labels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: VolumeProps = {}) {
    super(checkedScope('Volume', scope, id), id);
    Object.defineProperty(this, VOLUME, { value: true });
    props = checkProps(this, volumeSchema, props, { owner: 'Volume' });
    this.volumeName = props.volumeName ?? id;
    this.labels = props.labels ?? {};
    this.node.addValidation({
      validate: () =>
        RESOURCE_NAME_PATTERN.test(this.volumeName) ? [] : [`volume name '${this.volumeName}' is invalid: use letters, digits, '.', '_' and '-'`],
    });
  }

  /** The name Docker gives the volume. */
  public get dockerName(): string {
    return `${Stack.of(this).projectName}_${this.volumeName}`;
  }

  /** @internal */
  public _toCompose(): Record<string, unknown> {
    return Object.keys(this.labels).length ? { labels: sortKeys(this.labels) } : {};
  }
}

/** @internal */
export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
