import { Duration } from '../core/duration.js';

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

/**
 * A container healthcheck. Construct it through {@link Healthcheck.command}
 * (exec form, no shell needed) or {@link Healthcheck.shell} (needs `/bin/sh`
 * in the image): the two are kept apart because a shell probe in an image
 * without a shell is unhealthy forever.
 */
export class Healthcheck {
  /** Runs `argv` directly in the container (`CMD` form). */
  public static command(argv: readonly string[], timing: HealthcheckTiming = {}): Healthcheck {
    return new Healthcheck(['CMD', ...argv], timing, false);
  }

  /**
   * Probes `url` with the image's `wget` (busybox or GNU): healthy on a 2xx
   * answer. Only for images that ship wget.
   */
  public static wget(url: string, timing: HealthcheckTiming = {}): Healthcheck {
    return Healthcheck.command(['wget', '-q', '--spider', url], timing);
  }

  /** Probes `url` with the image's `curl`: healthy on a 2xx answer. Only for images that ship curl. */
  public static curl(url: string, timing: HealthcheckTiming = {}): Healthcheck {
    return Healthcheck.command(['curl', '-fsS', '-o', '/dev/null', url], timing);
  }

  /** Runs `script` with the image's `/bin/sh` (`CMD-SHELL` form). */
  public static shell(script: string, timing: HealthcheckTiming = {}): Healthcheck {
    return new Healthcheck(['CMD-SHELL', script], timing, true);
  }

  private constructor(
    public readonly test: readonly string[],
    public readonly timing: HealthcheckTiming,
    /** True when the probe needs a shell in the image. */
    public readonly needsShell: boolean,
  ) {}

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
