/**
 * Exit codes of `aixcl-deploy`. Scripts can tell "fix your input" (nothing
 * was changed) from "the stack is broken" and from "the stack runs, but an
 * optional part (e.g. logs) does not".
 */
export enum ExitCode {
  /** The stack is up: every service running, and healthy where it has a healthcheck (or: the command did what was asked). */
  OK = 0,
  /** A required service failed (exited, unhealthy, not healthy in time, could not start): the stack is not up. */
  FAILED = 1,
  /** Nothing was changed: the stack, an option, a variable, an image, a name or a port is wrong. */
  USER_ERROR = 2,
  /** Degraded: only optional services failed (e.g. Loki or Promtail); the others are up. */
  DEGRADED = 3,
  /** The Docker daemon could not be reached. Nothing was changed. */
  DAEMON_UNREACHABLE = 4,
  /** A bug in aixcl-deploy (the message has a stack trace to report). */
  INTERNAL_ERROR = 70,
  /** Interrupted (Ctrl-C). Run the command again to finish: it converges from wherever it stopped. */
  INTERRUPTED = 130,
}
