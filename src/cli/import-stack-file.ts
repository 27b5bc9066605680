import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
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

/** The package name a stack file imports for the file URL of one of the bundle's shared entries; undefined for any other URL. */
export function sharedSpecifier(url: string): string | undefined {
  return BUNDLE ? Object.keys(SHARED).find((name) => pathToFileURL(join(BUNDLE, SHARED[name]!)).href === url) : undefined;
}

/** Stack files shipped with the package and precompiled into the bundle. */
const PRECOMPILED: Record<string, string> = { 'aixcl.ts': 'stacks-aixcl.js', 'logging-only.ts': 'stacks-logging-only.js' };

/** A stack file's module; `commonJs` when it is CommonJS (`module.exports = app`), as far as the loader tells. */
export interface ImportedStackFile {
  readonly module: Record<string, unknown>;
  readonly commonJs: boolean;
}

/**
 * Imports a stack file (TypeScript or JavaScript, an ES module or CommonJS) and returns its module.
 *
 * From the bundle, only the user's own files are compiled, once, with esbuild
 * (the compiler tsx itself uses): the stack file and the files it imports
 * relatively become one module; `aixcl-cdk` and `constructs` resolve to the
 * CLI's own bundled copy, imported or required; other packages are left to
 * Node, resolved from the stack file's directory (required ones by Node's
 * require, from the requiring file). No loader hooks are registered, so nothing else
 * pays for a compiler (with tsx's hooks, every later import went through its
 * loader thread). `import.meta.url`, `.dirname` and `.filename` keep meaning
 * the file they are written in. The shipped stacks are precompiled.
 *
 * Run from sources (tests, through tsx), it imports with tsx as before.
 */
export async function importStackFile(file: string, packageRoot: string): Promise<ImportedStackFile> {
  if (!BUNDLE) {
    const { tsImport } = await import('tsx/esm/api');
    return { module: (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>, commonJs: false };
  }
  const shipped = PRECOMPILED[basename(file)];
  if (shipped && dirname(file) === join(packageRoot, 'stacks') && existsSync(join(BUNDLE, shipped))) {
    return { module: (await import(pathToFileURL(join(BUNDLE, shipped)).href)) as Record<string, unknown>, commonJs: false };
  }
  const { code, commonJs } = await compile(file, BUNDLE);
  // Stack traces point into the user's .ts files through the inline source map.
  process.setSourceMapsEnabled(true);
  // Removed on the process's end too: a stack file may call process.exit() or hang until Ctrl-C.
  const dir = temporaryDirectory('aixcl-stack-');
  compiledDirs.add(dir.path);
  const out = join(dir.path, `${basename(file).replace(/\.[^.]+$/, '')}.mjs`);
  try {
    writeFileSync(out, code);
    return { module: (await import(pathToFileURL(out).href)) as Record<string, unknown>, commonJs };
  } finally {
    dir.remove();
  }
}

/** What esbuild made of a stack file: one ES module, and whether the stack file itself is CommonJS. */
interface Compiled {
  readonly code: string;
  readonly commonJs: boolean;
}

/** The compiled module's own require(), for the CommonJS files in it (esbuild's ES module output has none). */
const REQUIRE_BANNER = "import { createRequire as __aixclCreateRequire } from 'node:module';";

async function compile(file: string, bundleDir: string): Promise<Compiled> {
  const { build } = await import('esbuild');
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
      banner: { js: REQUIRE_BANNER },
      metafile: true,
      logLevel: 'silent',
      plugins: [stackFilePlugin(bundleDir)],
    });
    // `module.exports = app` in an ES module: esbuild only warns, and Node would fail with "module is not defined".
    const commonJsInEsm = result.warnings.filter((w) => w.id === 'commonjs-variable-in-esm');
    if (commonJsInEsm.length) {
      throw new UserError(
        commonJsInEsm
          .map(
            (w) =>
              `${where(w)}${/"(\w+)"/.exec(w.text)?.[1] ?? 'module'} is not defined in an ES module: write \`export default app\`, or rename the file to .cjs`,
          )
          .join('; '),
      );
    }
    const entry = Object.entries(result.metafile.inputs).find(([path]) => resolve(path) === file)?.[1];
    return { code: result.outputFiles[0].text, commonJs: entry?.format === 'cjs' };
  } catch (e) {
    if (UserError.isUserError(e)) throw e;
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors?.length) throw e;
    throw new UserError(errors.map((er) => `${where(er)}${er.text}`).join('; '));
  }
}

/** An esbuild error or warning. */
interface Message {
  readonly id?: string;
  readonly text: string;
  readonly location?: { file: string; line: number; column: number } | null;
}

/** `file:line:column: ` of a message, columns from 1 as editors count them; '' without a location. */
function where(m: Message): string {
  return m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
}

