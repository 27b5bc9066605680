// How a stack file's failures are told to its author: one line, at the line of their file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { UserError } from '../core/errors.js';

/** A user's exception as one line, with the line of their file where it happened (not the whole trace). */
export function describe(e: unknown, file: string): string {
  if (UserError.isUserError(e)) return e.message;
  // A stack file may throw anything: show a non-Error as what it is (a string, an object), not '[object Object]'.
  if (!(e instanceof Error)) return `it threw ${inspect(e, { depth: 2, breakLength: Infinity })}, which is not an Error`;
  const base = basename(file);
  const frame = (e.stack ?? '').split('\n').find((l) => /^\s+at /.test(l) && l.includes(base));
  const location = frame ? /((?:file:\/\/)?\/[^\s()]+?)(?:\?[^:\s()]*)?:(\d+):(\d+)\)?\s*$/.exec(frame) : null;
  const where = location ? ` (at ${shownPath(location[1])}:${location[2]}:${location[3]})` : '';
  return `${e.message}${where}`;
}

/**
 * Where a stack file does not parse, as `file:line:column: message`, or undefined when it parses.
 * The loader's own parse errors do not say where (or say 1:1), so the file is parsed again with
 * esbuild, the parser tsx itself uses (a dependency of tsx, resolved from it).
 */
export function syntaxError(file: string): string | undefined {
  let esbuild: { transformSync(code: string, options: object): unknown };
  try {
    esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild') as typeof esbuild;
  } catch {
    return undefined;
  }
  const loader = /\.[cm]?tsx?$/.test(file) ? (file.endsWith('x') ? 'tsx' : 'ts') : file.endsWith('x') ? 'jsx' : 'js';
  try {
    esbuild.transformSync(readFileSync(file, 'utf8'), { loader, format: 'esm', sourcefile: file, logLevel: 'silent' });
    return undefined;
  } catch (e) {
    const first = (e as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors?.[0];
    if (!first) return undefined;
    // esbuild's columns count from 0; editors and compilers count from 1.
    const at = first.location ? `:${first.location.line}:${first.location.column + 1}` : '';
    return `${shownPath(file)}${at}: ${first.text}`;
  }
}

/** A path (or file URL) as the user would type it: relative to the working directory. */
export function shownPath(p: string): string {
  const abs = p.startsWith('file://') ? fileURLToPath(p) : p;
  return relative(process.cwd(), abs) || abs;
}
