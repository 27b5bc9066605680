/*
 * Values the compose-spec schema lets through (it types them only as strings
 * or numbers) but that Compose or the Docker Engine refuse when the stack is
 * started: a size Compose cannot parse ("invalid size: 'lots'", read with
 * parseRamInBytes, Compose's docker/go-units RAMInBytes), a restart policy the Engine does not know ("invalid restart
 * policy"). Typed props cannot produce them; an override can.
 */
import { parseRamInBytes } from '../core/size.js';
import { valueAt } from '../core/value-at.js';

/** Docker's restart policies (docker/cli opts, engine's ParseRestartPolicy): `on-failure` may carry a retry count. */
const RESTART_RE = /^(?:no|always|unless-stopped|on-failure(?::\d+)?)$/;

/** Service keys holding a size, as dotted paths (lists are not walked: the schema checks their shape). */
const SIZE_KEYS = [
  'mem_limit',
  'mem_reservation',
  'memswap_limit',
  'shm_size',
  'deploy.resources.limits.memory',
  'deploy.resources.reservations.memory',
  'build.shm_size',
];

const at = (doc: unknown, path: string): unknown => valueAt(doc, path.split('.'));

/** One problem per value Compose or Docker would refuse, at the service key that holds it. */
export function checkComposeValues(doc: unknown): Array<{ at: string[]; message: string }> {
  const problems: Array<{ at: string[]; message: string }> = [];
  const services = at(doc, 'services');
  if (typeof services !== 'object' || services === null) return problems;
  for (const [name, svc] of Object.entries(services as Record<string, unknown>)) {
    for (const key of SIZE_KEYS) {
      const v = at(svc, key);
      if (v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= -1)) continue;
      if (typeof v === 'string' && (typeof parseRamInBytes(v) === 'number' || (key === 'memswap_limit' && v === '-1'))) continue;
      problems.push({
        at: ['services', name, ...key.split('.')],
        message: `${JSON.stringify(v)} is not a size Compose reads ("invalid size"): write bytes or a number with a unit, such as '512m' or '2g' (or use Size in the typed API)`,
      });
    }
    const restart = at(svc, 'restart');
    if (restart !== undefined && !(typeof restart === 'string' && RESTART_RE.test(restart))) {
      problems.push({
        at: ['services', name, 'restart'],
        message: `${JSON.stringify(restart)} is not a restart policy Docker knows: use no, always, on-failure (or on-failure:N) or unless-stopped (or RestartPolicy in the typed API)`,
      });
    }
  }
  return problems;
}
