import type { ComposeService } from '../compose/compose-service.js';

/** How an image reads a secret from a file (under Swarm, secrets are files, not environment variables). */
export type SecretFile =
  /** A variable naming the file, e.g. `POSTGRES_PASSWORD_FILE` (the official images' `_FILE` convention). */
  | { readonly variable: string }
  /** A fixed path where the image looks for the secret, used when the variable is unset. */
  | { readonly path: string };

/** What a construct tells the Swarm renderer about its service (image knowledge that Compose does not need). */
export interface SwarmServiceSettings {
  /**
   * One task on every node: an agent that works on its own node (the log
   * collector reading that node's containers, node and container metrics).
   * @default false: one replica, placed next to its named volumes
   */
  readonly global?: boolean;
  /** For each secret environment variable, how the image reads it from a file instead. @default none */
  readonly secretFiles?: Readonly<Record<string, SecretFile>>;
  /**
   * The service serves an API without authentication: under Swarm publishing
   * it would expose it on every interface of every node, which is a
   * validation error. The text says what to do instead.
   * @default undefined: it has its own authentication (or none is needed)
   */
  readonly unauthenticated?: string;
}

const settings = new WeakMap<ComposeService, SwarmServiceSettings>();

/** Adds Swarm settings to a service (merged with earlier ones). */
export function configureSwarm(service: ComposeService, more: SwarmServiceSettings): void {
  const old = settings.get(service) ?? {};
  settings.set(service, {
    ...old,
    ...more,
    secretFiles: { ...old.secretFiles, ...more.secretFiles },
  });
}

/** The Swarm settings of a service. */
export function swarmSettingsOf(service: ComposeService): SwarmServiceSettings {
  return settings.get(service) ?? {};
}
