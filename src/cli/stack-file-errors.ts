// How a stack file's failures are told to its author: one line, at the line of their file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { Construct } from 'constructs';
import { UserError } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';
import { isCompiledCopy, sharedSpecifier } from './import-stack-file.js';
import { PACKAGE_ROOT } from './package-root.js';
import { listed, shownPath } from './stack-file-path.js';

/** A user's exception as one line, with the line of their file where it happened (not the whole trace). */
export function describe(e: unknown): string {
  // A stack file may throw anything: show a non-Error as what it is (a string, an object), not '[object Object]'.
  if (!(e instanceof Error) && !UserError.isUserError(e)) return `it threw ${inspect(e, { depth: 2, breakLength: Infinity })}, which is not an Error`;
  const error = e as Error;
  // The library's own messages too (Duration.parse, Secret.fromEnv): the line that called it is the one to fix.
  return error.message.includes('\n') ? error.message : `${error.message}${userLocation(error)}`;
}

/** Directories of this package whose code is the CLI's or the library's, not the user's (a built-in stack included). */
const OURS = ['bin', 'dist', 'src', 'stacks'].map((d) => join(PACKAGE_ROOT, d) + sep);

/**
 * ` (at file:line:column)` of the first frame of `e` in the user's own files (the stack file and what
 * it imports relatively, through the compiled copy's source map), or '' when none is.
 */
export function userLocation(e: Error): string {
  const frame = frames(e).find((f) => f.path !== undefined && isUsers(f.path));
  return frame ? ` (at ${shownPath(frame.path!)}:${frame.line}:${frame.column})` : '';
}

/** True when the function that made `e` was called from this package's own code (the CLI's Ctrl-C handler, say). */
export function calledByThisPackage(e: Error): boolean {
  const caller = frames(e)[1]?.path;
  return caller !== undefined && OURS.some((d) => (caller.startsWith('file://') ? fileURLToPath(caller) : caller).startsWith(d));
}

/** The frames of a stack trace, each with its file's absolute path or URL when it has one (not Node's `node:` modules). */
function frames(e: Error): Array<{ path?: string; line?: string; column?: string }> {
  return (e.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .map((l) => {
      const m = /(?:\(|at )((?:file:\/\/)?\/[^\s()]+?)(?:\?[^:\s()]*)?:(\d+):(\d+)\)?\s*$/.exec(l);
      return m ? { path: m[1], line: m[2], column: m[3] } : {};
    });
}

/** Not a package's (node_modules), not this package's, not the compiled copy of a stack file (unmapped helper code). */
function isUsers(path: string): boolean {
  const abs = path.startsWith('file://') ? fileURLToPath(path) : path;
  return !abs.split(sep).includes('node_modules') && !OURS.some((d) => abs.startsWith(d)) && !isCompiledCopy(abs);
}

/**
 * Node's link error for an imported name the module does not export (`import { Servce } from
 * 'aixcl-cdk'`), which names the bundle's file URL and no line: told with the package's name, the
 * line of the import and the nearest name it does export. Undefined for any other error.
 */
export async function missingExport(e: unknown): Promise<string | undefined> {
  const m = /^The requested module '([^']+)' does not provide an export named '([^']+)'/.exec(e instanceof Error && e.name === 'SyntaxError' ? e.message : '');
  if (!m) return undefined;
  const [, url, name] = m as unknown as [string, string, string];
  const module = sharedSpecifier(url) ?? (url.startsWith('file:') ? shownPath(url) : url);
  let names: string[] = [];
  try {
    names = Object.keys((await import(url)) as object);
  } catch {
    // Not loadable on its own: no suggestion.
  }
  const example = ['App', 'Construct'].find((n) => names.includes(n)) ?? names[0] ?? 'name';
  const what =
    name === 'default'
      ? `${module} has no default export: import the names you use, e.g. import { ${example} } from '${module}'`
      : `${module} has no export '${name}'${didYouMean(name, names) ?? ''}`;
  return `${what}${importLocation(e as Error)}`;
}

/**
 * ` (at file:line:column)` of a link error, from the source line Node puts above its stack (through
 * the source map: `file:line`, the line, and a caret under the name); '' when that is not a user's file.
 */
function importLocation(e: Error): string {
  const [first, , caret] = (e.stack ?? '').split('\n');
  const at = /^(.+):(\d+)$/.exec(first ?? '');
  if (!at || !isAbsolute(at[1]!.startsWith('file://') ? fileURLToPath(at[1]!) : at[1]!) || !isUsers(at[1]!)) return '';
  const column = caret?.indexOf('^') ?? -1;
  return ` (at ${shownPath(at[1]!)}:${at[2]}${column >= 0 ? `:${column + 1}` : ''})`;
}

/** What a stack file gave where an App or a Stack was expected. */
export interface Exported {
  /** Its default export, or what that returned when it is a function. */
  readonly value: unknown;
  /** The default export is a function, and `value` is what it returned. */
  readonly called: boolean;
  /** The stack file is CommonJS: its export is `module.exports`. */
  readonly commonJs: boolean;
  /** The module has a default export at all. */
  readonly hasDefault: boolean;
  /** Its other exports, by name. */
  readonly otherExports: readonly string[];
}

/** Why a stack file's export is not a stack, naming what it is, and what to write instead (to follow "the stack file X "). */
export function notAStack(e: Exported): string {
  const end = `end it with ${e.commonJs ? '`module.exports = app`' : '`export default app`'} (an App or a Stack, or a function returning one)`;
  if (!e.hasDefault) return `has no default export${e.otherExports.length ? ` (it exports ${listed(e.otherExports)})` : ''}: ${end}`;
  const subject = `${e.commonJs ? 'module.exports' : 'its default export'} is ${e.called ? 'a function that returned ' : ''}`;
  const fix = Construct.isConstruct(e.value)
    ? `${e.called ? 'return' : 'export'} its App or Stack instead`
    : e.called
      ? 'return the App or a Stack from it'
      : e.value instanceof Promise
        ? 'await it (`export default await ...`), or export the async function itself'
        : end;
  return `does not export a stack; ${subject}${what(e.value)}: ${fix}`;
}

/** A value as a message names it: `a Service (shop/api)`, `an object with app`, `undefined`. */
function what(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (Construct.isConstruct(v)) return `a ${v.constructor.name} (${v.node.path || 'the root'})`;
  if (typeof v === 'string') return `the string ${inspect(v)}`;
  if (typeof v !== 'object') return `the ${typeof v} ${String(v)}`;
  if (v instanceof Promise) return 'a Promise';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return `a ${(v as object).constructor?.name || 'object'}`;
  const keys = Object.keys(v);
  return keys.length ? `an object with ${listed(keys)}` : 'an empty object';
}

/** Names, the first five of them. */
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
