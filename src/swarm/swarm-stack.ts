import { createHash } from 'node:crypto';
import type { Network } from '../compose/network.js';
import { escapeDollar, Interpolation, renderComposeValue, secretsOf, type ComposeValue } from '../compose/env-ref.js';
import { Secret } from '../compose/secret.js';
import { IMAGE_LABEL, OPTIONAL_LABEL, type ComposeService } from '../compose/compose-service.js';
import { RestartPolicy } from '../compose/service-props.js';
import { sortKeys, type Volume } from '../compose/volume.js';
import { renderedContent, type GeneratedFile } from '../core/generated-file.js';
import type { Stack } from '../core/stack.js';
import { swarmSettingsOf } from './swarm-settings.js';

/** Name of the stack file synthesis writes for the Swarm target. */
export const SWARM_STACK_FILE = 'docker-stack.yml';

/** The compose file format written: the newest Docker 20.10's `docker stack deploy` knows (later CLIs accept it too). */
export const SWARM_FILE_VERSION = '3.9';

/**
 * Prefix of the variables that name the swarm secret holding each secret
 * (`AIXCL_SWARM_SECRET_GRAFANA_ADMIN_PASSWORD`). Swarm secrets are immutable,
 * so a new value is a new secret with a new name; `docker stack deploy`
 * fills the name in from the environment (aixcl-deploy sets it).
 */
export const SWARM_SECRET_NAME_PREFIX = 'AIXCL_SWARM_SECRET_';

/** Where Swarm mounts secrets whose target is a bare name (moby: containerSecretMountPath). */
const SECRETS_DIR = '/run/secrets';

/** What the renderer reads of a stack. */
export interface SwarmStackParts {
  readonly stack: Stack;
  readonly services: readonly ComposeService[];
  readonly files: readonly GeneratedFile[];
  readonly volumes: readonly Volume[];
  readonly networks: readonly Network[];
}

/** The key of the stack file's secret that holds the value of `variable`. */
export function swarmSecretKey(variable: string): string {
  return variable.toLowerCase();
}

/**
 * The node label that pins a service to the node holding one of its named
 * volumes (a local volume lives on one node; a task scheduled elsewhere
 * would start on a new, empty volume). Set it on that node:
 * `docker node update --label-add <label>=true <node>`.
 */
export function volumeNodeLabel(project: string, volumeName: string): string {
  return `${project}.${volumeName}`;
}

/**
 * The config key of a generated file: its name and a hash of its content.
 * Swarm configs are immutable; a name that changes with the content makes
 * `docker stack deploy` create a new config and roll exactly the services
 * that mount it, and leaves everything else as it is when nothing changed.
 */
