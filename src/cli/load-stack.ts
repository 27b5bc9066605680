import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { basename, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from '../core/app.js';
import { UserError } from '../core/errors.js';
import { Stack } from '../core/stack.js';
import type { StackFileOptions } from '../core/stack-file.js';
import { importStackFile } from './import-stack-file.js';
import { locateStack } from './stack-location.js';
import { parseTarget, Target, TARGETS } from '../core/target.js';
import { PACKAGE_ROOT } from './package-root.js';

export { PACKAGE_ROOT };

/**
 * The stack file of a `--stack` option as every CLI reads it (a path, or `aixcl-cdk/NAME` for a
 * built-in stack); without one, the project's (package.json `"aixcl".stack`), else this package's
 * AIXCL stack. See {@link locateStack}.
 */
export function stackFileFor(stack?: string, cwd = process.cwd()): string {
  return locateStack(PACKAGE_ROOT, stack, cwd).file;
}

/** Parses `key=value` pairs given on the command line. */
export function parseContext(pairs: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UserError(`context '${p}' is not key=value (e.g. -c project=myapp)`);
    context[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return context;
}

/** Parses `--target`; undefined when not given. */
export function targetOption(value: string | undefined): Target | undefined {
  if (value === undefined) return undefined;
  const t = parseTarget(value);
  if (!t) throw new UserError(`--target ${value} is not one of ${TARGETS.join(', ')}`);
  return t;
}

/**
 * Loads a stack file (TypeScript or JavaScript, no compile step) and returns
 * its app. The file's default export is an App, a Stack, or a function
 * (possibly async) called with {@link StackFileOptions} that returns one.
 */
export async function loadApp(stackFile?: string, context: Record<string, string> = {}, target?: Target): Promise<App> {
  const file = resolve(stackFile ?? stackFileFor());
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UserError(`stack file ${shown} not found: give the path of a .ts file with --stack`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importStackFile(file, PACKAGE_ROOT);
  } catch (e) {
    // The compiler's own error (a UserError from import-stack-file.ts) may be a syntax error or a
    // missing import: parsing the file alone tells which.
    const syntax = syntaxError(file);
    if (syntax) throw new UserError(`the stack file ${shown} has a syntax error: ${syntax}`);
    throw new UserError(`the stack file ${shown} failed to load: ${describe(e, file)}`);
  }
  let exported = mod.default;
  // A CommonJS-style module puts the default export one level down.
  if (exported && typeof exported === 'object' && 'default' in exported && !App.isApp(exported) && !Stack.isStack(exported)) {
    exported = (exported as { default: unknown }).default;
  }
  let calledWithContext = false;
  if (typeof exported === 'function' && !App.isApp(exported) && !Stack.isStack(exported)) {
    calledWithContext = true;
    try {
      exported = await (exported as (o: StackFileOptions) => unknown)({ context, target: target ?? Target.COMPOSE });
    } catch (e) {
      throw new UserError(`the stack file ${shown} threw while building the stack: ${describe(e, file)}`);
    }
  }
  const keys = Object.keys(context);
  if (keys.length && !calledWithContext) {
    throw new UserError(
      `the stack file ${shown} does not take context (its default export is not a function), so -c ${keys.join(', -c ')} would be ignored: remove it, or export a function ({ context }) => App`,
    );
  }
  let app: App | undefined;
  if (App.isApp(exported)) app = exported;
  else if (Stack.isStack(exported) && App.isApp(exported.node.root)) app = exported.node.root;
  if (app) {
    // A stack built for another target than the one asked for would be synthesized for the wrong engine.
    const wrong = target ? app.stacks.filter((s) => s.target !== target) : [];
    if (wrong.length) {
      throw new UserError(
        `--target ${target} was given, but the stack file ${shown} builds ${wrong.map((s) => `'${s.node.path}' for ${s.target}`).join(', ')}: ` +
          `pass the target on (export a function ({ context, target }) => App and give each Stack { target }), or leave --target out`,
      );
    }
    return app;
  }
  throw new UserError(
    `the stack file ${shown} does not export a stack: end it with \`export default app\` (an App or a Stack, or a function returning one)`,
  );
}

/** A user's exception as one line, with the line of their file where it happened (not the whole trace). */
function describe(e: unknown, file: string): string {
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
function syntaxError(file: string): string | undefined {
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
function shownPath(p: string): string {
  const abs = p.startsWith('file://') ? fileURLToPath(p) : p;
  return relative(process.cwd(), abs) || abs;
}
