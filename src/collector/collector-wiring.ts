import type { Construct } from 'constructs';
import { DependencyCondition, type Service } from '../compose/service.js';
import { isComposeProjectName, Stack } from '../core/stack.js';
import type { Loki } from '../loki/loki.js';
import { COLLECTOR_SOCKET_TARGET } from './collected-labels.js';

/**
 * What every collector does with its service and its Loki: the host's Docker socket mounted read-only,
 * and, for a Loki of its own stack, a dependency that does not wait (the collector retries its pushes
 * with backoff until Loki answers, so a missing or failing Loki must not keep it, or the stack, from
 * starting) and its registration with that Loki (whose label checks read it). A Loki of another stack is
 * reported once by {@link collectorProblems}; linking it anyway would only add the same problem again.
 */
export function connectCollector(
  collector: Construct,
  service: Service,
  loki: Loki | undefined,
  sameStack: boolean,
  dockerSocket = '/var/run/docker.sock',
): void {
  service.addBind(dockerSocket, COLLECTOR_SOCKET_TARGET, { readOnly: true });
  if (loki && sameStack) {
    service.addDependency(loki.service, { condition: DependencyCondition.STARTED, required: false });
    loki.registerCollector(collector);
  }
}

/** The problems every collector checks: a Loki of another stack, a project name Compose would refuse. */
export function collectorProblems(collector: Construct, loki: Loki, project: string, sameStack: boolean, projectGiven: boolean): string[] {
  const errors: string[] = [];
  if (!sameStack) {
    errors.push(
      `pushes to ${loki.node.path}, which is in another stack (${Stack.of(loki).projectName}): its URL does not resolve from this stack; create the Loki in this stack (${Stack.of(collector).projectName}) and pass that one`,
    );
  }
  // Without a project of its own it collects its stack's, whose name the stack checks (a follow-on otherwise).
  if (projectGiven && !isComposeProjectName(project)) {
    errors.push(
      `project '${project}' is not a Compose project name (lower case letters, digits, '-' and '_'): give the name of the project to collect logs from`,
    );
  }
  return errors;
}
