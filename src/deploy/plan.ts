import { describeChanges, INTERPOLATED_SETTING, serviceConfigHash, settingFingerprints } from './config-hash.js';
import type { DeployKey } from './deploy-key.js';
import { DeployError } from './errors.js';
import type { ResolvedImage } from './images.js';
import { normalizeImageRef } from './images.js';
import { ComposeLabel, DeployLabel } from './labels.js';
import { oneShotServices } from './one-shot.js';
import type { NetworkModel, ProjectModel, ServiceModel, VolumeModel } from './project.js';
import type { ActualState, ContainerState } from './state.js';

/** What to do with a service's container. */
export type ServiceAction = 'create' | 'recreate' | 'start' | 'keep';

/** The plan for one service. */
export interface ServicePlan {
  readonly service: ServiceModel;
  readonly action: ServiceAction;
  /** Why (for recreate: which settings or generated files changed). */
  readonly reasons: readonly string[];
  readonly existing?: ContainerState;
  readonly configHash: string;
  readonly settings: Readonly<Record<string, string>>;
}

/** The difference between the stack and the daemon, and what `up` will do about it. */
export interface Plan {
  readonly project: string;
  readonly services: readonly ServicePlan[];
  readonly networks: ReadonlyArray<{ readonly network: NetworkModel; readonly action: 'create' | 'keep' }>;
  readonly volumes: ReadonlyArray<{ readonly volume: VolumeModel; readonly action: 'create' | 'keep' }>;
  /**
   * Containers aixcl-deploy created for the project whose service is no
   * longer in the stack (or that are not their service's container any more,
   * left by a recreate that was cut short): removed.
   */
  readonly orphanContainers: readonly ContainerState[];
  /** Networks aixcl-deploy created for the project that are no longer in the stack: removed. */
  readonly orphanNetworks: readonly string[];
  /**
   * Containers of the project (by its Compose label) whose service is not in
   * the stack (or that are not their service's container) and that
   * aixcl-deploy did not create (e.g. left by a hand-written compose file):
   * KEPT, never removed by `up`.
   */
  readonly keptContainers: readonly ContainerState[];
  /** Networks of the project not in the stack that aixcl-deploy did not create: KEPT. */
  readonly keptNetworks: readonly string[];
  /** Volumes of the project no longer in the stack: KEPT (data is never removed implicitly). */
  readonly orphanVolumes: readonly string[];
  /** Images that will be pulled. */
  readonly pulls: readonly string[];
  /** Warnings to show (e.g. a volume that Compose did not create). */
  readonly warnings: readonly string[];
}

/** True when applying the plan changes something. */
export function planHasChanges(p: Plan): boolean {
  return (
    p.services.some((s) => s.action !== 'keep') ||
    p.networks.some((n) => n.action === 'create') ||
    p.volumes.some((v) => v.action === 'create') ||
    p.orphanContainers.length > 0 ||
    p.orphanNetworks.length > 0
  );
}

/** The recorded keyed fingerprint of a container's `${VAR}` values, if it has one. */
function pickInterpolated(recorded: Record<string, string>): Record<string, string> {
  return recorded[INTERPOLATED_SETTING] === undefined ? {} : { [INTERPOLATED_SETTING]: recorded[INTERPOLATED_SETTING] };
}

/**
 * Compares the project with what the daemon has.
 * @throws DeployError when a container, network or volume of the same name
 *   exists that this project did not create: it is never touched.
 */
