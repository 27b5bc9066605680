import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
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
    version: string;
    dependencies: Record<string, string>;
  };
  // Installed from the registry: depend on this version; from a clone: on the clone itself.
  const installed = PACKAGE_ROOT.split(sep).includes('node_modules');
  const values: Record<string, string> = {
    projectName,
    packageName: projectName,
    aixclCdk: installed ? `^${own.version}` : `file:${PACKAGE_ROOT}`,
    tsx: own.dependencies.tsx,
  };
  const created: string[] = [];
  for (const [from, to] of Object.entries(FILES)) {
    const text = readFileSync(join(TEMPLATE_DIR, from), 'utf8').replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);
    const abs = join(target, to);
    mkdirSync(resolve(abs, '..'), { recursive: true });
    writeFileSync(abs, text);
    created.push(to);
  }
  return created;
}

function toProjectName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+/, '');
  return cleaned || 'my-stack';
}
