import { z } from 'zod';
import { common, constructOf, durationValue, hostPath, sizeValue } from '../core/value-schemas.js';
import type { Duration } from '../core/duration.js';
import type { Size } from '../core/size.js';
import { Loki } from '../loki/loki.js';

/** The props every log collector takes (Promtail's and Alloy's props extend them). */
export interface LogCollectorProps {
  /** Where the logs go: a Loki of the same stack (a typed reference, never a URL string). */
  readonly loki: Loki;
  /** Image, pinned to a release. @default the collector's current release */
  readonly image?: string;
  /** @default the program's name ('alloy', 'promtail') */
  readonly serviceName?: string;
  /** Port of the collector's HTTP server (readiness, `/metrics`). @default the program's usual port */
  readonly port?: number;
  /**
   * Compose project whose containers are collected. Set it only for a
   * logging-only stack that collects another project's logs.
   * @default Stack.of(this).projectName
   */
  readonly project?: string;
  /**
   * Host path of the Docker socket (mounted read-only). Rootless Podman users
   * give `$XDG_RUNTIME_DIR/podman/podman.sock` expanded.
   * @default '/var/run/docker.sock'
   */
  readonly dockerSocket?: string;
  /**
   * How often Docker discovery looks for new containers. A new container's
   * lines wait for the next refresh (the collector then reads its log from the
   * start, so nothing is lost), and then for the discovery manager's own
   * throttle of 5 s, which neither program lets a configuration change. Each
   * refresh is one list call to the Docker API, filtered by the project label.
   * @default Duration.seconds(1)
   */
  readonly refreshInterval?: Duration;
  /** Hard memory limit of the container. @default the collector's own */
  readonly memoryLimit?: Size;
  /**
   * The footprint the collector's Go garbage collector aims for (GOMEMLIMIT, a
   * soft limit), at most 80% of {@link memoryLimit}.
   * @default the collector's own
   */
  readonly memoryTarget?: Size;
}

/** The run-time schema of the {@link LogCollectorProps} every collector shares (see core/props.ts). */
export const logCollectorShape = {
  loki: constructOf('Loki', Loki.isLoki),
  ...common,
  project: z.string().optional(),
  dockerSocket: hostPath.optional(),
  refreshInterval: durationValue.optional(),
  memoryTarget: sizeValue.optional(),
};
