import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Signals whose default action ends the process without its 'exit' event. */
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A directory of the system's temp directory and the way to remove it. */
export interface TemporaryDirectory {
  readonly path: string;
  /** Removes the directory (and stops watching for the process's end). */
  remove(): void;
}

/**
 * A new directory in the system's temp directory, removed by `remove()`, or when the process ends
 * first: a process.exit() or an uncaught exception (the 'exit' event), or a signal (which has none).
 * A `finally` alone does not run on any of these.
 */
export function temporaryDirectory(prefix: string): TemporaryDirectory {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => {
    process.off('exit', remove);
    for (const s of ENDING_SIGNALS) process.off(s, onSignal);
    rmSync(path, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    // Listening cancelled the signal's default action: without another listener, let it end the process as it would have.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('exit', remove);
  for (const s of ENDING_SIGNALS) process.on(s, onSignal);
  return { path, remove };
}
