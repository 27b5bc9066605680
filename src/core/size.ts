import { UserError } from './errors.js';

const SIZE = Symbol.for('aixcl-cdk.Size');

/** An amount of memory or storage, in bytes. */
export class Size {
  /** True for sizes, across copies of this library. */
  public static isSize(x: unknown): x is Size {
    return typeof x === 'object' && x !== null && SIZE in x;
  }

  public static bytes(n: number): Size {
    return Size.of(n, 'bytes', 1);
  }
  public static kibibytes(n: number): Size {
    return Size.of(n, 'kibibytes', 1024);
  }
  public static mebibytes(n: number): Size {
    return Size.of(n, 'mebibytes', 1024 ** 2);
  }
  public static gibibytes(n: number): Size {
    return Size.of(n, 'gibibytes', 1024 ** 3);
  }

  /** `n` units of `factor` bytes; a refusal names the call as written (`Size.mebibytes(-1)`), not the byte count it makes. */
  private static of(n: number, unit: string, factor: number): Size {
    const call = `Size.${unit}(${typeof n === 'string' ? `'${n}'` : String(n)})`;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new UserError(`${call} is not a size: give a number of 0 or more`);
    const bytes = n * factor;
    if (!Number.isInteger(bytes)) throw new UserError(`${call} is ${bytes} bytes, not a whole number: round it, e.g. Size.bytes(${Math.round(bytes)})`);
    return new Size(bytes);
  }

  private constructor(public readonly bytes: number) {
    Object.defineProperty(this, SIZE, { value: true });
  }

  public toMebibytes(): number {
    return this.bytes / 1024 ** 2;
  }

  /** Compose's byte notation (`512m`), exact: falls back to a smaller unit rather than rounding. */
  public toComposeString(): string {
    for (const [unit, factor] of [
      ['g', 1024 ** 3],
      ['m', 1024 ** 2],
      ['k', 1024],
    ] as const) {
      if (this.bytes >= factor && this.bytes % factor === 0) return `${this.bytes / factor}${unit}`;
    }
    return `${this.bytes}b`;
  }

  /** Go's runtime notation for GOMEMLIMIT (`460MiB`). */
  public toGoMemLimit(): string {
    if (this.bytes % 1024 ** 2 === 0) return `${this.bytes / 1024 ** 2}MiB`;
    return `${this.bytes}B`;
  }
}
