import { inspect } from 'node:util';

/** What process.exit() throws while it is refused: it stops the caller's code where it called it. */
export class ExitRefused extends Error {
  constructor(public readonly call: string) {
    super(`${call} was called while the stack was built: throw an Error instead, so the CLI can report it`);
    this.name = 'ExitRefused';
  }
}

/** Whose process.exit() calls {@link refusingExit} refuses, and how it reports what stopped the work. */
export interface Refusals {
  /** False for a call the CLI's own code makes (on Ctrl-C, a closed pipe), which goes through: `e`'s stack tells the caller. */
  readonly isGuarded: (e: ExitRefused) => boolean;
  /** For a process.exit() call. */
  readonly exit: (e: ExitRefused) => Error;
  /** For an exception no code caught (thrown in a callback, a timer's, or a rejection nobody handled). */
  readonly uncaught: (e: unknown) => Error;
}

/**
 * Runs `work` with process.exit() refused, and restores it after. A stack file that exits while
 * it loads would end the CLI with its own code, no message, and its compiled copy left behind:
 * instead the call throws an {@link ExitRefused}, and `work` ends with `refusals.exit(thatError)`,
 * even when the caller's own code caught the throw and went on, or called it from a callback.
 * An exception thrown in a callback while `work` runs ends it too, rather than the process.
 */
export async function refusingExit<T>(work: () => Promise<T>, refusals: Refusals): Promise<T> {
  const exit = process.exit;
  let exited: ExitRefused | undefined;
  let stop!: (e: Error) => void;
  const stopped = new Promise<never>((_resolve, reject) => (stop = reject));
  process.exit = ((code?: number | string | null) => {
    const call = new ExitRefused(`process.exit(${code === undefined ? '' : inspect(code)})`);
    if (!refusals.isGuarded(call)) exit.call(process, code);
    if (!exited) stop((exited = call));
    throw exited;
  }) as typeof process.exit;
  const onUncaught = (e: unknown) => {
    if (!(e instanceof ExitRefused)) stop(refusals.uncaught(e));
  };
  process.on('uncaughtException', onUncaught);
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await Promise.race([work(), stopped]) };
  } catch (error) {
    outcome = { error };
  } finally {
    process.exit = exit;
    process.off('uncaughtException', onUncaught);
  }
  if (exited) throw refusals.exit(exited);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
