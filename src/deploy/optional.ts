import { DeployLabel } from './labels.js';
import type { ComposeProject } from './compose-project.js';

/**
 * The services whose failure leaves the stack degraded rather than down: a
 * service is optional when it is labelled `dev.aixcl.optional=true`, or
 * when it has dependents and each of them depends on it with
 * `required: false` (or is itself optional).
 */
export function optionalServices(model: ComposeProject): Set<string> {
  const dependents = new Map<string, Array<{ from: string; required: boolean }>>();
  for (const s of model.services) {
    for (const d of s.dependsOn) dependents.set(d.service, [...(dependents.get(d.service) ?? []), { from: s.name, required: d.required }]);
  }
  const byName = new Map(model.services.map((s) => [s.name, s]));
  const memo = new Map<string, boolean>();
  const optional = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, false); // depends_on has no cycles; this only guards against one.
    const labelled = byName.get(name)?.labels[DeployLabel.OPTIONAL] === 'true';
    const edges = dependents.get(name) ?? [];
    const result = labelled || (edges.length > 0 && edges.every((e) => !e.required || optional(e.from)));
    memo.set(name, result);
    return result;
  };
  return new Set(model.services.map((s) => s.name).filter(optional));
}
