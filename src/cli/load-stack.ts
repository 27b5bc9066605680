import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { App } from '../core/app.js';
import { UserError } from '../core/errors.js';
import { Stack } from '../core/stack.js';
import type { StackFileOptions } from '../core/stack-file.js';
import { parseTarget, Target, TARGETS } from '../core/target.js';

/** Root of this package (where `stacks/` and `templates/` live). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The stack used when none is given: `./stacks/aixcl.ts` if the current directory has one, else this package's. */
export function defaultStackFile(cwd = process.cwd()): string {
  const local = join(cwd, 'stacks', 'aixcl.ts');
  return existsSync(local) ? local : join(PACKAGE_ROOT, 'stacks', 'aixcl.ts');
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
  const file = resolve(stackFile ?? defaultStackFile());
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UserError(`stack file ${shown} not found: give the path of a .ts file with --stack`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (e) {
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
  const err = e instanceof Error ? e : new Error(String(e));
  const base = file.split('/').pop() ?? file;
  const frame = (err.stack ?? '').split('\n').find((l) => l.includes(base));
  const where = frame ? ` (at ${frame.trim().replace(/^at\s+/, '').replace(/^.*\((.*)\)$/, '$1')})` : '';
  return `${err.message}${where}`;
}
