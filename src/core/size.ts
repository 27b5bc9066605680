import { UserError } from './errors.js';

const SIZE = Symbol.for('aixcl-cdk.Size');

/** An amount of memory or storage, in bytes. */
export class Size {
  /** True for sizes, across copies of this library. */
  public static isSize(x: unknown): x is Size {
    return typeof x === 'object' && x !== null && SIZE in x;
  }

  public static bytes(n: number): Size {
    return new Size(n);
  }
  public static kibibytes(n: number): Size {
    return new Size(n * 1024);
  }
  public static mebibytes(n: number): Size {
    return new Size(n * 1024 ** 2);
  }
  public static gibibytes(n: number): Size {
    return new Size(n * 1024 ** 3);
  }

  private constructor(public readonly bytes: number) {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new UserError(`a size must be a whole, non-negative number of bytes (got ${bytes})`);
    }
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
