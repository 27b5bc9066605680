import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { PACKAGE_ROOT } from './load-stack.js';
import { isComposeProjectName } from '../core/stack.js';

/** Options of {@link initProject}. */
export interface InitOptions {
  /** Compose project name. @default the directory name, made valid */
  readonly projectName?: string;
}

const TEMPLATE_DIR = join(PACKAGE_ROOT, 'templates', 'stack-project');

/** Template file -> path in the new project. */
const FILES: Record<string, string> = {
  'package.json.tmpl': 'package.json',
  'tsconfig.json.tmpl': 'tsconfig.json',
  'stack.ts.tmpl': 'stack.ts',
  'test/stack.test.ts.tmpl': 'test/stack.test.ts',
  'gitignore.tmpl': '.gitignore',
  'README.md.tmpl': 'README.md',
};

/**
 * Scaffolds a stack project of the user's own from `templates/`, the way
 * `cdk8s init` does. Returns the files created.
 */
export function initProject(dir: string, options: InitOptions = {}): string[] {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new UserError(`${dir} is a file: give a new directory to init`);
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new UserError(`${dir} exists and is not empty: give a new directory to init`);
  }
  const projectName = options.projectName ?? toProjectName(basename(target));
  if (!isComposeProjectName(projectName)) {
    throw new UserError(`'${projectName}' is not a valid Compose project name: use lower case letters, digits, '-' and '_' (--project-name)`);
  }
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const createdDir = !existsSync(target);
  mkdirSync(target, { recursive: true });
  let tarball: string;
  try {
    tarball = packInto(join(target, VENDOR_DIR));
  } catch (e) {
    if (createdDir) rmSync(target, { recursive: true, force: true });
    else rmSync(join(target, VENDOR_DIR), { recursive: true, force: true });
    throw e;
  }
  const values: Record<string, string> = {
    projectName,
    packageName: projectName,
    tarball,
    // A path inside the project (see packInto): never the machine's absolute path of this package.
    aixclCdk: `file:${VENDOR_DIR}/${tarball}`,
    tsx: own.dependencies.tsx!,
    // The versions this package is built and type-checked with (installed packages keep no
    // devDependencies of their own, hence the fallbacks, which are the same lines).
    typescript: own.devDependencies?.typescript ?? '~5.9.3',
    typesNode: own.devDependencies?.['@types/node'] ?? '^20.19.0',
  };
  const created: string[] = [`${VENDOR_DIR}/${tarball}`];
  for (const [from, to] of Object.entries(FILES)) {
    const text = readFileSync(join(TEMPLATE_DIR, from), 'utf8').replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);
    const abs = join(target, to);
    mkdirSync(resolve(abs, '..'), { recursive: true });
    writeFileSync(abs, text);
    created.push(to);
  }
  return created;
}

/** Where the scaffold keeps its copy of this package. */
const VENDOR_DIR = 'vendor';

/**
 * Packs this package (`npm pack`, the files its package.json lists) into `dir` and returns the
 * tarball's file name. aixcl-cdk is not on the npm registry, so the scaffold depends on this
 * tarball, inside the project: unlike an absolute `file:` path it works on another machine, in CI
 * and after the project (or this package's clone) moves; unlike a relative path to the clone it
 * does not break when either is moved; package-lock.json records its integrity, and it installs as
 * a registry package would (a copy in node_modules, not a symlink into a clone with its own
 * node_modules). `--ignore-scripts`: dist/ is already built (the bins run from it).
 */
function packInto(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
    throw new UserError(`could not pack aixcl-cdk into ${dir} with \`npm pack\` (is npm on the PATH?): ${why}`);
  }
  const [packed] = JSON.parse(r.stdout) as Array<{ filename: string }>;
  return basename(packed!.filename);
}

function toProjectName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '');
  return cleaned || 'my-stack';
}
