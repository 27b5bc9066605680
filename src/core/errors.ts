/**
 * Errors a user can fix. The CLI prints these without a stack trace; anything
 * else is a bug in this library and keeps its trace.
 */
export class UserError extends Error {
  public readonly isUserError = true;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }

  /** True for errors the user caused, across copies of this library (src vs dist). */
  public static isUserError(e: unknown): e is UserError {
    return typeof e === 'object' && e !== null && (e as { isUserError?: unknown }).isUserError === true;
  }
}

/** One problem found in the construct tree. */
export interface Problem {
  /** Construct path, e.g. `aixcl/loki`. */
  readonly path: string;
  readonly message: string;
  /**
   * The paths of the constructs the problem's value comes from, when the problem follows from what the
   * user wrote there (a generated file's check of a value built from their props): synthesis drops it
   * when one of them has a problem of its own, which already names the mistake and its fix.
   */
  readonly after?: readonly string[];
}

/** Formats a problem the way every error of this tool is reported: `[path] message`. */
export function formatProblem(p: Problem): string {
  return `[${p.path || '<root>'}] ${p.message}`;
}

/** All the problems of a tree, reported at once. */
export class ValidationError extends UserError {
  constructor(public readonly problems: readonly Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the stack; nothing was written:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ValidationError';
  }
}

/**
 * A problem found while rendering a construct. Synthesis collects these
 * with the validation problems instead of stopping at the first one.
 */
export class ConstructError extends UserError {
  constructor(
    public readonly path: string,
    message: string,
  ) {
    super(`[${path}] ${message}`);
    this.name = 'ConstructError';
    this.problemMessage = message;
  }
  public readonly problemMessage: string;

  public static isConstructError(e: unknown): e is ConstructError {
    return UserError.isUserError(e) && typeof (e as { problemMessage?: unknown }).problemMessage === 'string';
  }
}

/** One problem of a check of a generated file, with the construct the checked value comes from (if it comes from one). */
export interface FileProblemPart {
  readonly message: string;
  /** The path of the construct the value comes from (see {@link Problem.after}). */
  readonly after?: string;
}

/**
 * The problems a generated file's check found, reported as one `prefix: part; part` message at the
 * file: synthesis leaves out each part whose value comes from a construct that has a problem of its
 * own (the same mistake, already reported where the user wrote it), and the whole message when no
 * part is left.
 */
export class FileProblemsError extends ConstructError {
  constructor(
    path: string,
    public readonly prefix: string,
    public readonly parts: readonly FileProblemPart[],
  ) {
    super(path, FileProblemsError.messageOf(prefix, parts));
    this.name = 'FileProblemsError';
  }

  /** The message with the given parts. */
  public static messageOf(prefix: string, parts: readonly FileProblemPart[]): string {
    const joined = parts.map((p) => p.message).join('; ');
    return prefix ? `${prefix}: ${joined}` : joined;
  }

  public static isFileProblemsError(e: unknown): e is FileProblemsError {
    return ConstructError.isConstructError(e) && Array.isArray((e as { parts?: unknown }).parts);
  }
}
