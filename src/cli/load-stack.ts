import { resolve } from 'node:path';
import { App, trackApps } from '../core/app.js';
import { UserError } from '../core/errors.js';
import { Stack } from '../core/stack.js';
import type { StackFileOptions } from '../core/stack-file.js';
import { importStackFile, type ImportedStackFile } from './import-stack-file.js';
import { refusingExit, type ExitRefused } from './exit-guard.js';
import { calledByThisPackage, describe, type Exported, missingExport, notAStack, syntaxError, userLocation } from './stack-file-errors.js';
import { checkStackFilePath, shownPath } from './stack-file-path.js';
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
  const shown = shownPath(file);
  checkStackFilePath(file);
  // The CLI's paths (--out, .env) are from where it was run: a stack file's process.chdir() is undone.
  const cwd = process.cwd();
  const refusals = {
    isGuarded: (e: ExitRefused) => !calledByThisPackage(e),
    exit: (e: ExitRefused) =>
      new UserError(`the stack file ${shown} called ${e.call} while building the stack${userLocation(e)}: throw an Error instead, so the CLI can report it`),
    uncaught: (e: unknown) => new UserError(`the stack file ${shown} failed to load: ${describe(e)}`),
    hung: () =>
      new UserError(
        `the stack file ${shown} never finished loading: it awaits something that nothing will resolve (a promise that is never settled), and nothing else is left to run: resolve it, or drop the await`,
      ),
  };
  let loaded: { result: Exported; apps: App[] };
  try {
    loaded = await oneAtATime(() => trackApps(() => refusingExit(() => buildStack(file, shown, context, target), refusals)));
  } finally {
    if (process.cwd() !== cwd) process.chdir(cwd);
  }
  const { result: built, apps } = loaded;
  const { value: exported, called } = built;
  const keys = Object.keys(context);
  if (keys.length && !called) {
    throw new UserError(
      `the stack file ${shown} does not take context (its default export is not a function), so -c ${keys.join(', -c ')} would be ignored: remove it, or export a function ({ context }) => App`,
    );
  }
  let app: App | undefined;
  if (App.isApp(exported)) app = exported;
  else if (Stack.isStack(exported) && App.isApp(exported.node.root)) app = exported.node.root;
  if (app) {
    // Stacks in an App that is not the exported one would be left out without a word.
    const others = apps.filter((a) => a !== app && a.stacks.length > 0);
    if (others.length) {
      const stacks = others.flatMap((a) => a.stacks.map((st) => `'${st.node.path}'`));
      throw new UserError(
        `the stack file ${shown} makes ${apps.length} Apps and exports one: ${stacks.join(', ')} ${stacks.length === 1 ? 'is' : 'are'} in another App and would not be synthesized: make one App and create every Stack in it`,
      );
    }
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
  throw new UserError(`the stack file ${shown} ${notAStack(built)}`);
}

/** The load under way: loads run one after another, as each patches process-wide state (process.exit, the App tracker) and restores it. */
let loading: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = loading.then(work, work);
  loading = run.catch(() => undefined);
  return run;
}

/** Imports the stack file and, if its default export is a function, calls it: what it exports, or what that returned. */
async function buildStack(file: string, shown: string, context: Record<string, string>, target?: Target): Promise<Exported> {
  let imported: ImportedStackFile;
  try {
    imported = await importStackFile(file, PACKAGE_ROOT);
  } catch (e) {
    // The compiler's own error (a UserError from import-stack-file.ts) may be a syntax error or a
    // missing import: parsing the file alone tells which.
    const syntax = syntaxError(file);
    if (syntax) throw new UserError(`the stack file ${shown} has a syntax error: ${syntax}`);
    throw new UserError(`the stack file ${shown} failed to load: ${(await missingExport(e)) ?? describe(e)}`);
  }
  const { module: mod, commonJs } = imported;
  let value = mod.default;
  // A CommonJS-style module puts the default export one level down.
  if (value && typeof value === 'object' && 'default' in value && !App.isApp(value) && !Stack.isStack(value)) {
    value = (value as { default: unknown }).default;
  }
  const called = typeof value === 'function' && !App.isApp(value) && !Stack.isStack(value);
  if (called) {
    try {
      value = await (value as (o: StackFileOptions) => unknown)({ context, target: target ?? Target.COMPOSE });
    } catch (e) {
      throw new UserError(`the stack file ${shown} threw while building the stack: ${describe(e)}`);
    }
  }
  return { value, called, commonJs, hasDefault: 'default' in mod, otherExports: Object.keys(mod).filter((k) => k !== 'default') };
}
