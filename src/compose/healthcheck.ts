import { z } from 'zod';
import { Duration } from '../core/duration.js';
import { describeValue, parseProps, propsSchema, quote } from '../core/props.js';
import { durationValue } from '../core/value-schemas.js';

const HEALTHCHECK = Symbol.for('aixcl-cdk.Healthcheck');

/** Timing of a {@link Healthcheck}. */
export interface HealthcheckTiming {
  /** Time between checks. @default 10s */
  readonly interval?: Duration;
  /** Time one check may take. @default 5s */
  readonly timeout?: Duration;
  /** Failures in a row before the container is unhealthy. @default 5 */
  readonly retries?: number;
  /** Grace time after start during which failures do not count. @default 0s */
  readonly startPeriod?: Duration;
}

const timingSchema = propsSchema<HealthcheckTiming>()(
  z.strictObject({
    interval: durationValue.optional(),
    timeout: durationValue.optional(),
    retries: z.number().int().min(1).optional(),
    startPeriod: durationValue.optional(),
  }),
);

/**
 * A container healthcheck. Construct it through {@link Healthcheck.command}
 * (exec form, no shell needed) or {@link Healthcheck.shell} (needs `/bin/sh`
 * in the image): the two are kept apart because a shell probe in an image
 * without a shell is unhealthy forever.
 */
export class Healthcheck {
  /** Runs `argv` directly in the container (`CMD` form). */
  public static command(argv: readonly string[], timing: HealthcheckTiming = {}): Healthcheck {
    return new Healthcheck(['CMD', ...(Array.isArray(argv) ? argv : [])], timing, false, argvProblems(argv));
  }

  /**
   * Probes `url` with the image's `wget` (busybox or GNU): healthy on a 2xx
   * answer. Only for images that ship wget.
   */
  public static wget(url: string, timing: HealthcheckTiming = {}): Healthcheck {
    return Healthcheck.probe('wget', url, ['wget', '-q', '--spider', url], timing);
  }

  /** Probes `url` with the image's `curl`: healthy on a 2xx answer. Only for images that ship curl. */
  public static curl(url: string, timing: HealthcheckTiming = {}): Healthcheck {
    return Healthcheck.probe('curl', url, ['curl', '-fsS', '-o', '/dev/null', url], timing);
  }

  /** A URL probe: its own message for a URL that is not one (the argv it builds would name the wrong argument). */
  private static probe(tool: string, url: unknown, argv: string[], timing: HealthcheckTiming): Healthcheck {
    if (typeof url === 'string' && /^https?:\/\/[^\s/]+/.test(url)) return Healthcheck.command(argv, timing);
    const problem = `Healthcheck.${tool}() takes the URL to probe, such as 'http://localhost:8080/health', got ${describeValue(url)}`;
    return new Healthcheck(['CMD', tool], timing, false, [problem]);
  }

  /** Runs `script` with the image's `/bin/sh` (`CMD-SHELL` form). */
  public static shell(script: string, timing: HealthcheckTiming = {}): Healthcheck {
    const problems =
      typeof script !== 'string' || script.trim() === ''
        ? [`Healthcheck.shell() takes the shell line as one non-empty string, got ${describeValue(script)}`]
        : [];
    return new Healthcheck(['CMD-SHELL', String(script)], timing, true, problems);
  }

  /** True for healthchecks, across copies of this library. */
  public static isHealthcheck(x: unknown): x is Healthcheck {
    return typeof x === 'object' && x !== null && HEALTHCHECK in x;
  }

  /** Timing as given, when it is valid (else the defaults). */
  public readonly timing: HealthcheckTiming;
  /**
   * What is wrong with the arguments it was made with. A Healthcheck is a value, not a construct:
   * the service that uses it reports these at its path.
   */
  public readonly problems: readonly string[];

  private constructor(
    public readonly test: readonly string[],
    timing: HealthcheckTiming,
    /** True when the probe needs a shell in the image. */
    public readonly needsShell: boolean,
    problems: readonly string[],
  ) {
    Object.defineProperty(this, HEALTHCHECK, { value: true });
    const checked = parseProps(timingSchema, timing, { owner: 'the healthcheck timing' });
    this.timing = checked.props;
    this.problems = [...problems, ...checked.problems.map((p) => `timing: ${p}`)];
  }

  /** @internal */
  public _toCompose(): Record<string, unknown> {
    const t = this.timing;
    return {
      test: [...this.test],
      interval: (t.interval ?? Duration.seconds(10)).toGoString(),
      timeout: (t.timeout ?? Duration.seconds(5)).toGoString(),
      retries: t.retries ?? 5,
      start_period: (t.startPeriod ?? Duration.seconds(0)).toGoString(),
    };
  }
}

/**
 * Shapes of a `CMD` argv that Docker would run wrongly: a leading `CMD`/`CMD-SHELL` (added here
 * already, so Docker would look for a program named `CMD`), a whole shell line as one argument (run as
 * ONE program name, spaces included), a string instead of a list.
 */
function argvProblems(argv: unknown): string[] {
  if (typeof argv === 'string') {
    return [
      `Healthcheck.command() takes a list of arguments, got the string ${quote(argv)}: write Healthcheck.command([${argv
        .split(/\s+/)
        .filter(Boolean)
        .map((a) => quote(a))
        .join(', ')}]), or Healthcheck.shell(${quote(argv)}) if it needs a shell`,
    ];
  }
  if (!Array.isArray(argv)) return [`Healthcheck.command() takes a list of arguments, got ${describeValue(argv)}`];
  if (argv.length === 0) return ['Healthcheck.command() got an empty list: give the program and its arguments'];
  const bad = argv.findIndex((a) => typeof a !== 'string');
  if (bad >= 0) return [`Healthcheck.command() argument ${bad} must be a string, got ${describeValue(argv[bad])}`];
  if (argv[0] === 'CMD') {
    return [
      `Healthcheck.command() adds 'CMD' itself, so Docker would run a program named 'CMD': write Healthcheck.command([${argv
        .slice(1)
        .map((a) => quote(a))
        .join(', ')}])`,
    ];
  }
  if (argv[0] === 'CMD-SHELL') {
    return [`Healthcheck.command() got a 'CMD-SHELL' list: for a shell line write Healthcheck.shell(${quote(argv.slice(1).join(' '))})`];
  }
  if (argv.length === 1 && /\s/.test(argv[0].trim())) {
    const words = argv[0].trim().split(/\s+/);
    return [
      `Healthcheck.command() got the whole line ${quote(argv[0])} as one argument, which Docker runs as ONE program name: write Healthcheck.command([${words.map((w: string) => quote(w)).join(', ')}]), or Healthcheck.shell(${quote(argv[0])}) if it needs a shell`,
    ];
  }
  return [];
}
