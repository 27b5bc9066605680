/**
 * The exit codes of every CLI of this package (aixcl-synth, aixcl-deploy,
 * aixcl-logs). One kind of failure has one code whichever CLI reports it, so
 * a script can tell "fix your input" from "the stack is broken" from "a
 * program the CLI talks to did not answer". The README's exit-code table is
 * {@link exitCodeTable} (scripts/exit-codes-table.ts prints it; a test
 * compares the two).
 *
 * 2 for a usage or input error follows the convention of POSIX utilities and
 * shells (bash's builtins, grep, diff use 2 for "could not do the job"): 1
 * stays free for "did the job, and the answer is bad" (a service failed).
 */
export enum ExitCode {
  /** Done: written, up (every service running, healthy where it has a healthcheck), shown. */
  OK = 0,
  /** A required service failed (exited, unhealthy, not healthy in time, could not start), or the daemon (aixcl-logs: Loki) failed a request. */
  FAILED = 1,
  /** Your input: an invalid stack, option, context or command; a missing variable, image, port or name. Nothing was written or changed. */
  USER_ERROR = 2,
  /** Degraded: only optional services (e.g. Loki or Promtail) failed; the others are up. */
  DEGRADED = 3,
  /** A program the CLI talks to (the Docker daemon, Loki) could not be reached. Nothing was changed. */
  UNREACHABLE = 4,
  /** The same code as {@link ExitCode.UNREACHABLE} (its first name, from aixcl-deploy). */
  // eslint-disable-next-line @typescript-eslint/no-duplicate-enum-values -- an alias kept for the deploy API's users
  DAEMON_UNREACHABLE = 4,
  /** A bug in this package: the message has a stack trace to report. */
  INTERNAL_ERROR = 70,
  /** Interrupted (Ctrl-C). Run the same command again: it converges from wherever it stopped. */
  INTERRUPTED = 130,
}

/** The CLIs that can end with each code, and what it means for a user (one row of the README's table). */
export const EXIT_CODE_MEANINGS: ReadonlyArray<{ readonly code: ExitCode; readonly clis: string; readonly meaning: string }> = [
  {
    code: ExitCode.OK,
    clis: 'all',
    meaning:
      'done: files written (synth); the stack is up, every service running and healthy where it has a healthcheck (deploy); `diff`, `down`, `status` done',
  },
  {
    code: ExitCode.FAILED,
    clis: 'deploy, logs',
    meaning:
      'a required service failed (exited, unhealthy, not healthy in time, could not start): it is named, with its last log lines and healthcheck output; or the daemon failed a request (aixcl-logs: Loki failed, a 5xx, or still busy after the retries of 429)',
  },
  {
    code: ExitCode.USER_ERROR,
    clis: 'all',
    meaning:
      'your input, and nothing was written or changed: an invalid stack, option, context or command; a missing variable or image; a name collision; a host port in use; an output directory that cannot be written; a project that does not exist (`status -p`)',
  },
  { code: ExitCode.DEGRADED, clis: 'deploy', meaning: 'degraded: only optional services (e.g. Loki) failed; the others are up' },
  { code: ExitCode.UNREACHABLE, clis: 'deploy, logs', meaning: 'the Docker daemon could not be reached (aixcl-logs: Loki); nothing was changed' },
  { code: ExitCode.INTERNAL_ERROR, clis: 'all', meaning: 'internal error: a bug (the message has a trace to report)' },
  { code: ExitCode.INTERRUPTED, clis: 'all', meaning: 'interrupted (Ctrl-C); run the same command again: it converges from wherever it stopped' },
];

/** The README's exit-code table (Markdown). */
export function exitCodeTable(): string {
  const rows = EXIT_CODE_MEANINGS.map((r) => `| ${r.code} | ${r.clis} | ${r.meaning} |`);
  return ['| code | CLIs | meaning |', '|---|---|---|', ...rows].join('\n') + '\n';
}

/** The exit codes a CLI can end with, for its `--help` (`cli` is 'synth', 'deploy' or 'logs'). */
export function exitCodeHelp(cli: string): string {
  const lines = EXIT_CODE_MEANINGS.filter((r) => r.clis === 'all' || r.clis.split(', ').includes(cli)).map(
    (r) => `  ${String(r.code).padEnd(4)} ${wrap(r.meaning.replace(/`/g, ''), 92).join('\n       ')}`,
  );
  return `Exit codes: the same in every aixcl CLI\n${lines.join('\n')}`;
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** The exit code an error stands for: its own `exitCode`, else 2 for a user's mistake, else 70. */
export function exitCodeOf(e: unknown): ExitCode {
  const code = (e as { exitCode?: unknown } | undefined)?.exitCode;
  if (typeof code === 'number') return code;
  return typeof e === 'object' && e !== null && (e as { isUserError?: unknown }).isUserError === true ? ExitCode.USER_ERROR : ExitCode.INTERNAL_ERROR;
}
