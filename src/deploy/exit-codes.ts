// The exit codes are shared by every CLI (src/core/exit-codes.ts); the deploy API reports the same ones.
export { ExitCode } from '../core/exit-codes.js';
