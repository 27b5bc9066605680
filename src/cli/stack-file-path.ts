import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest } from '../core/did-you-mean.js';
import { UserError } from '../core/errors.js';

/** The kinds of file the CLIs load as a stack file (TypeScript or JavaScript, ES module or CommonJS). */
export const STACK_FILE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'] as const;

const KINDS = `${STACK_FILE_EXTENSIONS.slice(0, -1).join(', ')} or ${STACK_FILE_EXTENSIONS.at(-1)}`;

/** A name of a stack file: one of {@link STACK_FILE_EXTENSIONS}, not a type declaration (`.d.ts`). */
export function isStackFileName(name: string): boolean {
  return STACK_FILE_EXTENSIONS.some((e) => name.endsWith(e)) && !/\.d\.[cm]?ts$/.test(name);
}

/**
 * Refuses a path that is not a stack file to load, saying what it is instead and what to give: a
 * directory (with the stack files in it), a missing file (with the near one that exists), or a
 * file of another kind.
 */
export function checkStackFilePath(file: string): void {
  const shown = shownPath(file);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    const files = stackFilesIn(file).map((f) => shownPath(join(file, f)));
    if (!files.length)
      throw new UserError(`${shown} is a directory, not a stack file, and has none in it (${KINDS}): give the path of a stack file with --stack`);
    throw new UserError(`${shown} is a directory, not a stack file: give one of the stack files in it with --stack (${listed(files)})`);
  }
  if (!stat) {
    const near = nearStackFile(file);
    throw new UserError(
      `stack file ${shown} not found: ${near ? `did you mean --stack ${shownPath(near)}?` : `give the path of a stack file (${KINDS}) with --stack`}`,
    );
  }
  if (!isStackFileName(file)) throw new UserError(`${shown} is not a stack file (${KINDS}): give the path of one with --stack`);
}

/** The stack files directly in `dir`, by name; none when it cannot be read. */
function stackFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && isStackFileName(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * A stack file beside a missing `file` that was probably meant: the same name with another
 * extension (`shop.js` for `shop.ts`, `stack` for `stack.ts`), else a name a typo away.
 */
function nearStackFile(file: string): string | undefined {
  const files = stackFilesIn(dirname(file));
  const name = basename(file);
  const stem = (f: string) => f.replace(/\.[^.]*$/, '');
  const near = files.find((f) => stem(f) === stem(name) || stem(f) === name) ?? closest(name, files);
  return near === undefined ? undefined : join(dirname(file), near);
}

/** A path (or file URL) as the user would type it: relative to the working directory. */
export function shownPath(p: string): string {
  const abs = p.startsWith('file://') ? fileURLToPath(p) : p;
  return relative(process.cwd(), abs) || abs;
}

/** Names in a message: the first five, then '...'. */
export function listed(names: readonly string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', ');
}
