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

/*
 * Reading sizes written as text. Two programs of the stack read them, each with its own rule, so there
 * are two named readers here and no other in the library:
 * - Compose (compose-go types.UnitBytes: mem_limit, shm_size, deploy.resources.*.memory, ...) and the
 *   docker CLI read them with docker/go-units RAMInBytes (size.go, parseSize with binaryMap): one number
 *   as strconv.ParseFloat reads it, an optional single space, then an optional unit k, m, g, t or p
 *   (1024-based) with an optional `b` or `ib`, any case; `b` alone is bytes; nothing else (no `e`).
 * - Loki reads its byte sizes with two parsers, one per Go type, and its reference does not say which
 *   key has which: its own flagext.ByteSize (pkg/util/flagext/bytesize.go: c2h5oh/datasize after
 *   upper-casing, whole numbers, K..E as 1024 multiples) and dskit's flagext.Bytes (alecthomas/units
 *   ParseBase2Bytes: KiB or KB, decimals). {@link LOKI_SIZE_PATTERN} is what either may read.
 */

/** strconv.ParseFloat's decimal forms that can end a go-units size (hexadecimal and inf/nan are not sizes). */
const GO_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RAM_UNITS: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Reads `text` as docker/go-units RAMInBytes does (the way Compose reads a size).
 * @returns the bytes (truncated to a whole number, as Go's int64 conversion does), or go-units' reason as a string
 */
export function parseRamInBytes(text: string): number | string {
  let sep = -1;
  for (let i = text.length - 1; i >= 0 && sep < 0; i--) if ('0123456789. '.includes(text[i])) sep = i;
  if (sep === -1) return `invalid size: '${text}'`;
  const num = text[sep] === ' ' ? text.slice(0, sep) : text.slice(0, sep + 1);
  const suffix = text.slice(sep + 1);
  if (!GO_DECIMAL.test(num)) return `strconv.ParseFloat: parsing ${JSON.stringify(num)}: invalid syntax`;
  const size = Number(num);
  if (size < 0) return `invalid size: '${text}'`;
  if (suffix === '') return Math.trunc(size);
  const sfx = suffix.toLowerCase();
  if (suffix.length > 3) return `invalid suffix: '${suffix}'`;
  if (sfx[0] === 'b') return sfx.length === 1 ? Math.trunc(size) : `invalid suffix: '${sfx}'`;
  const factor = RAM_UNITS[sfx[0]];
  if (factor === undefined || (sfx.length === 2 && sfx[1] !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) return `invalid suffix: '${sfx}'`;
  return Math.trunc(size * factor);
}

/** A byte size Loki reads (see above): a whole or decimal number, optional spaces, then a unit such as KB, KiB, M or b. */
export const LOKI_SIZE_PATTERN = /^\d+(?:\.\d+)?\s*(?:[kmgtpe]i?b?|b)?$/i;
