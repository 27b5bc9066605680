// Build step: bundles the CLIs, the library entry points and the shipped
// stacks into dist/bundle/ with esbuild, so a CLI's start-up reads a few files
// instead of resolving and loading hundreds of modules (all of dist/ and
// zod, yaml, ajv, constructs, commander...). Code splitting puts what they
// share into common chunks: a stack file loaded by a CLI gets `aixcl-cdk`
// from dist/bundle/aixcl-cdk.js, whose classes ARE the CLI's (one copy).
// The library's own dist/ (with .d.ts, for users' imports) is built by tsc as
// before; this runs after it.
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const final = join(root, 'dist', 'bundle');
// Built beside the live one and swapped in at the end, so a CLI started during a rebuild (a test, a
// watcher) finds a whole bundle, never a half-written or missing one. Same depth under the package
// root as dist/bundle, so paths from import.meta.url hold during the build too.
const out = join(root, 'dist', `bundle.next-${process.pid}`);
rmSync(out, { recursive: true, force: true });

// An entry that re-exports constructs by name (it is CommonJS: `export *` would not carry names).
const tmp = mkdtempSync(join(tmpdir(), 'aixcl-bundle-'));
const constructsEntry = join(tmp, 'constructs.mjs');
const names = Object.keys(createRequire(import.meta.url)('constructs')).filter((n) => n !== 'default' && n !== '__esModule');
writeFileSync(constructsEntry, `export { ${names.join(', ')} } from ${JSON.stringify(createRequire(import.meta.url).resolve('constructs'))};\n`);

/**
 * The foundation SDK's v1 panel and query builders (the ones aixcl-cdk's dashboards use) sit in
 * CommonJS modules that also hold their v2 counterparts, which require() the whole v2 dashboard schema
 * (`dashboardv2`, `dashboardv2beta1`) when the module loads: ~20 ms of every synth, for code that the
 * CLI never runs (it writes v1 dashboards: `schemaVersion` 41). In the CLI bundle they are empty
 * modules. A user's own stack file that imports the SDK (or `aixcl-cdk/grafana-sdk`) gets the real,
 * whole package from node_modules, not this bundle's copy; the library's dist/ (tsc) is untouched.
 */
function leaveOutDashboardV2() {
  return {
    name: 'leave-out-dashboard-v2',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/dashboardv2(?:beta1)?$/ }, (args) =>
        args.importer.includes(`${join('@grafana', 'grafana-foundation-sdk')}`) ? { path: args.path, namespace: 'left-out' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
}

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    synth: 'src/cli/synth.ts',
    deploy: 'src/cli/deploy.ts',
    logs: 'src/cli/logs.ts',
    'aixcl-cdk': 'src/index.ts',
    'aixcl-cdk-deploy': 'src/deploy/index.ts',
    constructs: constructsEntry,
    // The shipped stacks, precompiled: the default synth needs no TypeScript compiler at run time.
    'stacks-aixcl': 'stacks/aixcl.ts',
    'stacks-logging-only': 'stacks/logging-only.ts',
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Classes keep their names: messages name them ('bindAdress is not a prop of Stack', 'a Size object'),
  // and esbuild would otherwise rename one that two modules declare (Stack -> _Stack).
  keepNames: true,
  chunkNames: '[name]-[hash]',
  // The shipped stacks import the package by name: the bundle's own entry.
  alias: { 'aixcl-cdk': './src/index.ts' },
  external: [
    // Native or binary-carrying packages stay in node_modules.
    'esbuild',
    'dockerode',
    // Only for running from sources (import-stack-file.ts); the bundle compiles with esbuild.
    'tsx',
    // ws's optional native speed-ups (it falls back when they are missing).
    'bufferutil',
    'utf-8-validate',
  ],
  // CommonJS dependencies inside an ES module bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __aixclCreateRequire } from 'node:module'; const require = __aixclCreateRequire(import.meta.url);" },
  plugins: [leaveOutDashboardV2()],
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});

rmSync(tmp, { recursive: true, force: true });

// compose-schema.ts loads the precompiled validator from beside itself: in
// the bundle, beside the chunks (all directly in dist/bundle, two levels under
// the package root like dist/cli, so paths from import.meta.url still hold).
const validator = join(root, 'dist', 'compose', 'compose-validator.cjs');
if (existsSync(validator)) copyFileSync(validator, join(out, 'compose-validator.cjs'));
// BUNDLE_ANALYZE=1 npm run build: what each bundle file is made of.
if (process.env.BUNDLE_ANALYZE) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile, { verbose: false }));
}

// The swap: two renames (a rename over a non-empty directory is not possible), the old one removed after.
const old = join(root, 'dist', `bundle.old-${process.pid}`);
if (existsSync(final)) renameSync(final, old);
renameSync(out, final);
rmSync(old, { recursive: true, force: true });
