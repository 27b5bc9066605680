import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';

/** The field of a project's package.json that names its stack file: `"aixcl": { "stack": "stack.ts" }`. */
export const PACKAGE_JSON_FIELD = 'aixcl';
/** How a built-in stack of this package is named on the command line: `--stack aixcl-cdk/logging-only`. */
export const BUILT_IN_PREFIX = 'aixcl-cdk/';

/** The stack file a CLI uses, and why that one. */
export interface StackLocation {
  /** Absolute path of the stack file. */
  readonly file: string;
  /** Where the choice came from, in words (printed by the CLIs). */
  readonly source: string;
  /**
   * The project's directory when the stack was found through its package.json: a default output
   * directory (the App's outdir, `out`) is there, wherever in the project the CLI runs.
   */
  readonly projectDir?: string;
}

/** Where a CLI writes: `--out` as given (from the working directory), else the App's outdir in the project's directory. */
export function outputDirectory(location: StackLocation, out: string | undefined, appOutdir: string): string {
  if (out !== undefined) return out;
  return location.projectDir ? relative(process.cwd(), resolve(location.projectDir, appOutdir)) || '.' : appOutdir;
}

/**
 * Finds the stack file to load, in this order:
 * 1. `--stack`: a path, or `aixcl-cdk/NAME` for a stack shipped with this package (`stacks/NAME.ts`);
 * 2. the `"aixcl": { "stack": ... }` field of the nearest package.json, from `cwd` up (a scaffold
 *    from `aixcl-synth init` has one), relative to that package.json;
 * 3. this package's default AIXCL stack (`stacks/aixcl.ts`).
 * The way cdk8s reads `app` from cdk8s.yaml and the AWS CDK from cdk.json: inside a project, the
 * project's own stack, without flags.
 */
export function locateStack(packageRoot: string, stack?: string, cwd = process.cwd()): StackLocation {
  if (stack !== undefined) {
    const builtIn = builtInStack(packageRoot, stack, cwd);
    return builtIn ?? { file: resolve(cwd, stack), source: '--stack' };
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const pkgFile = join(dir, 'package.json');
    if (existsSync(pkgFile)) {
      const declared = declaredStack(pkgFile);
      if (declared !== undefined) return { file: resolve(dir, declared), source: `"${PACKAGE_JSON_FIELD}.stack" of ${shown(pkgFile, cwd)}`, projectDir: dir };
    }
    if (dirname(dir) === dir) break;
  }
  return {
    file: join(packageRoot, 'stacks', 'aixcl.ts'),
    source: `the default AIXCL stack: no --stack, and no package.json with "${PACKAGE_JSON_FIELD}.stack"`,
  };
}

/** `aixcl-cdk/NAME` -> this package's `stacks/NAME.ts`, unless a file of that name exists where the user is. */
function builtInStack(packageRoot: string, stack: string, cwd: string): StackLocation | undefined {
  if (!stack.startsWith(BUILT_IN_PREFIX) || existsSync(resolve(cwd, stack))) return undefined;
  const name = stack.slice(BUILT_IN_PREFIX.length).replace(/\.ts$/, '');
  const names = builtInStackNames(packageRoot);
  if (!names.includes(name)) {
    throw new UserError(`'${stack}' is not a stack of aixcl-cdk: the built-in stacks are ${names.map((n) => BUILT_IN_PREFIX + n).join(', ')}`);
  }
  return { file: join(packageRoot, 'stacks', `${name}.ts`), source: `the built-in stack ${BUILT_IN_PREFIX}${name}` };
}

/** Names of the stacks shipped in this package's `stacks/`. */
export function builtInStackNames(packageRoot: string): string[] {
  return readdirSync(join(packageRoot, 'stacks'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function declaredStack(pkgFile: string): string | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  } catch {
    return undefined; // not ours to judge; npm reports a broken package.json
  }
  const field = (pkg as Record<string, unknown> | null)?.[PACKAGE_JSON_FIELD];
  if (field === undefined) return undefined;
  const file = (field as { stack?: unknown } | null)?.stack;
  if (typeof file !== 'string' || file === '') {
    throw new UserError(
      `${pkgFile}: "${PACKAGE_JSON_FIELD}" must be an object with "stack", the path of the stack file (e.g. "${PACKAGE_JSON_FIELD}": { "stack": "stack.ts" })`,
    );
  }
  return file;
}

function shown(file: string, cwd: string): string {
  return relative(cwd, file) || file;
}
