import { UserError } from '../core/errors.js';
import { describeDockerError } from './daemon-message.js';
import { ExitCode, exitCodeOf } from '../core/exit-codes.js';

/**
 * A problem a user can fix, found before anything was changed (unless the
 * message says otherwise). The CLI prints the message without a stack trace
 * and exits with {@link exitCode}.
 */
export class DeployError extends UserError {
  constructor(
    message: string,
    public readonly exitCode: ExitCode = ExitCode.USER_ERROR,
  ) {
    super(message);
    this.name = 'DeployError';
  }

  /** The exit code an error stands for, across copies of this library. */
  public static exitCodeOf(e: unknown): ExitCode {
    return exitCodeOf(e);
  }
}

/** The Docker daemon did not answer. */
export class DaemonUnreachableError extends DeployError {
  constructor(message: string) {
    super(message, ExitCode.DAEMON_UNREACHABLE);
    this.name = 'DaemonUnreachableError';
  }
}

/**
 * An error of the connection to the daemon: refused, reset, broken, timed
 * out, or its socket gone (`connect ENOENT`). A file that is missing here
 * (`open ENOENT`) is not one: it did not come from the daemon.
 */
function isConnectionError(err: { code?: string; syscall?: string } | undefined): boolean {
  const code = err?.code ?? '';
  if (['ECONNREFUSED', 'EPIPE', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) return true;
  if (code === 'ENOENT') return err?.syscall === 'connect';
  return false;
}

/**
 * A Docker API call failed (the daemon went away, or refused a request).
 * `changed` tells whether the failure came after the first change (undefined: not known).
 */
export function dockerFailure(e: unknown, changed?: boolean): DeployError | undefined {
  const err = e as { statusCode?: number; code?: string; syscall?: string; json?: { message?: string }; message?: string };
  if (UserError.isUserError(e)) return undefined;
  if (typeof err?.statusCode !== 'number' && !isConnectionError(err)) return undefined;
  return new DeployError(
    `the Docker daemon failed a request: ${describeDockerError(e).replace(/\.$/, '')}. ` +
      (changed === undefined ? '' : changed ? 'The stack is partly deployed: run the same command again once the daemon is healthy.' : 'Nothing was changed.'),
    ExitCode.FAILED,
  );
}
