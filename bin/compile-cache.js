// V8's compile cache for the CLIs' bundles (Node >= 22.1; a no-op on Node 20, which lacks it): a later
// start reads the compiled code instead of compiling ~3 MB of JavaScript again (measured with Node 24:
// `aixcl-synth` of the default stack 0.35 s -> 0.31 s). As TypeScript's and npm's own bins do. The cache
// lives beside the package, under node_modules/.cache (the usual place for a package's caches), not in
// the system's temp directory; NODE_COMPILE_CACHE still picks another place and
// NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own variables). A cache that cannot be written
// (a read-only install) is simply not used: Node reports it in the return value, it does not throw.
// https://nodejs.org/api/module.html#moduleenablecompilecachedirectory
import module from 'node:module';

try {
  module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE ? undefined : new URL('../node_modules/.cache/aixcl-cdk/compile', import.meta.url).pathname);
} catch {
  // Never a reason not to start.
}
