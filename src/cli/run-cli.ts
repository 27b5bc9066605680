import { UserError } from '../core/errors.js';

/**
 * Runs a CLI's main function: a user's mistake prints its message and exits 1,
 * anything else is a bug and keeps its stack trace (exit 70, EX_SOFTWARE).
 */
export function runCli(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    if (UserError.isUserError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    }
  });
}
