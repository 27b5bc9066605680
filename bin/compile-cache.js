// V8's compile cache for the CLIs' bundles (module.enableCompileCache, Node >= 22.8; a no-op on Node 20,
// which lacks it): a later start reads the compiled code instead of compiling ~2 MB of JavaScript again
// (Node 24.22, default stack, median of 11 interleaved runs: 293 ms -> 263 ms). TypeScript's tsc and
// npm's cli enable it the same way (node_modules/typescript/lib/tsc.js, npm/lib/cli.js), in Node's
// default place: NODE_COMPILE_CACHE, else node-compile-cache in the system's temp directory, which Node's
// docs recommend because entries of files that are gone (each run compiles a --stack file to a new
// temporary module) are never read again and the system cleans its temp directory. Not beside the
// package: there they would pile up, and a run as root would leave root's files in a user's tree.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. A cache that cannot be written is simply not used: Node
// reports it in the return value, it does not throw.
// https://nodejs.org/api/module.html#moduleenablecompilecachecachedir
import module from 'node:module';

try {
  module.enableCompileCache?.();
} catch {
  // Never a reason not to start.
}
