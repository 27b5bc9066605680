import { closest } from './did-you-mean.js';
import { UserError } from './errors.js';
import type { Target } from './target.js';

/**
 * What a stack file that exports a function is called with
 * (`export default function ({ context }: StackFileOptions) { ... }`).
 */
export interface StackFileOptions {
  /** `key=value` pairs given on the command line with `-c key=value`. */
  readonly context: Readonly<Record<string, string>>;
  /**
   * The target given with `--target` (pass it to your stacks: `new Stack(app, id, { target })`).
   * @default Target.COMPOSE
   */
  readonly target?: Target;
}

/**
 * Reads the context a stack file accepts, refusing keys and values it does
 * not know (so `-c network=brige` is an error, not silently the default).
 * @param allowed key -> the values it accepts, or `undefined` for any value
 */
export function readContext<K extends string>(options: StackFileOptions, allowed: Record<K, readonly string[] | undefined>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of Object.entries(options.context)) {
    if (!(key in allowed)) {
      const near = closest(key, Object.keys(allowed));
      throw new UserError(
        `unknown context '${key}'${near ? ` (did you mean -c ${near}=${value}?)` : ''}: this stack file takes ${Object.keys(allowed)
          .map((k) => `-c ${k}=...`)
          .join(', ')}`,
      );
    }
    const values = allowed[key as K];
    if (values && !values.includes(value)) {
      const near = closest(value, values);
      throw new UserError(`context ${key}=${value} is not one of ${values.join(', ')}${near ? ` (did you mean -c ${key}=${near}?)` : ''}`);
    }
    out[key as K] = value;
  }
  return out;
}
