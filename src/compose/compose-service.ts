import { SERVICE_NAME_PATTERN } from '../core/name-patterns.js';
import type { IConstruct } from 'constructs';
import type { GeneratedFile } from '../core/generated-file.js';
import type { Image } from '../core/image.js';
import type { Overrides } from '../core/overrides.js';
import type { Stack } from '../core/stack.js';
import type { EnvValue } from './env-ref.js';
import type { Healthcheck } from './healthcheck.js';
import type { Network } from './network.js';
import type { DependencyCondition, PortMapping, ServiceProps } from './service-props.js';
import type { Volume } from './volume.js';

/*
 * A service as the files that render it read it: the compose file (compose-file.ts) and the Swarm stack
 * file (src/swarm). They work on this, not on the Service class, so that service.ts (which creates the
 * stack's compose file) and they import in one direction only.
 */

const SERVICE = Symbol.for('aixcl-cdk.Service');

/** @internal Marks a Service, so that {@link isService} knows it across copies of this library. */
export function markService(service: object): void {
  Object.defineProperty(service, SERVICE, { value: true });
}

/** @internal True for a Service (what Service.isService answers). */
export function isService(x: unknown): x is ComposeService {
  return typeof x === 'object' && x !== null && SERVICE in x;
}

/** Label carrying the hash of the generated files a service mounts (Compose itself does not look at them). */
export const CONFIG_HASH_LABEL = 'dev.aixcl.config-hash';
/** Label carrying the service's image, so the log collector can label log lines with it. */
export const IMAGE_LABEL = 'dev.aixcl.image';
/** Label marking a service whose failure degrades the stack instead of failing it (read by aixcl-deploy). */
export const OPTIONAL_LABEL = 'dev.aixcl.optional';

/** Service names Compose accepts: core/name-patterns.ts's SERVICE_NAME_PATTERN, under its public name. */
export const SERVICE_NAME = SERVICE_NAME_PATTERN;

/** What the files that render a service read of it; a {@link Service} is one. */
export interface ComposeService extends IConstruct {
  readonly serviceName: string;
  readonly image: Image;
  readonly ports: readonly PortMapping[];
  readonly stack: Stack;
  readonly healthcheck: Healthcheck | undefined;
  readonly hasOverrides: boolean;
  readonly generatedMounts: string[];
  readonly dependsOn: ReadonlyArray<{ service: ComposeService; condition: DependencyCondition; required: boolean }>;
  isPublished(p: PortMapping): boolean;
  /** @internal */
  _model(): ServiceInternals;
  /** @internal */
  _toCompose(files: readonly GeneratedFile[]): Record<string, unknown>;
}

/** @internal A mount, as a renderer for a target reads it. */
export type MountSpec =
  | { kind: 'volume'; volume: Volume; target: string; readOnly: boolean }
  | { kind: 'bind'; source: string; target: string; readOnly: boolean }
  | { kind: 'generated'; prefix: string; target: string; readOnly: boolean };

/** @internal A dependency, as a renderer for a target reads it. */
export interface DependencySpec {
  service: ComposeService;
  condition: DependencyCondition;
  required: boolean;
}

/** @internal The inside of a Service, for the renderers of the targets. */
export interface ServiceInternals {
  readonly props: ServiceProps;
  readonly environment: ReadonlyMap<string, EnvValue>;
  readonly labels: Readonly<Record<string, string>>;
  readonly mounts: readonly MountSpec[];
  readonly dependencies: readonly DependencySpec[];
  readonly networks: readonly Network[];
  readonly overrides: Overrides;
}
