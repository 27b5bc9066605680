import { z } from 'zod';
import { isGoDuration } from '../core/go-duration.js';
import { SERVICE_NAME_PATTERN } from '../core/name-patterns.js';

/*
 * What `docker stack deploy` accepts: the compose file format 3.9, the newest
 * that the Docker 20.10 CLI knows (docker/cli v20.10.24,
 * cli/compose/schema/data/config_schema_v3.9.json; later CLIs accept 3.9 too).
 * Every object of that schema has `additionalProperties: false`, and the
 * CLI refuses a file that breaks it before it changes anything, so this
 * schema is strict as well: an override with a typo, or a Compose-only key
 * such as the top-level `name`, fails synthesis instead of the deploy.
 * Keys this library does not generate are checked for their type only.
 */

/** `string | number | null` values, as list_or_dict allows. */
const listOrDict = z.union([z.record(z.string().min(1), z.union([z.string(), z.number(), z.null()])), z.array(z.string())]);
const stringOrList = z.union([z.string(), z.array(z.string())]);
/** Go durations (`10s`, `1m30s`), as `format: duration` means there. */
const duration = z.string().refine(isGoDuration, 'expected a Go duration such as 10s');

const healthcheck = z.strictObject({
  disable: z.boolean().optional(),
  interval: duration.optional(),
  retries: z.number().optional(),
  test: stringOrList.optional(),
  timeout: duration.optional(),
  start_period: duration.optional(),
});

const updateConfig = z.strictObject({
  parallelism: z.int().optional(),
  delay: duration.optional(),
  failure_action: z.string().optional(),
  monitor: duration.optional(),
  max_failure_ratio: z.number().optional(),
  order: z.enum(['start-first', 'stop-first']).optional(),
});

const deployment = z.strictObject({
  mode: z.enum(['replicated', 'global']).optional(),
  endpoint_mode: z.enum(['vip', 'dnsrr']).optional(),
  replicas: z.int().optional(),
  labels: listOrDict.optional(),
  rollback_config: updateConfig.optional(),
  update_config: updateConfig.optional(),
  resources: z
    .strictObject({
      limits: z.strictObject({ cpus: z.string().optional(), memory: z.string().optional(), pids: z.int().optional() }).optional(),
      reservations: z
        .strictObject({ cpus: z.string().optional(), memory: z.string().optional(), generic_resources: z.array(z.unknown()).optional() })
        .optional(),
    })
    .optional(),
  restart_policy: z
    .strictObject({
      // docker/cli convertRestartPolicy passes the condition to the engine, which knows these three.
      condition: z.enum(['none', 'on-failure', 'any']).optional(),
      delay: duration.optional(),
      max_attempts: z.int().optional(),
      window: duration.optional(),
    })
    .optional(),
  placement: z
    .strictObject({
      constraints: z.array(z.string()).optional(),
      preferences: z.array(z.strictObject({ spread: z.string().optional() })).optional(),
      max_replicas_per_node: z.int().optional(),
    })
    .optional(),
});

const fileReference = z.union([
  z.string(),
  z.object({
    source: z.string().optional(),
    target: z.string().optional(),
    uid: z.string().optional(),
    gid: z.string().optional(),
    mode: z.number().optional(),
  }),
]);

const serviceVolume = z.union([
  z.string(),
  z.strictObject({
    type: z.string(),
    source: z.string().optional(),
    target: z.string().optional(),
    read_only: z.boolean().optional(),
    consistency: z.string().optional(),
    bind: z.object({ propagation: z.string().optional() }).optional(),
    volume: z.object({ nocopy: z.boolean().optional() }).optional(),
    tmpfs: z.object({ size: z.int().min(0).optional() }).optional(),
  }),
]);

const port = z.union([
  z.number(),
  z.string(),
  // No host_ip: Swarm publishes on every interface (of every node with `ingress`, of the task's node with `host`).
  z.strictObject({ mode: z.enum(['ingress', 'host']).optional(), target: z.int().optional(), published: z.int().optional(), protocol: z.string().optional() }),
]);

const loose = z.unknown().optional();