type Plugin = NonNullable<Parameters<typeof import('esbuild').build>[0]['plugins']>[number];

/**
 * Bare specifiers: ours to the bundle, Node's built-ins and other packages left to Node (external);
 * the user's own files compiled, with `import.meta` and CommonJS's `__dirname` meaning the file they are in.
 */
function stackFilePlugin(bundleDir: string): Plugin {
  return {
    name: 'aixcl-stack-file',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        // The re-export of ours (below), or a URL the user wrote: Node's to load.
        if (args.path.startsWith('file:')) return { path: args.path, external: true };
        if (args.pluginData === 'resolving') return undefined;
        const shared = SHARED[args.path];
        // require() of an ES module needs Node >= 20.19 (and would be a second copy): an ES module that re-exports ours instead.
        if (shared && args.kind === 'require-call')
          return { path: args.path, namespace: 'aixcl-shared', pluginData: pathToFileURL(join(bundleDir, shared)).href };
        if (shared) return { path: pathToFileURL(join(bundleDir, shared)).href, external: true };
        const builtIn = isBuiltin(args.path);
        // Resolved here too, so that a missing package is reported at its line.
        const r = builtIn
          ? undefined
          : await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        if (r?.errors.length) return { errors: r.errors };
        // esbuild's ES module output cannot require() what it leaves out: Node's require, from the requiring file, does it.
        if (args.kind === 'require-call') return { path: `${args.path} from ${args.importer}`, namespace: 'aixcl-require', pluginData: args };
        if (!r) return { path: args.path, external: true };
        return { path: r.external ? r.path : pathToFileURL(r.path).href, external: true };
      });
      // A path into this package's own bundle (`import ... from '.../dist/bundle/aixcl-cdk.js'`) is the
      // CLI's copy too: Node's to load, not to be compiled into the stack file a second time.
      b.onResolve({ filter: /^[./]/ }, (args) => {
        const abs = resolve(args.resolveDir, args.path);
        return abs.startsWith(`${bundleDir}${sep}`) ? { path: pathToFileURL(abs).href, external: true } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'aixcl-shared' }, (args) => ({ contents: `export * from ${JSON.stringify(args.pluginData)};`, loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'aixcl-require' }, (args) => {
        const { path, importer } = args.pluginData as { path: string; importer: string };
        return { contents: `module.exports = __aixclCreateRequire(${JSON.stringify(importer)})(${JSON.stringify(path)});`, loader: 'js' };
      });
      b.onLoad({ filter: /\.(?:[cm]?[jt]s|[jt]sx)$/ }, (args) => {
        if (args.path.includes(`${join('/', 'node_modules', '/')}`)) return undefined;
        const ext = args.path.slice(args.path.lastIndexOf('.') + 1);
        const loader = ext === 'tsx' ? 'tsx' : ext === 'jsx' ? 'jsx' : /ts$/.test(ext) ? 'ts' : 'js';
        return { contents: withFilePaths(b.esbuild, readFileSync(args.path, 'utf8'), args.path, loader), loader };
      });
    },
  };
}

/**
 * A user's file with `import.meta.url`, `.filename` and `.dirname` written out as the file's own
 * (in the compiled module they would be the temp copy's), and, in a CommonJS file that uses them,
 * `__filename` and `__dirname` declared (an ES module output has none): on line 1, so that no line moves.
 */
function withFilePaths(esbuild: Parameters<Plugin['setup']>[0]['esbuild'], text: string, path: string, loader: 'ts' | 'tsx' | 'js' | 'jsx'): string {
  const replaced = text.replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_m, k: string) =>
    JSON.stringify(k === 'url' ? pathToFileURL(path).href : k === 'filename' ? path : dirname(path)),
  );
  if (!/\b__(?:filename|dirname)\b/.test(replaced) || !isCommonJs(esbuild, replaced, loader)) return replaced;
  const declared = `var __filename = ${JSON.stringify(path)}, __dirname = ${JSON.stringify(dirname(path))};`;
  // A `#!` line must stay first: made a comment of the same length.
  return replaced.startsWith('#!') ? `${declared}//${replaced.slice(2)}` : `${declared}${replaced}`;
}

/** Whether esbuild takes `text` for CommonJS (no import or export; `module` or `exports` used): it wraps it as such. */
function isCommonJs(esbuild: Parameters<Plugin['setup']>[0]['esbuild'], text: string, loader: 'ts' | 'tsx' | 'js' | 'jsx'): boolean {
  try {
    return /\b__commonJS\b/.test(esbuild.transformSync(text, { loader, format: 'esm', logLevel: 'silent' }).code);
  } catch {
    return false; // a syntax error: the build reports it
  }
}
