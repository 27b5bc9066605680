/** What runs a stack: the file synthesis writes and the labels the engine puts on containers follow from it. */
export enum Target {
  /** Docker Compose on one engine: `docker-compose.yml` (`docker compose up`, `aixcl-deploy`). */
  COMPOSE = 'compose',
  /** Docker Swarm: `docker-stack.yml` for `docker stack deploy`, services spread over the swarm's nodes. */
  SWARM = 'swarm',
}

/** The targets, for option parsers. */
export const TARGETS: readonly Target[] = [Target.COMPOSE, Target.SWARM];

/** Parses a `--target` value. */
export function parseTarget(value: string): Target | undefined {
  return TARGETS.find((t) => t === value);
}

/**
 * How the engine labels the containers of a project. The log collector's
 * discovery filter and relabel rules, cAdvisor's exported labels and every
 * dashboard's project and service selectors derive from this one table, so
 * they cannot disagree with each other or with the engine.
 */
export interface ProjectLabels {
  /** Container label holding the project (stack) name. */
  readonly project: string;
  /** Container label holding the service name. */
  readonly service: string;
  /**
   * RE2 regex whose first group is the service name in the service label's
   * value, or undefined when the value is the service name itself.
   */
  serviceNameRegex(project: string): string | undefined;
  /** Container label holding the node a container runs on, where there are several nodes. */
  readonly node?: string;
}

const COMPOSE_LABELS: ProjectLabels = {
  // compose-go's api labels: com.docker.compose.project / .service, on every container Compose creates
  // (and on those aixcl-deploy creates: src/deploy/labels.ts).
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  serviceNameRegex: () => undefined,
};

const SWARM_LABELS: ProjectLabels = {
  // docker/cli cli/compose/convert/compose.go: LabelNamespace = "com.docker.stack.namespace", added to
  // every service, container, network, config and secret of a stack (AddStackLabel).
  project: 'com.docker.stack.namespace',
  // The engine labels each task's container with its service (moby daemon/cluster/executor/container/container.go),
  // and docker/cli names a stack's services Namespace.Scope(name) = "<stack>_<name>".
  service: 'com.docker.swarm.service.name',
  serviceNameRegex: (project) => `${project.replace(/[.]/g, '\\.')}_(.+)`,
  // Same source: the node the task was scheduled on.
  node: 'com.docker.swarm.node.id',
};

/** The container labels of a target. */
export function projectLabelsOf(target: Target): ProjectLabels {
  return target === Target.SWARM ? SWARM_LABELS : COMPOSE_LABELS;
}