export function makePlan(
  model: ProjectModel,
  actual: ActualState,
  images: ReadonlyMap<string, ResolvedImage>,
  deployKey: Pick<DeployKey, 'key' | 'isNew'>,
  opts: { readonly unknownValues?: ReadonlyMap<string, readonly string[]> } = {},
): Plan {
  const project = model.name;
  const conflicts: string[] = [];
  const warnings: string[] = [];
  const oneShot = oneShotServices(model);

  const services: ServicePlan[] = model.services.map((service) => {
    const configHash = serviceConfigHash(service, deployKey.key);
    const settings = settingFingerprints(service, deployKey.key);
    const named = actual.byName.get(service.containerName);
    if (named && (named.labels[ComposeLabel.PROJECT] !== project || named.labels[ComposeLabel.SERVICE] !== service.name)) {
      const owner = named.labels[ComposeLabel.PROJECT]
        ? `it belongs to project '${named.labels[ComposeLabel.PROJECT]}', service '${named.labels[ComposeLabel.SERVICE] ?? '?'}'`
        : 'it carries no Compose project label';
      conflicts.push(
        `a container named ${service.containerName} already exists and was not created by this stack (${owner}): remove or rename it yourself (docker rm -f ${service.containerName}), or deploy under another project name`,
      );
    }
    const existing = actual.containers.find(
      (c) => c.labels[ComposeLabel.SERVICE] === service.name && (c.name === service.containerName || !named),
    );
    const image = images.get(normalizeImageRef(service.image)) ?? images.get(service.image);
    if (!existing) return { service, action: 'create', reasons: ['not created yet'], configHash, settings };
    const reasons: string[] = [];
    const unknown = opts.unknownValues?.get(service.name);
    if (existing.labels[ComposeLabel.CONFIG_HASH] !== configHash) {
      const before = parseSettings(existing.labels[DeployLabel.SETTINGS]);
      let described = before ? describeChanges(before, settings, { keyIsNew: deployKey.isNew }) : [];
      if (unknown && before) {
        // A preview without some variables: their values (covered by one keyed fingerprint) cannot be
        // compared, so only the other settings decide; the recorded fingerprint stands in for theirs.
        described = describeChanges(before, { ...settings, ...pickInterpolated(before) }, { keyIsNew: deployKey.isNew });
        warnings.push(`${service.name}: values from \${VAR} references not compared (${unknown.join(', ')} not set)`);
      }
      if (described.length || !unknown || !before) {
        reasons.push(...(described.length ? described : ['configuration changed (the container was not created by aixcl-deploy, or by another version of it)']));
      }
    }
    if (image?.id && existing.imageId !== image.id && normalizeImageRef(existing.imageRef) === normalizeImageRef(service.image)) {
      reasons.push(`image ${service.image} ${image.pulled ? 'was updated by the pull' : 'now points to another image'}`);
    }
    if (existing.name !== service.containerName) reasons.push(`container name ${existing.name} -> ${service.containerName}`);
    if (['dead', 'removing'].includes(existing.status)) reasons.push(`the container is ${existing.status}`);
    if (!reasons.length) {
      const net = networkMismatch(service, existing);
      if (net) reasons.push(net);
    }
    if (reasons.length) return { service, action: 'recreate', reasons, existing, configHash, settings };
    if (existing.status === 'running' || existing.status === 'restarting') {
      return { service, action: 'keep', reasons: [], existing, configHash, settings };
    }
    if (existing.status === 'paused') return { service, action: 'keep', reasons: ['paused'], existing, configHash, settings };
    // A one-shot job that did its job stays done; any other service that exited is started again.
    if (existing.status === 'exited' && existing.exitCode === 0 && oneShot.has(service.name)) {
      return { service, action: 'keep', reasons: [], existing, configHash, settings };
    }
    const why = existing.status === 'exited' ? `it had exited (code ${existing.exitCode})` : `it was ${existing.status}`;
    return { service, action: 'start', reasons: [why], existing, configHash, settings };
  });

  const networks = model.networks.map((network) => {
    const found = actual.networks.find((n) => n.Name === network.dockerName);
    if (network.external) {
      if (!found) conflicts.push(`external network ${network.dockerName} does not exist: create it (docker network create ${network.dockerName})`);
      return { network, action: 'keep' as const };
    }
    if (!found) return { network, action: 'create' as const };
    const labels = found.Labels ?? {};
    if (labels[ComposeLabel.PROJECT] !== project || labels[ComposeLabel.NETWORK] !== network.key) {
      conflicts.push(
        `a network named ${network.dockerName} already exists and was not created by this stack: remove it (docker network rm ${network.dockerName}) or deploy under another project name`,
      );
    } else if (found.Driver !== network.driver || !!found.Internal !== network.internal) {
      conflicts.push(
        `network ${network.dockerName} exists with other settings (driver ${found.Driver}, internal ${!!found.Internal}): run 'aixcl-deploy down' first so it can be recreated`,
      );
    }
    return { network, action: 'keep' as const };
  });

  const volumes = model.volumes.map((volume) => {
    const found = actual.volumes.find((v) => v.Name === volume.dockerName);
    if (volume.external) {
      if (!found) conflicts.push(`external volume ${volume.dockerName} does not exist: create it (docker volume create ${volume.dockerName})`);
      return { volume, action: 'keep' as const };
    }
    if (!found) return { volume, action: 'create' as const };
    const owner = found.Labels?.[ComposeLabel.PROJECT];
    if (owner && owner !== project) {
      conflicts.push(`volume ${volume.dockerName} already exists and belongs to project '${owner}': deploy under another project name`);
    } else if (!owner) {
      warnings.push(`volume ${volume.dockerName} already exists and was not created by Compose or aixcl-deploy: using it as it is`);
    }
    return { volume, action: 'keep' as const };
  });

  if (conflicts.length) {
    throw new DeployError(`the stack collides with what is already on the daemon; nothing was changed:\n${conflicts.map((c) => `  ${c}`).join('\n')}`);
  }
  const networkNames = new Set(model.networks.map((n) => n.dockerName));
  const volumeNames = new Set(model.volumes.map((v) => v.dockerName));
  // Only what aixcl-deploy created (its own label) is removed; the rest of the project is listed and kept.
  const ours = (labels: Record<string, string> | undefined) => !!labels?.[DeployLabel.TOOL_VERSION];
  // A container of a service of the stack that is not the service's container is a leftover too (of a recreate that was cut short).
  const current = new Set(services.map((s) => s.existing?.id));
  const strayContainers = actual.containers.filter((c) => !current.has(c.id));
  const strayNetworks = actual.networks.filter((n) => n.Labels?.[ComposeLabel.PROJECT] === project && !networkNames.has(n.Name));
  const keptContainers = strayContainers.filter((c) => !ours(c.labels));
  const keptNetworks = strayNetworks.filter((n) => !ours(n.Labels)).map((n) => n.Name).sort();
  for (const c of keptContainers) warnings.push(`container ${c.name} is ${notOurs(project)}`);
  for (const n of keptNetworks) warnings.push(`network ${n} is ${notOurs(project)}`);
  return {
    project,
    services,
    networks,
    volumes,
    orphanContainers: strayContainers.filter((c) => ours(c.labels)),
    orphanNetworks: strayNetworks
      .filter((n) => ours(n.Labels))
      .map((n) => n.Name)
      .sort(),
    keptContainers,
    keptNetworks,
    orphanVolumes: actual.volumes
      .filter((v) => v.Labels?.[ComposeLabel.PROJECT] === project && !volumeNames.has(v.Name))
      .map((v) => v.Name)
      .sort(),
    pulls: [...images.values()].filter((i) => i.pulled).map((i) => i.ref).sort(),
    warnings,
  };
}

