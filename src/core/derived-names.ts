import { SERVICE_NAME_PATTERN } from './name-patterns.js';

/**
 * The name a construct that makes a service derives its other names from (its directory of generated
 * files, its volumes): the service name when it is usable, else `fallback`. A wrong service name is
 * reported once, by the Service; the names derived from it are not reported again as follow-ons.
 */
export function baseNameOf(serviceName: string, fallback: string): string {
  return SERVICE_NAME_PATTERN.test(serviceName) ? serviceName : fallback;
}
