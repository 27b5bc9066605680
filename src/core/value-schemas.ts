import { PORT_MAX, PORT_MIN } from './port.js';
import { isIP } from 'node:net';
import { z } from 'zod';
import { Duration } from './duration.js';
import { goOrModelDurationMs } from './go-duration.js';
import { imageReferenceProblem } from './image.js';
import { describeValue, instanceOf, quote, valueOf } from './props.js';
import { parseRamInBytes, Size } from './size.js';

/** Schemas of the values props are made of, with messages that show the typed form to write. */

/** The Size call that makes `bytes`, in the largest unit that holds it whole (`Size.mebibytes(512)`). */
function sizeCall(bytes: number): string {
  for (const [unit, factor] of [
    ['gibibytes', 1024 ** 3],
    ['mebibytes', 1024 ** 2],
    ['kibibytes', 1024],
  ] as const) {
    if (bytes >= factor && bytes % factor === 0) return `Size.${unit}(${bytes / factor})`;
  }
  return `Size.bytes(${bytes})`;
}

/** A {@link Size}; `'512m'` (read as Compose reads it, {@link parseRamInBytes}) and numbers are errors that show the Size to write. */
export const sizeValue = instanceOf<Size>('a Size', Size.isSize, (v) => {
  const bytes = typeof v === 'string' ? parseRamInBytes(v) : undefined;
  if (typeof bytes === 'number') return `write ${sizeCall(bytes)}`;
  if (typeof v === 'number') return `write Size.mebibytes(${Math.round(v / 1024 ** 2) || 512}) (or Size.bytes(${v}))`;
  return 'write Size.mebibytes(512), Size.gibibytes(1), ...';
});

/**
 * The Duration call that makes a duration written as text (as Go or Prometheus write it, {@link goOrModelDurationMs}),
 * in the largest unit that holds it whole (`'90s'` is `Duration.seconds(90)`, `'24h'` is `Duration.days(1)`).
 */
export function durationCallFor(v: unknown): string | undefined {
  const ms = typeof v === 'string' ? goOrModelDurationMs(v) : undefined;
  if (ms === undefined) return undefined;
  for (const [unit, factor] of [
    ['days', 86_400_000],
    ['hours', 3_600_000],
    ['minutes', 60_000],
    ['seconds', 1000],
  ] as const) {
    if (ms >= factor && ms % factor === 0) return `Duration.${unit}(${ms / factor})`;
  }
  return `Duration.millis(${ms})`;
}

/** A {@link Duration}; `'7d'` and numbers are errors that show the Duration to write. */
export const durationValue = instanceOf<Duration>('a Duration', Duration.isDuration, (v) => {
  const call = durationCallFor(v);
  if (call) return `write ${call}`;
  if (typeof v === 'number') return `write Duration.seconds(${v}) (or Duration.millis, minutes, hours, days)`;
  return 'write Duration.seconds(30), Duration.hours(24), Duration.days(7), ...';
});

/** A TCP/UDP port number a container listens on or the host publishes (core/port.ts). */
export const portNumber = z.number().int().min(PORT_MIN).max(PORT_MAX);

/**
 * An IP address (IPv4, or IPv6 with or without brackets). A host name is an error: Docker does not
 * resolve the host IP of a port binding, and publishes on EVERY interface when it is not an IP.
 */
export const ipAddress = valueOf<string>((v, report) => {
  if (typeof v !== 'string') {
    report(`must be an IP address string such as '127.0.0.1', got ${describeValue(v)}`);
    return;
  }
  if (isIP(v.replace(/^\[(.*)\]$/, '$1')) !== 0) return;
  if (v === 'localhost') {
    report(
      `'localhost' is a host name, not an IP address, and Docker publishes a port whose host IP is not an IP on every interface: write '127.0.0.1' (or '::1')`,
    );
  } else if (v === '*' || v === '') {
    report(`${describeValue(v)} is not an IP address: write '0.0.0.0' to publish on every interface on purpose, or '127.0.0.1' for this host only`);
  } else {
    report(`${quote(v)} is not an IP address (Docker needs an IP here, not a host name): write e.g. '127.0.0.1', or '0.0.0.0' for every interface`);
  }
});

/** An image reference, by the distribution grammar (see {@link imageReferenceProblem}). */
export const imageReference = valueOf<string>((v, report) => {
  const problem = imageReferenceProblem(v);
  // Reported as `image: 'x' has ...`: the prop already says it is the image.
  if (problem) report(problem.replace(/^image '/, "'"));
});

/**
 * A path on the host. Nothing expands `~` or `$VAR` in it (aixcl-deploy gives it to the Docker API as
 * is, and a `$` is escaped in the compose file), so either is an error that shows what to write.
 */
export const hostPath = valueOf<string>((v, report) => {
  if (typeof v !== 'string') {
    report(`must be a path string, got ${describeValue(v)}`);
    return;
  }
  if (v.length === 0) report('must not be empty: give an absolute path');
  else if (/^~/.test(v)) {
    report(
      `${quote(v)} starts with '~', which Docker does not expand: write the absolute path (in a stack file: join(homedir(), ${quote(v.replace(/^~\/?/, ''))}) from node:os and node:path)`,
    );
  } else if (/\$(\{|[A-Za-z_])/.test(v)) {
    const name = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(v)?.[1] ?? 'VAR';
    report(`${quote(v)} holds $${name}, which Docker does not expand: write the path with its value (in a stack file: \`\${process.env.${name}}/...\`)`);
  }
});

/** A construct of a given kind, recognized across copies of this library; a name (string) is an error that says to pass the construct. */
export function constructOf<T>(what: string, is: (v: unknown) => v is T): z.ZodType<T, T> {
  return instanceOf<T>(`${/^[AEIOU]/.test(what) ? 'an' : 'a'} ${what}`, is, (v) =>
    typeof v === 'string'
      ? `pass the ${what} construct itself (the object that \`new ${what}(...)\` returned), not its name or URL`
      : v === undefined
        ? `(it is required): pass a ${what} of this stack (the object that \`new ${what}(...)\` returned)`
        : `pass a ${what} (the object that \`new ${what}(...)\` returned)`,
  );
}

/** Fields most construct props share. */
export const common = {
  image: imageReference.optional(),
  serviceName: z.string().optional(),
  port: portNumber.optional(),
  memoryLimit: sizeValue.optional(),
};
