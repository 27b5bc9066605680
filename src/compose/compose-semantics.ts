/*
 * What Compose refuses in a compose file that its JSON schema lets through: the consistency checks
 * compose-go runs after loading (loader/validate.go, checkConsistency: "service %q depends on
 * undefined service %q", "refers to undefined network/volume/secret/config", "has neither an image
 * nor a build context specified"), and the values it decodes into Go types (types/duration.go,
 * types/cpus.go: strconv.ParseFloat; types.UnitBytes: docker/go-units RAMInBytes), and the values the
 * Engine refuses when it starts the stack (a restart policy it does not know: "invalid restart
 * policy"). The typed API cannot make these mistakes; an override
 * (Service.addOverride, ComposeFile.addOverride) can. Run on the final document, after overrides.
 *
 * Read from compose-spec/compose-go at e70e961c (2026-07); each rule was also checked against what
 * `docker compose config -q` (Compose 2.26) says of such a file (test/compose.test.ts).
 *
 * A value holding a `$` is left alone: Compose interpolates it from the environment first.
 */
import { posix } from 'node:path';
import { GO_MAX_DURATION, readGoDuration } from '../core/go-duration.js';
import { imageReferenceProblem } from '../core/image.js';
import { parseRamInBytes } from '../core/size.js';
import { valueAt } from '../core/value-at.js';

/** One problem: where in the document (the path of the offending value), and what to do. */
export interface SemanticProblem {
  /** Keys from the document's root, e.g. `['services', 'web', 'depends_on']`. */
  readonly at: readonly string[];
  /** What is wrong and the fix, without the path. */
  readonly message: string;
  /** The typed API checks this itself (with its own words): a value no override made is reported there. */
  readonly typed?: true;
}

/**
 * Docker's smallest memory limit (and reservation): moby daemon/daemon_unix.go, `linuxMinMemory =
 * 6291456` ("Minimum memory limit allowed is 6MB"), in every engine since 20.10 (24 to 29 included).
 */
export const DOCKER_MIN_MEMORY = 6 * 1024 * 1024;

/** Service keys that hold a Go duration (compose-go types: HealthCheckConfig, ServiceConfig, UpdateConfig, RestartPolicy). */
const DURATION_KEYS = [
  'healthcheck.interval',
  'healthcheck.timeout',
  'healthcheck.start_period',
  'healthcheck.start_interval',
  'stop_grace_period',
  'deploy.update_config.delay',
  'deploy.update_config.monitor',
  'deploy.rollback_config.delay',
  'deploy.rollback_config.monitor',
  'deploy.restart_policy.delay',
  'deploy.restart_policy.window',
];

/** Service keys that hold a number of CPUs (compose-go: ServiceConfig.CPUS float32, Resource.NanoCPUs). */
const CPU_KEYS = ['cpus', 'deploy.resources.limits.cpus', 'deploy.resources.reservations.cpus'];

/** Service keys that hold a memory limit or reservation, which the Engine refuses below its minimum. */
const MEMORY_KEYS = ['mem_limit', 'mem_reservation', 'deploy.resources.limits.memory', 'deploy.resources.reservations.memory'];

/** Service keys holding a size Compose reads (types.UnitBytes), as dotted paths (lists are not walked: the schema checks their shape). */
const SIZE_KEYS = [
  'mem_limit',
  'mem_reservation',
  'memswap_limit',
  'shm_size',
  'deploy.resources.limits.memory',
  'deploy.resources.reservations.memory',
  'build.shm_size',
];

/** Docker's restart policies (docker/cli opts, engine's ParseRestartPolicy): `on-failure` may carry a retry count. */
const RESTART_RE = /^(?:no|always|unless-stopped|on-failure(?::\d+)?)$/;

/** strconv.ParseFloat's decimal forms (and inf/nan, which it reads too). */
const GO_FLOAT = /^[+-]?(?:(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** A size as Compose reads it (a number of bytes, or text docker/go-units RAMInBytes reads), in bytes; undefined if it is not one. */
function bytesOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  const bytes = typeof v === 'string' ? parseRamInBytes(v) : undefined;
  return typeof bytes === 'number' ? bytes : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function interpolated(v: unknown): boolean {
  return typeof v === 'string' && v.includes('$');
}

/** The names a list-or-mapping key names (`networks: [a]` or `networks: {a: {}}`). */
function namesOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (isRecord(v)) return Object.keys(v);
  return [];
}

/** The `source`s of a list of short (`name`) or long (`{source: name}`) references (secrets, configs). */
function sourcesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => (typeof x === 'string' ? [x] : isRecord(x) && typeof x.source === 'string' ? [x.source] : []));
}

