import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from './errors.js';
import { MANIFEST_FILE, type Manifest, type SynthesizedStack } from './synthesizer.js';

/** What {@link writeSynthesis} did. Paths are relative to the output directory. */
export interface WriteResult {
  /** Every file of the synthesis, in order (the manifest of each stack last). */
  readonly files: readonly string[];
  /** Files created or replaced. */
  readonly written: readonly string[];
  /** Files whose content was already right, left untouched. */
  readonly unchanged: readonly string[];
  /** Files an earlier synthesis wrote that this one does not. */
  readonly removed: readonly string[];
}

/**
 * Writes synthesized stacks to `outdir`. It is called only with a complete,
 * valid synthesis (everything is rendered in memory first), so an invalid
 * stack writes nothing.
 *
 * - A new output directory is built beside it and renamed into place.
 * - An existing one is updated file by file: an unchanged file is not
 *   touched, a changed one is written beside and renamed over, a file the
 *   previous synthesis wrote and this one does not is removed, the manifest
 *   goes last. Files the user put there (an `.env`, say) are kept.
 *
 * Why not swap the whole directory: running containers bind-mount
 * directories of it (Grafana's provisioning). A swapped directory would
 * leave them on a deleted one while their configuration had not changed, so
 * nothing would recreate them.
 *
 * Refuses to write into a directory this tool did not write.
 */
export function writeSynthesis(outdir: string, stacks: readonly SynthesizedStack[]): WriteResult {
  if (!outdir.trim()) throw new UserError('the output path is empty: give a directory with --out (e.g. --out out)');
  const target = resolve(outdir);
  danglingLink(target);
  try {
    return writeInto(outdir, target, stacks);
  } catch (e) {
    throw outputPathError(e, target);
  }
}

/** A symbolic link whose destination does not exist: renaming onto it would replace the link, not fill its destination. */
function danglingLink(target: string): void {
  let link: string;
  try {
    if (!lstatSync(target).isSymbolicLink() || existsSync(target)) return;
    link = readlinkSync(target);
  } catch {
    return;
  }
  const shown = shownPath(target);
  throw new UserError(`the output path ${shown} is a symbolic link to ${link}, which does not exist: create that directory, or give another --out`);
}

function writeInto(outdir: string, target: string, stacks: readonly SynthesizedStack[]): WriteResult {
  const files = stacks.flatMap((s) => s.files.map((f) => (s.directory ? `${s.directory}/${f.path}` : f.path)));
  if (!existsSync(target)) {
    writeFresh(target, stacks);
    return { files, written: files, unchanged: [], removed: [] };
  }
  if (!statSync(target).isDirectory()) {
    throw new UserError(`the output path ${outdir} is a file: give a directory with --out`);
  }
  // This tool's own bookkeeping (temporary files, aixcl-deploy's key) does not make a directory foreign.
  const entries = readdirSync(target).filter((e) => !e.startsWith('.aixcl-'));
  const ours = entries.length === 0 || entries.includes(MANIFEST_FILE) || entries.every((e) => existsSync(join(target, e, MANIFEST_FILE)));
  if (!ours) {
    throw new UserError(`the output directory ${outdir} holds files that aixcl-cdk did not write (no ${MANIFEST_FILE}): choose another --out or empty it`);
  }
  const written: string[] = [];
  const unchanged: string[] = [];
  const removed: string[] = [];
  for (const s of stacks) {
    const dir = s.directory ? join(target, s.directory) : target;
    const rel = (p: string) => (s.directory ? `${s.directory}/${p}` : p);
    const previous = readManifest(join(dir, MANIFEST_FILE));
    for (const f of s.files) {
      const abs = join(dir, f.path);
      if (existsSync(abs) && sha256(readFileSync(abs)) === f.sha256) {
        unchanged.push(rel(f.path));
        continue;
      }
      mkdirSync(dirname(abs), { recursive: true });
      const tmp = join(dirname(abs), `.aixcl-tmp-${process.pid}-${f.path.split('/').pop()}`);
      writeFileSync(tmp, f.content);
      renameSync(tmp, abs);
      written.push(rel(f.path));
    }
    const next = new Set(s.files.map((f) => f.path));
    for (const old of previous?.files ?? []) {
      // The previous manifest is read from disk: never let it name a file outside the directory.
      const abs = resolve(dir, String(old.path));
      if (!isInside(abs, dir) || next.has(old.path) || !existsSync(abs)) continue;
      unlinkSync(abs);
      removed.push(rel(old.path));
      pruneEmptyDirs(dirname(abs), dir);
    }
  }
  return { files, written, unchanged, removed };
}

/** Builds a new output directory beside its final place, then renames it there. */
function writeFresh(target: string, stacks: readonly SynthesizedStack[]): void {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, '.aixcl-tmp-'));
  try {
    for (const s of stacks) {
      for (const f of s.files) {
        const abs = join(tmp, s.directory, f.path);
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, f.content);
      }
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** A path as messages show it: relative to the working directory when it is below it, else absolute. */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? path : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** Why a file system refuses a write, for the errors that come from where --out points (not from a bug). */
const WRITE_FAILURES = new Map([
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EROFS', 'read-only file system'],
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'disk quota exceeded'],
  // /proc, /sys: directories where nothing can be created.
  ['ENOENT', 'the file system does not let files be created there'],
  ['ENAMETOOLONG', 'a name is too long'],
  ['ELOOP', 'too many symbolic links'],
  ['EISDIR', 'a directory is where a file must go'],
]);

/** The user's mistake in an output path (a file where a directory must be, no permission) as a one-line error. */
function outputPathError(e: unknown, target: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  const shown = shownPath(target);
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    // Name the part of the path that is a file.
    let file = dirname(target);
    for (let d = file; d !== dirname(d); d = dirname(d)) if (existsSync(d) && !statSync(d).isDirectory()) file = d;
    return new UserError(`the output path ${shown} is below ${shownPath(file)}, which is a file: give a directory path with --out`);
  }
  if (code !== undefined && WRITE_FAILURES.has(code)) {
    return new UserError(`cannot write the output directory ${shown} (${code}: ${WRITE_FAILURES.get(code)}): choose a directory you can write with --out`);
  }
  return e;
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function pruneEmptyDirs(from: string, stop: string): void {
  for (let d = from; isInside(d, stop) && readdirSync(d).length === 0; d = dirname(d)) rmdirSync(d);
}

/** True when `path` is strictly below `dir`. */
function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
