import { formatNs } from './time-range.js';
import type { LogEntry } from './loki-client.js';

/** How lines are printed. */
export type OutputMode = 'default' | 'raw' | 'jsonl';

/** Options of a {@link LogPrinter}. */
export interface LogPrinterOptions {
  readonly mode: OutputMode;
  /** Colour the service names (a terminal without NO_COLOR). */
  readonly colour: boolean;
  /** Print each line's timestamp after the service, as `docker compose logs -t` does. */
  readonly timestamps?: boolean;
  /** Services known in advance: their order fixes the colours, their longest name the padding. */
  readonly services?: readonly string[];
}

// docker compose's rainbow for service prefixes (docker/compose
// cmd/formatter/colors.go): cyan, yellow, green, magenta, blue, then the same
// intense (bold); red and white are not used.
const PALETTE = ['36', '33', '32', '35', '34', '36;1', '33;1', '32;1', '35;1', '34;1'];

/**
 * Formats entries like `docker compose logs`: `service | line`, the name
 * padded to the longest one and coloured per service on a terminal; `raw`
 * prints the line alone; `jsonl` one JSON object per entry.
 */
export class LogPrinter {
  private width: number;
  private readonly colours = new Map<string, string>();

  constructor(private readonly options: LogPrinterOptions) {
    this.width = Math.max(0, ...(options.services ?? []).map((s) => s.length));
    for (const s of options.services ?? []) this.colourOf(s);
  }

  /** The text for one entry, newline included. */
  public format(e: LogEntry): string {
    const line = e.line.replace(/\r?\n$/, '');
    switch (this.options.mode) {
      case 'raw':
        return `${line}\n`;
      case 'jsonl':
        return `${JSON.stringify({ timestamp: formatNs(e.ts), labels: e.labels, line })}\n`;
      default: {
        const name = serviceOf(e.labels);
        this.width = Math.max(this.width, name.length);
        const padded = `${name.padEnd(this.width)} |`;
        const prefix = this.options.colour ? `\u001b[${this.colourOf(name)}m${padded}\u001b[0m` : padded;
        return `${prefix} ${this.options.timestamps ? `${formatNs(e.ts)} ` : ''}${line}\n`;
      }
    }
  }

  private colourOf(service: string): string {
    let c = this.colours.get(service);
    if (c === undefined) {
      c = PALETTE[this.colours.size % PALETTE.length];
      this.colours.set(service, c);
    }
    return c;
  }
}

/** The name shown for an entry: its Compose service, else its container, else Loki's service_name. */
export function serviceOf(labels: Readonly<Record<string, string>>): string {
  return labels.compose_service ?? labels.container ?? labels.service_name ?? '?';
}

/** Whether to colour a stream: a terminal, NO_COLOR unset (no-color.org: any value), TERM not dumb. */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return !!stream.isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}
