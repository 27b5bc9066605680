import { existsSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DeployError } from './errors.js';

/**
 * Checks that the output directory `dir` can be written (created where it
 * is missing), before anything is changed: its nearest existing ancestor
 * must be a directory in which a file can really be created (this also
 * catches a read-only file system, and works for root, whom permission
 * bits do not stop).
 * @throws DeployError with one sentence saying why not
 */
export function checkOutputDirectory(dir: string): void {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const fail = (why: string) => new DeployError(`cannot write the output directory ${dir}: ${why}; choose another --out (nothing was changed)`);
  if (!statSync(existing).isDirectory()) throw fail(`${existing} is a file, not a directory`);
  try {
    rmdirSync(mkdtempSync(join(existing, '.aixcl-tmp-')));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw fail(`${existing} is not writable (${err.code ?? err.message})`);
  }
}

/** The message of a failure to write the output directory, as a {@link DeployError}. */
export function outputWriteError(dir: string, e: unknown): DeployError {
  const err = e as NodeJS.ErrnoException;
  const why = err?.code && err.path ? `${err.path}: ${err.code}` : (err?.message ?? String(e));
  return new DeployError(
    `cannot write the output directory ${dir} (${why}): make it writable or choose another --out; nothing on the Docker daemon was changed`,
  );
}
