import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../core/errors.js';
import { temporaryDirectory } from './temp-dir.js';

/** The directory of the running code: dist/bundle when the CLI runs from its bundle. */
const HERE = dirname(fileURLToPath(import.meta.url));
/** Set when this code runs from the esbuild bundle (scripts/build-bundle.mjs), whose entries are beside it. */
const BUNDLE = basename(HERE) === 'bundle' && existsSync(join(HERE, 'aixcl-cdk.js')) ? HERE : undefined;

/** Package imports a stack file makes that must resolve to the CLI's own copy (same classes, same symbols). */
const SHARED: Record<string, string> = { 'aixcl-cdk': 'aixcl-cdk.js', 'aixcl-cdk/deploy': 'aixcl-cdk-deploy.js', constructs: 'constructs.js' };

/** The temp directories this process compiled stack files into (gone, but named by the frames of their errors). */
const compiledDirs = new Set<string>();

/** True for a path in a compiled copy of a stack file: its unmapped lines are esbuild's helpers, not the user's. */
export function isCompiledCopy(path: string): boolean {
  return compiledDirs.has(dirname(path));
}

/** Stack files shipped with the package and precompiled into the bundle. */
const PRECOMPILED: Record<string, string> = { 'aixcl.ts': 'stacks-aixcl.js', 'logging-only.ts': 'stacks-logging-only.js' };

/**
 * Imports a stack file (TypeScript or JavaScript) and returns its module.
 *
 * From the bundle, only the user's own files are compiled, once, with esbuild
 * (the compiler tsx itself uses): the stack file and the files it imports
 * relatively become one module; `aixcl-cdk` and `constructs` resolve to the
 * CLI's own bundled copy; other packages are left to Node, resolved from the
 * stack file's directory. No loader hooks are registered, so nothing else
 * pays for a compiler (with tsx's hooks, every later import went through its
 * loader thread). `import.meta.url`, `.dirname` and `.filename` keep meaning
 * the file they are written in. The shipped stacks are precompiled.
 *
 * Run from sources (tests, through tsx), it imports with tsx as before.
 */
export async function importStackFile(file: string, packageRoot: string): Promise<Record<string, unknown>> {
  if (!BUNDLE) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  }
  const shipped = PRECOMPILED[basename(file)];
  if (shipped && dirname(file) === join(packageRoot, 'stacks') && existsSync(join(BUNDLE, shipped))) {
    return (await import(pathToFileURL(join(BUNDLE, shipped)).href)) as Record<string, unknown>;
  }
  const code = await compile(file, BUNDLE);
  // Stack traces point into the user's .ts files through the inline source map.
  process.setSourceMapsEnabled(true);
  // Removed on the process's end too: a stack file may call process.exit() or hang until Ctrl-C.
  const dir = temporaryDirectory('aixcl-stack-');
  compiledDirs.add(dir.path);
  const out = join(dir.path, `${basename(file).replace(/\.[^.]+$/, '')}.mjs`);
  try {
    writeFileSync(out, code);
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    dir.remove();
  }
}

async function compile(file: string, bundleDir: string): Promise<string> {
  const { build } = await import('esbuild');
  type Plugin = NonNullable<Parameters<typeof build>[0]['plugins']>[number];
  const plugin: Plugin = {
    name: 'aixcl-stack-file',
    setup(b) {
      // Bare specifiers: ours to the bundle, Node's built-ins and other packages left external (as absolute URLs).
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined;
        const shared = SHARED[args.path];
        if (shared) return { path: pathToFileURL(join(bundleDir, shared)).href, external: true };
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        if (r.errors.length) return { errors: r.errors };
        return { path: r.external ? r.path : pathToFileURL(r.path).href, external: true };
      });
      // The user's own files: import.meta refers to the file it is written in, not to the compiled module.
      b.onLoad({ filter: /\.(?:[cm]?[jt]s|[jt]sx)$/ }, (args) => {
        if (args.path.includes(`${join('/', 'node_modules', '/')}`)) return undefined;
        const text = readFileSync(args.path, 'utf8').replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_m, k: string) =>
          JSON.stringify(k === 'url' ? pathToFileURL(args.path).href : k === 'filename' ? args.path : dirname(args.path)),
        );
        const ext = args.path.slice(args.path.lastIndexOf('.') + 1);
        return { contents: text, loader: ext === 'tsx' ? 'tsx' : ext === 'jsx' ? 'jsx' : /ts$/.test(ext) ? 'ts' : 'js' };
      });
    },
  };
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      // The compiled module runs from a temp dir: absolute sources make its stack frames name the user's files.
      sourceRoot: `${pathToFileURL(process.cwd()).href}/`,
      // A class keeps its name (messages say 'a MyStack object', not '_MyStack').
      keepNames: true,
      logLevel: 'silent',
      plugins: [plugin],
    });
    return result.outputFiles[0].text;
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
    if (!errors?.length) throw e;
    throw new UserError(
      errors.map((er) => (er.location ? `${er.location.file}:${er.location.line}:${er.location.column + 1}: ${er.text}` : er.text)).join('; '),
    );
  }
}
