import { UserError } from '../core/errors.js';
import { ExitCode } from './exit-codes.js';

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
    const code = (e as { exitCode?: unknown } | undefined)?.exitCode;
    if (typeof code === 'number') return code;
    return UserError.isUserError(e) ? ExitCode.USER_ERROR : ExitCode.INTERNAL_ERROR;
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
 * A Docker API call failed (the daemon went away, or refused a request).
 * `changed` tells whether the failure came after the first change (undefined: not known).
 */
export function dockerFailure(e: unknown, changed?: boolean): DeployError | undefined {
  const err = e as { statusCode?: number; code?: string; json?: { message?: string }; message?: string };
  const isDocker = typeof err?.statusCode === 'number' || ['ECONNREFUSED', 'ENOENT', 'EPIPE', 'ECONNRESET', 'ETIMEDOUT'].includes(err?.code ?? '');
  if (!isDocker || UserError.isUserError(e)) return undefined;
  const why = err.json?.message ?? err.message ?? String(e);
  return new DeployError(
    `the Docker daemon failed a request: ${why.replace(/^\(HTTP code \d+\) [a-z ]+ - /i, '').trim()}. ` +
      (changed === undefined ? '' : changed ? 'The stack is partly deployed: run the same command again once the daemon is healthy.' : 'Nothing was changed.'),
    ExitCode.FAILED,
  );
}