function list(names: readonly string[]): string {
  return names.length ? names.map((n) => `'${n}'`).join(', ') : 'none';
}

/** Every problem of the document that Compose would refuse and its schema does not see. */
export function checkComposeSemantics(doc: unknown, options: { readonly swarm?: boolean } = {}): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  if (!isRecord(doc) || !isRecord(doc.services)) return problems;
  const services = doc.services;
  const serviceNames = Object.keys(services);
  const declared = (kind: 'networks' | 'volumes' | 'secrets' | 'configs') => (isRecord(doc[kind]) ? Object.keys(doc[kind] as object) : []);
  // Compose creates `default` for services that name no network; naming it is allowed without declaring it.
  const networks = [...new Set(['default', ...declared('networks')])];
  const volumes = declared('volumes');
  const secrets = declared('secrets');
  const configs = declared('configs');
  const add = (at: string[], message: string, typed?: true) => problems.push({ at, message, ...(typed ? { typed } : {}) });
  // What the Engine or Compose's decoding refuses of a value (compose up, not compose config): reported after the rest.
  const valueProblems: SemanticProblem[] = [];

  for (const [name, svc] of Object.entries(services)) {
    if (!isRecord(svc)) continue;
    const base = ['services', name];
    const unknownService = (key: string, target: string, what: string, fix: string) =>
      add([...base, key], `'${target}' is not a service of this stack (Compose refuses the file: ${what}): ${fix} (services: ${list(serviceNames)})`);

    for (const dep of namesOf(svc.depends_on)) {
      if (!interpolated(dep) && !(dep in services)) {
        unknownService(
          'depends_on',
          dep,
          `service "${name}" depends on undefined service "${dep}"`,
          'name a service of the stack, or use addDependency() with the Service',
        );
      }
    }
    for (const link of Array.isArray(svc.links) ? svc.links : []) {
      const target = typeof link === 'string' ? link.split(':')[0] : undefined;
      if (target && !interpolated(target) && !(target in services)) {
        unknownService('links', target, `service "${name}" depends on undefined service "${target}"`, 'name a service of the stack');
      }
    }
    const ext = typeof svc.extends === 'string' ? { service: svc.extends } : isRecord(svc.extends) ? svc.extends : undefined;
    if (ext && ext.file === undefined && typeof ext.service === 'string' && !interpolated(ext.service) && !(ext.service in services)) {
      unknownService(
        'extends',
        ext.service,
        `cannot extend service "${name}": service "${ext.service}" not found`,
        'extend a service of the stack, or give its file',
      );
    }
    if (typeof svc.network_mode === 'string' && svc.network_mode.startsWith('service:')) {
      const target = svc.network_mode.slice('service:'.length);
      if (!interpolated(target) && !(target in services))
        unknownService('network_mode', target, `service "${name}" depends on undefined service "${target}"`, 'name a service of the stack');
    }

    // compose-go loader/validate.go: `s.NetworkMode != "" && len(s.Networks) > 0` (an empty list or map is fine).
    if (svc.network_mode !== undefined && svc.networks != null && Object.keys(svc.networks as object).length > 0) {
      add(
        [...base, 'networks'],
        `the service has both network_mode and networks (Compose refuses the file: service ${name} declares mutually exclusive \`network_mode\` and \`networks\`): keep one; on host networking a service joins no network`,
      );
    }
    const test = isRecord(svc.healthcheck) ? svc.healthcheck.test : undefined;
    if (Array.isArray(test) && test.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(test[0] as string)) {
      add(
        [...base, 'healthcheck', 'test'],
        `${JSON.stringify(test[0])} starts the healthcheck test (Compose refuses the file: healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"): start the list with 'CMD' (or use Healthcheck.command() in the typed API)`,
      );
    }
    // The Engine refuses two mounts on one container path ("Duplicate mount point"), compared cleaned.
    // Reported at the key of the last of them (volumes, then tmpfs): the one an override would have added.
    const targets = new Map<string, { written: string[]; key: string }>();
    const note = (key: string, t: unknown) => {
      if (typeof t !== 'string' || interpolated(t) || !t.startsWith('/')) return;
      const clean = posix.normalize(t).replace(/(.)\/+$/, '$1');
      targets.set(clean, { written: [...(targets.get(clean)?.written ?? []), t], key });
    };
    for (const v of Array.isArray(svc.volumes) ? svc.volumes : [])
      note('volumes', isRecord(v) ? v.target : typeof v === 'string' ? (v.split(':')[1] ?? v.split(':')[0]) : undefined);
    for (const t of Array.isArray(svc.tmpfs) ? svc.tmpfs : typeof svc.tmpfs === 'string' ? [svc.tmpfs] : [])
      note('tmpfs', typeof t === 'string' ? t.split(':')[0] : undefined);
    for (const [clean, { written, key }] of targets) {
      if (written.length > 1) {
        add(
          [...base, key],
          `${written.length} mounts share the target '${clean}' (written ${written.map((w) => `'${w}'`).join(', ')}; the Engine refuses the container: Duplicate mount point): mount each path once`,
          true,
        );
      }
    }
    for (const net of namesOf(svc.networks)) {
      if (!interpolated(net) && !networks.includes(net)) {
        add(
          [...base, 'networks'],
          `'${net}' is not a network of this stack (Compose refuses the file: service "${name}" refers to undefined network ${net}): create it with new Network(stack, ...) and pass it in the service's networks (networks: ${list(networks)})`,
        );
      }
    }
    if (Array.isArray(svc.volumes)) {
      for (const v of svc.volumes) {
        let source: string | undefined;
        if (isRecord(v)) source = (v.type ?? 'volume') === 'volume' && typeof v.source === 'string' && v.source !== '' ? v.source : undefined;
        else if (typeof v === 'string') {
          // Short syntax `SOURCE:TARGET[:MODE]`: a source that is not a path is a named volume (compose-go format/volume.go).
          const parts = v.split(':');
          source = parts.length > 1 && !/^[./~]/.test(parts[0]) && !/^[A-Za-z]$/.test(parts[0]) ? parts[0] : undefined;
        }
        if (source !== undefined && !interpolated(source) && !volumes.includes(source)) {
          add(
            [...base, 'volumes'],
            `'${source}' is not a volume of this stack (Compose refuses the file: service "${name}" refers to undefined volume ${source}): create it with new Volume(stack, ...) and mount it with addVolume() (volumes: ${list(volumes)})`,
          );
        }
      }
    }
    for (const [kind, known] of [
      ['secrets', secrets],
      ['configs', configs],
    ] as const) {
      for (const source of sourcesOf(svc[kind])) {
        if (!interpolated(source) && !known.includes(source)) {
          add(
            [...base, kind],
            `'${source}' is not declared in the file's top-level ${kind} (Compose refuses the file: service "${name}" refers to undefined ${kind.slice(0, -1)} ${source}): declare it there too (${kind}: ${list(known)})`,
          );
        }
      }
    }

    if ((svc.image === undefined || svc.image === null || svc.image === '') && svc.build === undefined) {
      add(
        [...base, 'image'],
        `the service has neither an image nor a build (Compose refuses the file: service "${name}" has neither an image nor a build context specified): do not delete 'image' with addOverride('image', undefined); give the image in the Service's props`,
      );
    } else if (typeof svc.image === 'string' && svc.image !== '' && !interpolated(svc.image)) {
      const problem = imageReferenceProblem(svc.image);
      if (problem) add([...base, 'image'], `${problem} (Docker refuses to pull or run it)`);
    }

    for (const key of DURATION_KEYS) {
      const path = key.split('.');
      const v = valueAt(svc, path);
      if (v === undefined || v === null || interpolated(v)) continue;
      const read = typeof v === 'string' ? readGoDuration(v) : { error: 'missing unit in duration' };
      if ('error' in read || read.beyondRange) {
        const beyond = !('error' in read);
        const ns = 'error' in read ? read.error : 'invalid duration';
        add(
          [...base, ...path],
          `${JSON.stringify(v)} is not a duration Compose reads (Go's time.ParseDuration: ${ns} ${JSON.stringify(String(v))}): ` +
            (beyond
              ? `it is beyond Go's longest duration, ${GO_MAX_DURATION}: give a shorter one`
              : `write a number with a unit, without spaces: ns, us, ms, s, m or h, such as '10s', '1m30s' or '24h' (no days: write 168h for 7d; or use Duration in the typed API)`),
        );
      }
    }
    for (const key of CPU_KEYS) {
      const path = key.split('.');
      const v = valueAt(svc, path);
      if (v === undefined || v === null || typeof v === 'number' || interpolated(v)) continue;
      if (typeof v !== 'string' || !GO_FLOAT.test(v)) {
        add(
          [...base, ...path],
          `${JSON.stringify(v)} is not a number of CPUs (Compose reads it with Go's strconv.ParseFloat): write a number such as 0.5 or '2'`,
        );
      }
    }
    // compose-go loader/validate.go: "can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'" (and the others).
    for (const [short, long, read] of [
      // Both sides are float32 to compose-go (types/cpus.go), whether written as a number or a string: 0.1 and '0.1' are one value.
      [
        'cpus',
        'deploy.resources.limits.cpus',
        (x: unknown) => (typeof x === 'number' ? Math.fround(x) : typeof x === 'string' && GO_FLOAT.test(x) ? Math.fround(Number(x)) : undefined),
      ],
      ['mem_limit', 'deploy.resources.limits.memory', bytesOf],
      ['mem_reservation', 'deploy.resources.reservations.memory', bytesOf],
      ['pids_limit', 'deploy.resources.limits.pids', (x: unknown) => (typeof x === 'number' ? x : undefined)],
      ['scale', 'deploy.replicas', (x: unknown) => (typeof x === 'number' ? x : undefined)],
    ] as const) {
      // Compared once the other's block exists: an unset value there is 0 to compose-go (scale: replicas must be set).
      const a = valueAt(svc, [short]);
      const longPath = long.split('.');
      const block = valueAt(svc, longPath.slice(0, -1));
      const b = valueAt(svc, longPath) ?? (short === 'scale' || !isRecord(block) ? undefined : 0);
      if (a === undefined || b === undefined || interpolated(a) || interpolated(b)) continue;
      const [x, y] = [read(a), read(b)];
      if (x !== undefined && y !== undefined && (x !== 0 || short === 'scale') && x !== y) {
        add(
          [...base, short],
          `${JSON.stringify(a)} differs from ${long}, ${JSON.stringify(b)} (Compose refuses the file: can't set distinct values on '${short}' and '${long}'): set one of them, or both to one value`,
        );
      }
    }
    for (const key of MEMORY_KEYS) {
      const path = key.split('.');
      const v = valueAt(svc, path);
      const bytes = interpolated(v) ? undefined : bytesOf(v);
      if (bytes !== undefined && bytes > 0 && bytes < DOCKER_MIN_MEMORY) {
        add(
          [...base, ...path],
          `${JSON.stringify(v)} is below Docker's smallest memory ${key.includes('reserv') ? 'reservation' : 'limit'}, 6 MiB (the Engine refuses to create the container: Minimum memory ${key.includes('reserv') ? 'reservation' : 'limit'} allowed is 6MB): give at least 6 MiB ('6m'), or no limit`,
          true,
        );
      }
    }
  }
  // docker stack deploy reads these values its own way (src/swarm checks them).
  for (const [name, svc] of Object.entries(options.swarm ? {} : services)) {
    for (const key of SIZE_KEYS) {
      const v = valueAt(svc, key.split('.'));
      if (v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= -1)) continue;
      if (typeof v === 'string' && (typeof parseRamInBytes(v) === 'number' || (key === 'memswap_limit' && v === '-1'))) continue;
      valueProblems.push({
        at: ['services', name, ...key.split('.')],
        message: `${JSON.stringify(v)} is not a size Compose reads ("invalid size"): write bytes or a number with a unit, such as '512m' or '2g' (or use Size in the typed API)`,
      });
    }
    const restart = valueAt(svc, ['restart']);
    if (restart !== undefined && !(typeof restart === 'string' && RESTART_RE.test(restart))) {
      valueProblems.push({
        at: ['services', name, 'restart'],
        message: `${JSON.stringify(restart)} is not a restart policy Docker knows: use no, always, on-failure (or on-failure:N) or unless-stopped (or RestartPolicy in the typed API)`,
      });
    }
  }
  // compose-go: a secret that is not external needs a file or an environment variable ("one of file|environment must be set").
  // Not under Swarm: docker stack deploy reads secrets its own way (file, external, or a driver; no environment).
  for (const [name, secret] of Object.entries(isRecord(doc.secrets) && !options.swarm ? doc.secrets : {})) {
    if (isRecord(secret) && !secret.external && secret.file === undefined && secret.environment === undefined) {
      add(
        ['secrets', name],
        `the secret has neither file nor environment (Compose refuses the file: secrets.${name}: one of file|environment must be set): give one, or external: true`,
      );
    }
  }
  return [...problems, ...valueProblems];
}
