/**
 * What a stack file that exports a function is called with
 * (`export default function ({ context }: StackFileOptions) { ... }`).
 */
export interface StackFileOptions {
  /** `key=value` pairs given on the command line with `-c key=value`. */
  readonly context: Readonly<Record<string, string>>;
}
