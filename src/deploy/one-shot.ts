import type { ComposeProject } from './compose-project.js';

/**
 * The one-shot services of a project: those some dependent waits on with
 * `service_completed_successfully`. Only these are jobs whose exit with
 * code 0 means "done" (and is left so by a rerun); any other service that
 * exited is a service that stopped, whatever its restart policy.
 */
export function oneShotServices(model: ComposeProject): Set<string> {
  return new Set(model.services.flatMap((s) => s.dependsOn.filter((d) => d.condition === 'service_completed_successfully').map((d) => d.service)));
}
