import { Command, CommanderError } from 'commander';
import { closest } from '../core/did-you-mean.js';
import { UserError } from '../core/errors.js';
import { shellWord } from './shell-word.js';
import { ExitCode, exitCodeOf } from '../core/exit-codes.js';

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /** Turns an error that is not a {@link UserError} into one (e.g. a Docker API failure), or returns undefined. */
  readonly classify?: (e: unknown) => UserError | undefined;
}

/**
 * Runs a commander program to the end and resolves to its exit code (nothing
 * is thrown): a user's mistake prints `error: message` and ends with its code
 * (2 unless it says otherwise), anything else is a bug and keeps its stack
 * trace (70, EX_SOFTWARE). The program must call `exitOverride()`.
 */
export async function runProgram(program: Command, argv: readonly string[], options: RunProgramOptions = {}): Promise<number> {
  ignoreClosedPipes();
  try {
    process.exitCode = 0;
    // `help stauts`: commander prints the general help and fails; name the unknown command instead.
    const [first, second] = argv.slice(2);
    if (first === 'help' && second !== undefined && !second.startsWith('-') && !program.commands.some((c) => c.name() === second)) {
      refuseUnknownCommand(program, [second]);
    }
    await program.parseAsync([...argv]);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    // Commander has printed its message; --help and --version end here too, with code 0.
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.OK : ExitCode.USER_ERROR;
    const err = UserError.isUserError(e) ? e : options.classify?.(e);
    if (err) {
      process.stderr.write(`error: ${err.message.trimEnd()}\n`);
      return exitCodeOf(err);
    }
    process.stderr.write(`internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return ExitCode.INTERNAL_ERROR;
  }
}

let pipesHandled = false;

/**
 * `aixcl-deploy status | head -1`: when the reader closes the pipe, writing
 * to it fails with EPIPE. That is the reader saying it has enough, not an
 * error: stop quietly (as `cat` and `ls` do when killed by SIGPIPE, which
 * Node ignores).
 */
export function ignoreClosedPipes(): void {
  if (pipesHandled) return;
  pipesHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(Number(process.exitCode ?? 0));
      throw e;
    });
  }
}

/** The command (or `help`) a mistyped word is most likely meant to be: a few edits away. */
export function nearestCommand(program: Command, word: string): string | undefined {
  const names = program.commands.map((c) => c.name()).concat('help');
  return closest(word, names);
}

/**
 * For a command that takes no arguments: a word given to it is a command name
 * the CLI does not have. Say so, with the nearest command, rather than
 * commander's "too many arguments".
 */
export function refuseUnknownCommand(program: Command, args: readonly string[]): void {
  if (!args.length) return;
  const names = program.commands.map((c) => c.name()).concat('help');
  // `aixcl-deploy --json status`: the options went to the default command, and the command came after them.
  if (program.commands.some((c) => c.name() === args[0])) {
    const argv = process.argv.slice(2);
    const at = argv.indexOf(args[0]!);
    const fixed = [args[0]!, ...argv.slice(0, at), ...argv.slice(at + 1)].map(shellWord);
    throw new UserError(`'${args[0]}' is a command: give it first, then its options (${program.name()} ${fixed.join(' ')})`);
  }
  const near = nearestCommand(program, args[0]!);
  throw new UserError(
    `unknown command '${args[0]}'${near ? ` (did you mean '${near}'?)` : ''}: the commands are ${names.join(', ')} (${program.name()} --help)`,
  );
}

/**
 * Ends the process with `code` once what was written to stdout and stderr is out. A stack file may
 * leave a timer or an interval behind (a client it opened, a poll): the CLI's work is done, and it
 * must neither wait for it forever nor let a later failure of it print a trace after the result.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map((s) => new Promise<void>((resolve) => (s.writableLength === 0 ? resolve() : s.write('', () => resolve())))),
  );
  process.exit(code);
}