/** A service of config_schema_v3.9.json (all its keys; the ones this library writes with their types). */
export const SwarmServiceSchema = z
  .strictObject({
    deploy: z.union([deployment, z.null()]).optional(),
    build: loose,
    cap_add: z.array(z.string()).optional(),
    cap_drop: z.array(z.string()).optional(),
    cgroupns_mode: z.string().optional(),
    cgroup_parent: z.string().optional(),
    command: stringOrList.optional(),
    configs: z.array(fileReference).optional(),
    container_name: z.string().optional(),
    credential_spec: loose,
    depends_on: loose,
    devices: z.array(z.string()).optional(),
    dns: stringOrList.optional(),
    dns_search: stringOrList.optional(),
    domainname: z.string().optional(),
    entrypoint: stringOrList.optional(),
    env_file: stringOrList.optional(),
    environment: listOrDict.optional(),
    expose: z.array(z.union([z.string(), z.number()])).optional(),
    external_links: z.array(z.string()).optional(),
    extra_hosts: listOrDict.optional(),
    healthcheck: healthcheck.optional(),
    hostname: z.string().optional(),
    image: z.string(),
    init: z.boolean().optional(),
    ipc: z.string().optional(),
    isolation: z.string().optional(),
    labels: listOrDict.optional(),
    links: z.array(z.string()).optional(),
    logging: z
      .strictObject({ driver: z.string().optional(), options: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional() })
      .optional(),
    mac_address: z.string().optional(),
    network_mode: z.string().optional(),
    networks: z
      .union([
        z.array(z.string()),
        z.record(
          z.string().regex(SERVICE_NAME_PATTERN),
          z.union([
            z.strictObject({ aliases: z.array(z.string()).optional(), ipv4_address: z.string().optional(), ipv6_address: z.string().optional() }),
            z.null(),
          ]),
        ),
      ])
      .optional(),
    pid: z.union([z.string(), z.null()]).optional(),
    ports: z.array(port).optional(),
    privileged: z.boolean().optional(),
    read_only: z.boolean().optional(),
    restart: z.string().optional(),
    security_opt: z.array(z.string()).optional(),
    shm_size: z.union([z.number(), z.string()]).optional(),
    secrets: z.array(fileReference).optional(),
    sysctls: listOrDict.optional(),
    stdin_open: z.boolean().optional(),
    stop_grace_period: duration.optional(),
    stop_signal: z.string().optional(),
    tmpfs: stringOrList.optional(),
    tty: z.boolean().optional(),
    ulimits: z.record(z.string(), z.unknown()).optional(),
    user: z.string().optional(),
    userns_mode: z.string().optional(),
    volumes: z.array(serviceVolume).optional(),
    working_dir: z.string().optional(),
  })
  .catchall(z.unknown());

const external = z.union([z.boolean(), z.strictObject({ name: z.string().optional() })]);
const driverOpts = z.record(z.string(), z.union([z.string(), z.number()]));

/** The whole stack file (config_schema_v3.9.json's root: version is required; no `name`). */
export const SwarmStackSchema = z.strictObject({
  version: z.string(),
  services: z.record(z.string().regex(SERVICE_NAME_PATTERN), SwarmServiceSchema).optional(),
  networks: z
    .record(
      z.string(),
      z.union([
        z.strictObject({
          name: z.string().optional(),
          driver: z.string().optional(),
          driver_opts: driverOpts.optional(),
          ipam: loose,
          external: external.optional(),
          internal: z.boolean().optional(),
          attachable: z.boolean().optional(),
          labels: listOrDict.optional(),
        }),
        z.null(),
      ]),
    )
    .optional(),
  volumes: z
    .record(
      z.string(),
      z.union([
        z.strictObject({
          name: z.string().optional(),
          driver: z.string().optional(),
          driver_opts: driverOpts.optional(),
          external: external.optional(),
          labels: listOrDict.optional(),
        }),
        z.null(),
      ]),
    )
    .optional(),
  secrets: z
    .record(
      z.string(),
      z.strictObject({
        name: z.string().optional(),
        file: z.string().optional(),
        external: external.optional(),
        labels: listOrDict.optional(),
        driver: z.string().optional(),
        driver_opts: driverOpts.optional(),
        template_driver: z.string().optional(),
      }),
    )
    .optional(),
  configs: z
    .record(
      z.string(),
      z.strictObject({
        name: z.string().optional(),
        file: z.string().optional(),
        external: external.optional(),
        labels: listOrDict.optional(),
        template_driver: z.string().optional(),
      }),
    )
    .optional(),
});

/** Checks a stack file against what `docker stack deploy` (format 3.9) accepts; one message per problem. */
export function checkSwarmSchema(doc: unknown, reportedServiceNames: ReadonlySet<string> = new Set()): string[] {
  const r = SwarmStackSchema.safeParse(doc);
  if (r.success) return [...extensionKeys(doc)];
  return (
    r.error.issues
      // A service name the Service already reported as invalid (one message per problem).
      .filter((i) => !(i.code === 'invalid_key' && i.path.length === 2 && i.path[0] === 'services' && reportedServiceNames.has(String(i.path[1]))))
      .map((i) => `/${i.path.join('/')} ${i.message}`)
  );
}

/** Only `x-` keys may be added to services (patternProperties '^x-'); others are reported. */
function extensionKeys(doc: unknown): string[] {
  const services = (doc as { services?: Record<string, Record<string, unknown>> }).services ?? {};
  const known = new Set(Object.keys(SwarmServiceSchema.shape));
  const out: string[] = [];
  for (const [name, s] of Object.entries(services)) {
    for (const k of Object.keys(s)) if (!known.has(k) && !k.startsWith('x-')) out.push(`/services/${name} unrecognized key '${k}'`);
  }
  return out;
}
