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
  /** For work that can never end: nothing is left to run and it has not settled (an await on a promise nothing resolves). */
  readonly hung: () => Error;
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
  // Node ends a process whose event loop is empty with code 0, whatever promise is still pending:
  // a stack file awaiting what nothing resolves would end the CLI silently, as if it had succeeded.
  const onEmptyLoop = () => stop(refusals.hung());
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  process.on('beforeExit', onEmptyLoop);
  let outcome: { value: T } | { error: unknown };
  try {
    const value = await Promise.race([work(), stopped]);
    // What the stack file scheduled to run at once (a timer of 0 ms, a rejected promise) runs
    // before anything is written, so that its failure stops the CLI here rather than after.
    await Promise.race([new Promise((r) => setTimeout(r, 0)).then(() => new Promise((r) => setImmediate(r))), stopped]);
    outcome = { value };
  } catch (error) {
    outcome = { error };
  } finally {
    process.exit = exit;
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    process.off('beforeExit', onEmptyLoop);
  }
  if (exited) throw refusals.exit(exited);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
