import { IMAGE_LABEL } from '../compose/service.js';
import type { ProjectLabels } from '../core/target.js';

/*
 * The labels every collected log line gets, whichever collector reads it. Promtail's
 * `docker_sd_configs` and Alloy's `discovery.docker` both run Prometheus's Docker discovery
 * (prometheus/discovery/moby/docker.go), so both see the same meta labels, and both collectors'
 * relabel rules map them to the same stream labels: a query, a dashboard or a rule works with either,
 * and a stack that moves from one to the other keeps its streams.
 */

/** The Docker socket as a collector sees it inside its container. */
export const COLLECTOR_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** Where a collector's container has the host's Docker socket (mounted read-only). */
export const COLLECTOR_SOCKET_TARGET = '/var/run/docker.sock';

/**
 * The meta label under which Docker discovery exposes a container label:
 * Prometheus replaces every character that is not valid in a label name with `_`.
 */
export function dockerLabelMeta(containerLabel: string): string {
  return `__meta_docker_container_label_${containerLabel.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/**
 * The labels every log line gets, and where each comes from under Compose
 * (under Swarm the project and service come from the stack's
 * {@link Stack.projectLabels}, and a `node` label is added). Dashboards and
 * datasources can refer to these names instead of repeating strings.
 */
export const COLLECTED_LOG_LABELS = {
  /** Container name without Docker's leading `/`. */
  container: '__meta_docker_container_name',
  /** Compose service name. */
  compose_service: dockerLabelMeta('com.docker.compose.service'),
  /**
   * The compose service again, under the name Grafana's Logs Drilldown groups
   * by. Set here, Loki does not derive it (its `discover_service_name` only
   * fills a missing `service_name`, and would take the container name).
   */
  service_name: dockerLabelMeta('com.docker.compose.service'),
  /** Compose project name. */
  compose_project: dockerLabelMeta('com.docker.compose.project'),
  /** `stdout` or `stderr`. */
  stream: '__meta_docker_container_log_stream',
  /** Image reference, from the label every Service carries. */
  image: dockerLabelMeta(IMAGE_LABEL),
} as const;

/** A label a collector puts on every log line. */
export type CollectedLogLabel = keyof typeof COLLECTED_LOG_LABELS;

/** The label that holds the Compose project of a line. */
export const PROJECT_LOG_LABEL: CollectedLogLabel = 'compose_project';

/** A relabel rule, in the words Promtail's `relabel_configs` and Alloy's `rule` blocks share. */
export interface RelabelRule {
  readonly source_labels: readonly string[];
  readonly regex?: string;
  readonly target_label: string;
  readonly replacement?: string;
}

/**
 * The relabel rules that turn Docker discovery's meta labels into the stream labels above, for the
 * containers of one project: the service names come out of the engine's service label (Swarm's carries
 * the stack's prefix, which `serviceNameRegex` strips), and under Swarm the node is added.
 */
export function collectedLabelRules(engine: ProjectLabels, project: string): RelabelRule[] {
  const rule = (source: string, target: CollectedLogLabel | 'node', regex?: string): RelabelRule => ({
    source_labels: [source],
    ...(regex ? { regex } : {}),
    target_label: target,
    ...(regex ? { replacement: '$1' } : {}),
  });
  const L = COLLECTED_LOG_LABELS;
  const serviceRegex = engine.serviceNameRegex(project);
  return [
    rule(L.container, 'container', '/?(.*)'),
    rule(dockerLabelMeta(engine.service), 'compose_service', serviceRegex),
    rule(dockerLabelMeta(engine.project), 'compose_project'),
    rule(L.stream, 'stream'),
    rule(L.image, 'image'),
    rule(dockerLabelMeta(engine.service), 'service_name', serviceRegex),
    ...(engine.node ? [rule(dockerLabelMeta(engine.node), 'node')] : []),
  ];
}