export function swarmConfigKey(file: GeneratedFile, content: string): string {
  const base = file.filePath
    .split('/')
    .pop()!
    .replace(/[^a-zA-Z0-9._-]/g, '-');
  return `${base}-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;
}

/** The generated files a service mounts, each with where it appears in the container. */
export function mountedFiles(service: ComposeService, files: readonly GeneratedFile[]): Array<{ file: GeneratedFile; target: string }> {
  const out: Array<{ file: GeneratedFile; target: string }> = [];
  for (const m of service._model().mounts) {
    if (m.kind !== 'generated') continue;
    for (const f of files) {
      if (f.filePath === m.prefix) out.push({ file: f, target: m.target });
      else if (f.filePath.startsWith(m.prefix + '/')) out.push({ file: f, target: `${m.target.replace(/\/+$/, '')}/${f.filePath.slice(m.prefix.length + 1)}` });
    }
  }
  return out.sort((a, b) => cmp(a.target, b.target));
}

/** The stack file for `docker stack deploy` (format 3.9), before it is checked. */
export function renderSwarmStack(parts: SwarmStackParts): Record<string, unknown> {
  const configs = new Map<string, Record<string, unknown>>();
  const secrets = new Map<string, Record<string, unknown>>();
  let defaultNetwork = false;
  const services: Record<string, unknown> = {};
  for (const s of [...parts.services].sort((a, b) => cmp(a.serviceName, b.serviceName))) {
    const entry = serviceEntry(s, parts, configs, secrets);
    if (!entry.networks) defaultNetwork = true;
    services[s.serviceName] = s._model().overrides.applyTo(entry);
  }
  const doc: Record<string, unknown> = { version: SWARM_FILE_VERSION, services };
  // Every network is an overlay (the one driver that spans nodes), encrypted: the services' traffic
  // crosses the network between nodes (IPsec between the nodes' VXLAN endpoints; moby overlay driver's
  // "encrypted" option). `default` is the network of services that name none (docker/cli convert.Networks).
  const networks: Record<string, unknown> = {};
  if (defaultNetwork) networks.default = overlay(false);
  for (const n of parts.networks) networks[n.networkName] = overlay(n.internal);
  if (Object.keys(networks).length) doc.networks = sortKeys(networks);
  if (parts.volumes.length) doc.volumes = sortKeys(Object.fromEntries(parts.volumes.map((v) => [v.volumeName, v._toCompose()])));
  if (secrets.size) doc.secrets = sortKeys(Object.fromEntries(secrets));
  if (configs.size) doc.configs = sortKeys(Object.fromEntries(configs));
  return doc;
}

function overlay(internal: boolean): Record<string, unknown> {
  return { driver: 'overlay', driver_opts: { encrypted: 'true' }, ...(internal ? { internal: true } : {}) };
}

function serviceEntry(
  s: ComposeService,
  parts: SwarmStackParts,
  configs: Map<string, Record<string, unknown>>,
  secrets: Map<string, Record<string, unknown>>,
): Record<string, unknown> {
  const m = s._model();
  const p = m.props;
  const settings = swarmSettingsOf(s);
  const image = s.stack.imageName(s.image);
  const out: Record<string, unknown> = { image };
  // References (EnvRef) are interpolated by `docker stack deploy` from its environment, as Compose does
  // (docker/cli cli/compose/interpolation); a secret inside a command is reported by checkSwarmStack.
  if (p.entrypoint) out.entrypoint = p.entrypoint.map(swarmValue);
  if (p.command) out.command = p.command.map(swarmValue);
  if (p.user) out.user = escapeDollar(p.user);

  const environment: Record<string, string> = {};
  const secretRefs: Array<Record<string, unknown>> = [];
  for (const [name, value] of m.environment) {
    if (!Secret.isSecret(value)) {
      environment[name] = swarmValue(value);
      continue;
    }
    const key = swarmSecretKey(value.variable);
    secrets.set(key, {
      external: true,
      // No '-' in the message: docker/cli's template reads '${VAR:?a-b}' as a default value ('b').
      name: `\${${SWARM_SECRET_NAME_PREFIX}${value.variable}:?set it to the name of the swarm secret holding ${value.variable} (the swarm deploy of aixcl creates it)}`,
    });
    const file = settings.secretFiles?.[name];
    // A secret the image cannot read from a file is reported by checkSwarmStack; it is left out here.
    if (!file) continue;
    if ('variable' in file) {
      environment[file.variable] = `${SECRETS_DIR}/${key}`;
      secretRefs.push({ source: key, target: key });
    } else {
      secretRefs.push({ source: key, target: file.path });
    }
  }
  if (Object.keys(environment).length) out.environment = sortKeys(environment);
  if (m.networks.length) out.networks = m.networks.map((n) => n.networkName).sort();

  const published = s.ports.filter((x) => s.isPublished(x));
  if (published.length) {
    // `mode: host`: published on the node that runs the task, on every interface of it, bypassing the
    // routing mesh (Engine API EndpointPortConfig.PublishMode). The mesh's `ingress` mode needs the VIP
    // load balancer, which this stack does not use (see endpoint_mode in deployOf), and swarmkit refuses
    // ingress publishing with dnsrr. Every published service is pinned to one node (its volumes), so the
    // port is on a known node.
    out.ports = published.map((x) => ({ target: x.containerPort, published: x.hostPort ?? x.containerPort, protocol: x.protocol ?? 'tcp', mode: 'host' }));
  }
  const volumes = m.mounts.flatMap((mount) => {
    const ro = mount.readOnly ? { read_only: true } : {};
    if (mount.kind === 'volume') return [{ type: 'volume', source: mount.volume.volumeName, target: mount.target, ...ro }];
    if (mount.kind === 'bind') return [{ type: 'bind', source: escapeDollar(mount.source), target: mount.target, ...ro }];
    return [];
  });
  if (volumes.length) out.volumes = volumes;
  const files = mountedFiles(s, parts.files);
  if (files.length) {
    out.configs = files.map(({ file, target }) => {
      const key = configKeyOf(file);
      configs.set(key, { file: `./${file.filePath}` });
      return { source: key, target };
    });
  }
  if (secretRefs.length) out.secrets = secretRefs.sort((a, b) => cmp(String(a.source), String(b.source)));
  if (s.healthcheck) {
    const hc = s.healthcheck._toCompose();
    out.healthcheck = { ...hc, test: (hc.test as string[]).map(escapeDollar) };
  }
  // Service-level `labels` are the containers' labels (docker/cli convert.Service: ContainerSpec.Labels);
  // the log collector reads the image from them, as under Compose.
  const labels: Record<string, string> = { ...m.labels, [IMAGE_LABEL]: image };
  if (p.optional) labels[OPTIONAL_LABEL] = 'true';
  out.labels = sortKeys(Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, escapeDollar(v)])));
  out.deploy = deployOf(s, settings.global ?? false);
  return out;
}

/** Swarm's `deploy:` block: mode, restart policy, memory limit, placement. */
function deployOf(s: ComposeService, global: boolean): Record<string, unknown> {
  const m = s._model();
  const p = m.props;
  const deploy: Record<string, unknown> = global ? { mode: 'global' } : { mode: 'replicated', replicas: 1 };
  // DNS round robin instead of a virtual IP: the service's name resolves to its tasks' own addresses.
  // Every service here has one task (or one per node, which Prometheus finds through tasks.<name>), so a
  // VIP would balance nothing, and it costs: it is an IPVS load balancer, which drops a connection left
  // idle for 900 s (moby/moby#31208, docker/docs#5519: Postgres and Loki clients keep idle connections)
  // and which some kernels lack (no CONFIG_IP_VS: the engine logs "Native loadbalancing will not work",
  // and the VIP answers nothing). Clients re-resolve the name when a connection fails (a task replaced).
  deploy.endpoint_mode = 'dnsrr';
  // Swarm knows none | on-failure | any (docker/cli convertRestartPolicy maps Compose's words the same way).
  const restart = p.restart ?? RestartPolicy.UNLESS_STOPPED;
  const condition = restart === RestartPolicy.NO ? 'none' : restart === RestartPolicy.ON_FAILURE ? 'on-failure' : 'any';
  deploy.restart_policy = { condition };
  if (p.memoryLimit) deploy.resources = { limits: { memory: p.memoryLimit.toComposeString() } };
  if (!global) {
    const project = s.stack.projectName;
    const constraints = [
      ...new Set(m.mounts.flatMap((x) => (x.kind === 'volume' ? [`node.labels.${volumeNodeLabel(project, x.volume.volumeName)} == true`] : []))),
    ].sort();
    if (constraints.length) deploy.placement = { constraints };
  }
  return deploy;
}

/**
 * A value as the stack file holds it. A secret inside an Interpolation cannot be a file: it is left
 * out here (an empty string) and reported by checkSwarmStack, so its value never reaches a service spec.
 */
function swarmValue(v: ComposeValue): string {
  if (Interpolation.isInterpolation(v) && v.secrets.length) return '';
  if (Secret.isSecret(v)) return '';
  return renderComposeValue(v);
}

function configKeyOf(file: GeneratedFile): string {
  let content: string;
  try {
    content = renderedContent(file);
  } catch {
    // That file reports its own problem; a placeholder key keeps the stack file's own checks running.
    content = '<unrenderable>';
  }
  return swarmConfigKey(file, content);
}

/**
 * Problems of a rendered stack file that its schema cannot see: secrets an
 * image cannot read from a file, unauthenticated services published on every
 * node, names Swarm refuses. Each message starts with the construct path.
 */
export function checkSwarmStack(doc: Record<string, unknown>, parts: SwarmStackParts): string[] {
  const errors: string[] = [];
  const services = (doc.services ?? {}) as Record<string, Record<string, unknown>>;
  const project = parts.stack.projectName;
  for (const s of parts.services) {
    const entry = services[s.serviceName] ?? {};
    const settings = swarmSettingsOf(s);
    const model = s._model();
    // A secret inside a command, an entrypoint or a composed value would be interpolated by docker stack
    // deploy into the service's spec, where `docker service inspect` shows it in clear.
    const embedded = [
      ...[...(model.props.command ?? []), ...(model.props.entrypoint ?? [])].flatMap((v) =>
        secretsOf(v).map((x) => `the command or entrypoint holds the secret ${x.variable}`),
      ),
      ...[...model.environment].flatMap(([name, v]) =>
        Interpolation.isInterpolation(v) ? v.secrets.map((x) => `environment variable ${name} holds the secret ${x.variable} inside a longer value`) : [],
      ),
    ];
    for (const what of embedded) {
      errors.push(
        `[${s.node.path}] ${what}, and under Swarm a secret is a file (in ${SECRETS_DIR}), never part of a service's spec (where docker service inspect would show it): give the secret whole to an environment variable the image reads from a file (configureSwarm secretFiles), or build the value inside the container from ${SECRETS_DIR}/<name>`,
      );
    }
    for (const [name, value] of model.environment) {
      if (Secret.isSecret(value) && !settings.secretFiles?.[name]) {
        errors.push(
          `[${s.node.path}] environment variable ${name} is a secret, and under Swarm secrets are files (in ${SECRETS_DIR}), never environment variables; nothing says how the image '${s.image.ref}' reads ${name} from a file: ` +
            `declare it with configureSwarm(service, { secretFiles: { ${name}: { variable: '${name}_FILE' } } }) if the image supports that variable (most official images do), or { path: '/where/it/reads/it' }`,
        );
      }
    }
    const ports = Array.isArray(entry.ports) ? entry.ports : [];
    if (settings.unauthenticated && ports.length) {
      errors.push(
        `[${s.node.path}] is published under Swarm, where a published port is open on every interface of every node, and ${settings.unauthenticated}`,
      );
    }
  }
  // Two variables that differ only by case name one swarm secret (swarmSecretKey lower-cases): it would be
  // listed once, with one value, and every *_FILE of either would point at it.
  const byKey = new Map<string, Map<string, string[]>>();
  for (const s of parts.services) {
    for (const [, value] of s._model().environment) {
      if (!Secret.isSecret(value)) continue;
      const vars = byKey.get(swarmSecretKey(value.variable)) ?? new Map<string, string[]>();
      vars.set(value.variable, [...new Set([...(vars.get(value.variable) ?? []), s.node.path])]);
      byKey.set(swarmSecretKey(value.variable), vars);
    }
  }
  for (const [key, vars] of byKey) {
    if (vars.size < 2) continue;
    const names = [...vars.keys()];
    errors.push(
      `[${parts.stack.node.path}] the secrets ${names.map((n) => `Secret.fromEnv('${n}')`).join(' and ')} (${[...new Set([...vars.values()].flat())].join(' and ')}) are one swarm secret, '${key}' ` +
        `(a swarm secret's name here is the variable's, lower case): one value would be lost; give the variables names that differ by more than case, or use one variable`,
    );
  }
  // swarmkit: names of configs, secrets, services and networks are at most 64 of [a-zA-Z0-9-_.].
  const names = [
    ...Object.keys((doc.configs ?? {}) as object).map((k) => ['config', `${project}_${k}`]),
    ...Object.keys(services).map((k) => ['service', `${project}_${k}`]),
  ];
  for (const [what, name] of names) {
    if (name.length > 64)
      errors.push(`[${parts.stack.node.path}] the ${what} name '${name}' is longer than the 64 characters Swarm allows: use a shorter project name`);
  }
  return errors;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
