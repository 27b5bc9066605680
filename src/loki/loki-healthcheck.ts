import { Duration } from '../core/duration.js';
import type { Image } from '../core/image.js';
import { Healthcheck, type HealthcheckTiming } from '../compose/healthcheck.js';
import { joinHostPort, unbracket } from '../services/listen-address.js';

/** Where Loki's `-health` command looks when given no URL. */
const DEFAULT_HEALTH_HOST = 'localhost';
const DEFAULT_HEALTH_PORT = 3100;

/** The image to suggest whenever a version has to be pinned. */
const SUGGESTED_IMAGE = 'grafana/loki:3.7.6';

/**
 * Timing of Loki's healthcheck: `/ready` answers 503 for the first 15 s
 * (`min_ready_duration`), so the start period covers that twice over.
 */
export const LOKI_HEALTHCHECK_TIMING: HealthcheckTiming = {
  interval: Duration.seconds(10),
  startPeriod: Duration.seconds(30),
};

/** Where the probe reaches Loki. */
export interface LokiProbeTarget {
  /** The address Loki listens on (`0.0.0.0` in its own container; the bind address on host networking). */
  readonly listenAddress: string;
  /** Loki's HTTP port. */
  readonly port: number;
}

/** A healthcheck for a Loki image, or why none can work. */
export type LokiHealthcheckChoice =
  { readonly healthcheck: Healthcheck; readonly problem?: undefined } | { readonly healthcheck?: undefined; readonly problem: string };

/**
 * Picks the healthcheck that works in the given Loki image, by its version:
 * the images lost their shell in 3.6 and gained `loki -health` in 3.6.5.
 *
 * - 3.0 to 3.5.x: busybox is in the image: `wget --spider` of `/ready` through the shell.
 * - 3.6.0: rejected (its `/loki` is owned by root, so Loki cannot start as uid 10001).
 * - 3.6.1 to 3.6.4: rejected (no shell and no health command: nothing can probe it).
 * - 3.6.5+, 3.7+: `loki -health` run directly, no shell needed.
 */
export function lokiHealthcheck(image: Image, target: LokiProbeTarget): LokiHealthcheckChoice {
  const v = image.version;
  if (!v) {
    return {
      problem:
        `unknown image version format in '${image.ref}': the healthcheck depends on the Loki version ` +
        `(the image lost its shell in 3.6), so pin a version tag, e.g. ${SUGGESTED_IMAGE}`,
    };
  }
  const version = `${v.major}.${v.minor}.${v.patch}`;
  if (v.major < 3) {
    return {
      problem: `Loki ${version} is not supported: this construct writes a Loki 3 configuration (TSDB, schema v13): use ${SUGGESTED_IMAGE}`,
    };
  }
  const host = probeHost(target.listenAddress);
  const url = `http://${joinHostPort(host, target.port)}/ready`;
  if (image.compareVersion('3.6.0')! < 0) {
    // Loki <= 3.5 is built on distroless static:debug: busybox sh and wget are there.
    return { healthcheck: Healthcheck.shell(`wget -q --spider ${url} || exit 1`, LOKI_HEALTHCHECK_TIMING) };
  }
  if (image.compareVersion('3.6.0') === 0) {
    return {
      problem: `Loki 3.6.0 ships /loki owned by root and cannot start as uid 10001: pin 3.6.5 or later, e.g. ${SUGGESTED_IMAGE}`,
    };
  }
  if (image.compareVersion('3.6.5')! < 0) {
    return {
      problem:
        `Loki ${version} has no shell and no 'loki -health' command, so no healthcheck can work in it: ` + `pin 3.6.5+ or 3.7.x, e.g. ${SUGGESTED_IMAGE}`,
    };
  }
  const argv = ['/usr/bin/loki', '-health'];
  // `-health` probes http://localhost:3100/ready unless told otherwise.
  if (host !== DEFAULT_HEALTH_HOST || target.port !== DEFAULT_HEALTH_PORT) argv.push(`-health.url=${url}`);
  return { healthcheck: Healthcheck.command(argv, LOKI_HEALTHCHECK_TIMING) };
}

/**
 * The host a probe inside the container (or on the host, with host networking) uses to reach Loki.
 * On a wildcard it is `loki -health`'s own default, so that no -health.url flag is needed.
 */
function probeHost(listenAddress: string): string {
  const addr = unbracket(listenAddress);
  return addr === '0.0.0.0' || addr === '::' || addr === '' ? DEFAULT_HEALTH_HOST : addr;
}
