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
