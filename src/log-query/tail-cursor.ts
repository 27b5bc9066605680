import type { LogEntry } from './loki-client.js';

/**
 * What a follow has printed lately, so that a reconnect can resume where it
 * stopped without printing a line twice: the newest timestamp seen, and a key
 * (timestamp, labels, line) for every entry of the last `windowNs`.
 *
 * Resuming from `newest - window` rather than from `newest` also catches lines
 * that reached Loki late with older timestamps (another stream's, or a
 * collector's retried push after a Loki restart) while the tail was down.
 */
export class TailCursor {
  private newestTs: bigint | undefined;
  private readonly keys = new Map<string, bigint>();
  private inserts = 0;

  constructor(public readonly windowNs: bigint = 30_000_000_000n) {}

  /** The newest timestamp seen, if any. */
  public get newest(): bigint | undefined {
    return this.newestTs;
  }

  /** Where a catch-up query resumes (inclusive), or undefined when nothing was seen. */
  public resumeFrom(): bigint | undefined {
    return this.newestTs === undefined ? undefined : this.newestTs - this.windowNs;
  }

  /** Records the entry; false when it was seen already (print only on true). */
  public accept(e: LogEntry): boolean {
    if (this.newestTs !== undefined && e.ts < this.newestTs - this.windowNs) {
      // Older than anything a resume asks for again: cannot be a repeat of ours.
      return true;
    }
    const key = entryKey(e);
    if (this.keys.has(key)) return false;
    this.keys.set(key, e.ts);
    if (this.newestTs === undefined || e.ts > this.newestTs) this.newestTs = e.ts;
    if (++this.inserts % 1000 === 0) this.prune();
    return true;
  }

  /** How many keys are kept (for tests and the benchmark of memory). */
  public get size(): number {
    return this.keys.size;
  }

  private prune(): void {
    const oldest = this.newestTs! - this.windowNs;
    for (const [k, ts] of this.keys) if (ts < oldest) this.keys.delete(k);
  }
}

/** Identity of an entry: Loki has no ids, and two identical lines at one nanosecond of one stream are one entry to it too. */
export function entryKey(e: LogEntry): string {
  const labels = Object.keys(e.labels)
    .sort()
    .map((k) => `${k}=${e.labels[k]}`)
    .join(',');
  return `${e.ts}\u0000${labels}\u0000${e.line}`;
}
