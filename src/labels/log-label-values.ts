import type { IConstruct } from 'constructs';
import { Service } from '../compose/service.js';
import { Stack } from '../core/stack.js';
import { Target } from '../core/target.js';
import { LEVEL_FIELD, LogLevel } from '../log-format/log-level.js';
import type { KnownValues } from './value-match.js';

/**
 * The streams Docker's log API returns a line from (`stdout`, `stderr`): what
 * Docker discovery puts in `__meta_docker_container_log_stream` (Promtail's
 * clients/pkg/promtail/targets/docker/target.go, Alloy's loki.source.docker).
 */
export const DOCKER_LOG_STREAMS: readonly string[] = ['stdout', 'stderr'];

/** What {@link logLabelValues} reads of a Loki (structurally: the `Loki` construct). */
export interface LogValueSource extends IConstruct {
  /** The collectors pushing into it (each with its `project`, `projectLabel`, `producedLabels`). */
  readonly collectors?: readonly IConstruct[];
  /** The Compose projects it receives, and the label holding the project. */
  collectedProjects?(): { readonly label: string; readonly projects: readonly string[] } | undefined;
  /** The structured metadata fields its collectors store. */
  structuredMetadata?(): readonly string[];
}

/**
 * The values each log label of a Loki can take, where the tree knows them,
 * keyed by label name: the one source every LogQL check of the tree reads
 * (dashboards, rules, `aixcl-logs --query`), as `Loki.streamLabels()` is for
 * the names.
 *
 * - the project label: the projects its collectors collect;
 * - `compose_service`, `service_name`, `image` and (under Compose) `container`:
 *   the stack's services, when the collectors collect the Loki's own stack;
 *   a logging-only stack collecting another project knows none of them;
 * - `stream`: Docker's two streams;
 * - `level`: the normalized levels, when a collector stores the field.
 *
 * `node` (Swarm node host names) is not known to the tree: not judged.
 */
export function logLabelValues(loki: LogValueSource | undefined): Record<string, KnownValues> {
  if (!loki) return {};
  const projects = loki.collectedProjects?.();
  if (!projects) return {};
  const out: Record<string, KnownValues> = { [projects.label]: { values: projects.projects } };
  out.stream = { values: DOCKER_LOG_STREAMS };
  if (loki.structuredMetadata?.().includes(LEVEL_FIELD)) out[LEVEL_FIELD] = { values: Object.values(LogLevel) };
  const stack = Stack.of(loki);
  if (projects.label !== 'compose_project' || projects.projects.length !== 1 || projects.projects[0] !== stack.projectName) return out;
  const services = stack.node
    .findAll()
    .filter((c): c is Service => Service.isService(c) && c.stack === stack)
    .sort((a, b) => (a.serviceName < b.serviceName ? -1 : a.serviceName > b.serviceName ? 1 : 0));
  const names = [...new Set(services.map((s) => s.serviceName))];
  out.compose_service = { values: names };
  out.service_name = { values: names };
  out.image = { values: [...new Set(services.map((s) => stack.imageName(s.image)))].sort() };
  // An override may set container_name: the names are then not all known.
  if (stack.target === Target.COMPOSE && !services.some((s) => s.hasOverrides)) out.container = composeContainerNames(stack.projectName, names);
  return out;
}

/**
 * Compose's container names: `<project>-<service>-<number>`, and
 * `<project>-<service>-run-<id>` for `docker compose run` (compose
 * pkg/compose/convergence.go getContainerName, pkg/compose/run.go; the
 * separator is `-` since Compose v2).
 */
function composeContainerNames(project: string, services: readonly string[]): KnownValues {
  return {
    values: services.map((s) => `${project}-${s}-1`),
    accepts: (v) => services.some((s) => v.startsWith(`${project}-${s}-`) && /^(\d+|run-[0-9a-f]+)$/.test(v.slice(`${project}-${s}-`.length))),
  };
}