/** How a project's container or network that aixcl-deploy did not create is reported. */
function notOurs(project: string): string {
  return `kept (not created by aixcl-deploy): remove it yourself or with \`docker compose -p ${project} down\``;
}

/**
 * For a container that was never started: why its networks are not the
 * service's (a run that stopped between creating it and connecting it).
 */
function networkMismatch(service: ServiceModel, c: ContainerState): string | undefined {
  if (service.networkMode || c.startedAt || c.status !== 'created') return undefined;
  const has = new Set(Object.keys(c.inspect.NetworkSettings?.Networks ?? {}));
  const missing = service.networks.map((n) => n.dockerName).filter((n) => !has.has(n));
  const extra = [...has].filter((n) => !service.networks.some((w) => w.dockerName === n));
  if (!missing.length && !extra.length) return undefined;
  const parts = [...(missing.length ? [`not connected to ${missing.join(', ')}`] : []), ...(extra.length ? [`connected to ${extra.join(', ')}`] : [])];
  return `the container was never started and is ${parts.join(' and ')}`;
}

function parseSettings(label: string | undefined): Record<string, string> | undefined {
  if (!label) return undefined;
  try {
    const v = JSON.parse(label) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** The plan as plain data (for `--json` and tests). */
export function planToJson(p: Plan): Record<string, unknown> {
  return {
    project: p.project,
    changes: planHasChanges(p),
    services: p.services.map((s) => ({ service: s.service.name, container: s.service.containerName, action: s.action, reasons: s.reasons })),
    networks: p.networks.map((n) => ({ network: n.network.dockerName, action: n.action })),
    volumes: p.volumes.map((v) => ({ volume: v.volume.dockerName, action: v.action })),
    remove: { containers: p.orphanContainers.map((c) => c.name), networks: p.orphanNetworks },
    kept: { containers: p.keptContainers.map((c) => c.name), networks: p.keptNetworks },
    keptVolumes: p.orphanVolumes,
    pulls: p.pulls,
    warnings: p.warnings,
  };
}

/** The plan in words, one line per change. */
export function formatPlan(p: Plan): string {
  const lines: string[] = [];
  for (const i of p.pulls) lines.push(`  pull      image ${i}`);
  for (const n of p.networks) if (n.action === 'create') lines.push(`  create    network ${n.network.dockerName}`);
  for (const v of p.volumes) if (v.action === 'create') lines.push(`  create    volume ${v.volume.dockerName}`);
  for (const s of p.services) {
    if (s.action === 'keep') continue;
    const verb = s.action === 'recreate' ? 'recreate' : s.action === 'create' ? 'create' : 'start';
    lines.push(`  ${verb.padEnd(9)} ${s.service.name}${s.action === 'create' ? '' : `: ${s.reasons.join('; ')}`}`);
  }
  const inStack = new Set(p.services.map((s) => s.service.name));
  for (const c of p.orphanContainers) {
    const service = c.labels[ComposeLabel.SERVICE];
    lines.push(`  remove    container ${c.name} (${inStack.has(service) ? `a leftover of service '${service}', which has another container` : `service '${service}' is no longer in the stack`})`);
  }
  for (const n of p.orphanNetworks) lines.push(`  remove    network ${n}`);
  for (const c of p.keptContainers) lines.push(`  keep      container ${c.name}: ${notOurs(p.project)}`);
  for (const n of p.keptNetworks) lines.push(`  keep      network ${n}: ${notOurs(p.project)}`);
  for (const v of p.orphanVolumes) lines.push(`  keep      volume ${v} (no longer in the stack; its data is kept: remove it with docker volume rm ${v})`);
  const kept = p.services.filter((s) => s.action === 'keep').map((s) => s.service.name);
  if (!planHasChanges(p)) return `Project ${p.project}: nothing to change (${kept.length} service${kept.length === 1 ? '' : 's'} up to date).\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
  return `Project ${p.project}:\n${lines.join('\n')}\n${kept.length ? `  unchanged ${kept.join(', ')}\n` : ''}`;
}

