/** Where a service is in a deploy. */
export type ServiceState =
  /** Waiting for its dependencies (the message says which). */
  | 'waiting'
  | 'creating'
  | 'recreating'
  | 'starting'
  /** Running, healthcheck not passed yet. */
  | 'waiting-health'
  /** Passed its healthcheck. */
  | 'healthy'
  /** Running (it has no healthcheck). */
  | 'running'
  /** A one-shot service that exited 0. */
  | 'completed'
  /** Exited, unhealthy, not healthy in time, or could not be created or started. */
  | 'failed'
  /** Not started because a required dependency failed. */
  | 'blocked'
  | 'stopping'
  | 'removed';

/** One thing that happened, for progress displays and `--json`. */
export type DeployEvent =
  | { readonly type: 'stage'; readonly stage: 'synthesize' | 'connect' | 'inspect' | 'images' | 'plan' | 'apply' | 'down'; readonly message: string }
  | {
      readonly type: 'image';
      readonly image: string;
      readonly state: 'present' | 'pulling' | 'pulled' | 'failed';
      /** Bytes downloaded so far and in all, while pulling. */
      readonly current?: number;
      readonly total?: number;
      readonly message?: string;
    }
  /** Images about to be pulled (before any pull starts). */
  | { readonly type: 'pulls'; readonly images: readonly string[] }
  | { readonly type: 'apply'; readonly project: string; readonly services: readonly string[] }
  | { readonly type: 'service'; readonly service: string; readonly state: ServiceState; readonly message?: string }
  | {
      readonly type: 'resource';
      /** config, secret and node: under Swarm (a node is 'labelled' to hold a service's volumes). */
      readonly kind: 'network' | 'volume' | 'container' | 'config' | 'secret' | 'node';
      readonly name: string;
      readonly action: 'created' | 'removed' | 'kept' | 'labelled';
    }
  | { readonly type: 'warning'; readonly message: string };

/** Receives events as they happen. */
export type EventSink = (event: DeployEvent) => void;

/** A sink that drops everything. */
export const NO_EVENTS: EventSink = () => {};
