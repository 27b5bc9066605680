// The exit codes are shared by every CLI (src/cli/exit-codes.ts); the deploy API reports the same ones.
export { ExitCode } from '../cli/exit-codes.js';
