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
