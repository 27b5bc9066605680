import type { ComposeProject, ComposeResource, ComposeService } from './compose-project.js';
import type { DeployKey } from './deploy-key.js';
import { describeChanges, settingFingerprints, type DeployRecord } from './deploy-record.js';
import { DeployError } from './errors.js';
import type { ResolvedImage } from './images.js';
import { normalizeImageRef } from './images.js';
import { ComposeLabel, DeployLabel } from './labels.js';
import { oneShotServices } from './one-shot.js';
import type { ActualState, ContainerState } from './state.js';

/** What `docker compose up` will do with a service's container (convergence.go: create, recreate, start, or leave it running). */
export type ServiceAction = 'create' | 'recreate' | 'start' | 'keep';

/** The plan for one service. */
export interface ServicePlan {
  readonly service: ComposeService;
  readonly action: ServiceAction;
  /** Why (for recreate: which settings or generated files changed). */
  readonly reasons: readonly string[];
  readonly existing?: ContainerState;
  /** Fingerprints of its settings, recorded once it is deployed. */
  readonly settings: Readonly<Record<string, string>>;
}

/** The difference between the stack and the daemon, and what `up` will do about it. */
export interface Plan {
  readonly project: string;
  readonly services: readonly ServicePlan[];
  readonly networks: ReadonlyArray<{ readonly network: ComposeResource; readonly action: 'create' | 'keep' }>;
  readonly volumes: ReadonlyArray<{ readonly volume: ComposeResource; readonly action: 'create' | 'keep' }>;
  /**
   * Containers of the project whose service is no longer in the stack and
   * that aixcl-deploy deployed (recorded in the output directory, or
   * labelled by an earlier version of it): removed.
   */
  readonly orphanContainers: readonly ContainerState[];
  /** Networks aixcl-deploy deployed for the project that are no longer in the stack: removed. */
  readonly orphanNetworks: readonly string[];
  /**
   * Containers of the project (by its Compose label) whose service is not in
   * the stack and that aixcl-deploy did not deploy (e.g. left by a
   * hand-written compose file): KEPT, never removed by `up`.
   */
  readonly keptContainers: readonly ContainerState[];
  /** Networks of the project not in the stack that aixcl-deploy did not deploy: KEPT. */
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

/** Options of {@link makePlan}. */
export interface PlanOptions {
  /** Per service, settings whose value came from a `${VAR}` reference (named as such). */
  readonly fromVariables?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The Compose that will apply the plan (`[major, minor, patch]`): before
   * 2.29.4 it recreates every dependent of a recreated service, later ones
   * stop and start them. @default [2, 26, 1]
   */
  readonly composeVersion?: readonly [number, number, number];
  /** Per service, settings whose variables are not set (a preview): not compared, with the variables' names. */
  readonly unknown?: ReadonlyMap<string, { readonly settings: ReadonlySet<string>; readonly variables: readonly string[] }>;
}

/**
 * Compares the project, as Compose reads it, with what the daemon has, the
 * way `docker compose up` will: a container is recreated when its
 * `com.docker.compose.config-hash` or `com.docker.compose.image` label
 * differs from the service's (convergence.go mustRecreate), started when it
 * is not running (startService starts every container that is not running,
 * a one-shot job that completed too), left alone otherwise. The reasons
 * compare the normalized service with the one this tool last deployed.
 * @throws DeployError when a container, network or volume of the same name
 *   exists that this project did not create: it is never touched.
 */
export function makePlan(
  model: ComposeProject,
  actual: ActualState,
  images: ReadonlyMap<string, ResolvedImage>,
  record: DeployRecord,
  deployKey: Pick<DeployKey, 'key' | 'isNew'>,
  opts: PlanOptions = {},
): Plan {
  const project = model.name;
  const conflicts: string[] = [];
  const warnings: string[] = [];
  const oneShot = oneShotServices(model);

  const services: ServicePlan[] = model.services.map((service) => {
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
    const existing = actual.containers.find((c) => c.labels[ComposeLabel.SERVICE] === service.name && (c.name === service.containerName || !named));
    if (!existing) return { service, action: 'create', reasons: ['not created yet'], settings };
    const reasons: string[] = [];
    const unknown = opts.unknown?.get(service.name);
    if (existing.labels[ComposeLabel.CONFIG_HASH] !== service.configHash) {
      const last = record.services[service.name];
      const ours = last && last.configHash === existing.labels[ComposeLabel.CONFIG_HASH] && !deployKey.isNew;
      const described = ours
        ? describeChanges(last.settings, settings, { fromVariables: opts.fromVariables?.get(service.name) ?? new Set(), skip: unknown?.settings ?? new Set() })
        : [];
      if (unknown) warnings.push(`${service.name}: values from \${VAR} references not compared (${unknown.variables.join(', ')} not set)`);
      // In a preview without some variables, only the other settings decide.
      if (described.length || !unknown || !ours) {
        const unexplained = ours
          ? 'configuration changed'
          : 'configuration changed (the container was deployed by docker compose, another version of aixcl-deploy, or under another deploy key)';
        reasons.push(...(described.length ? described : [unexplained]));
      }
    }
    const image = images.get(normalizeImageRef(service.image)) ?? images.get(service.image);
    if (image?.id && existing.imageId !== image.id && normalizeImageRef(existing.imageRef) === normalizeImageRef(service.image)) {
      reasons.push(`image ${service.image} ${image.pulled ? 'was updated by the pull' : 'now points to another image'}`);
    }
    if (reasons.length) return { service, action: 'recreate', reasons, existing, settings };
    if (existing.status === 'running' || existing.status === 'restarting') return { service, action: 'keep', reasons: [], existing, settings };
    if (existing.status === 'paused') return { service, action: 'keep', reasons: ['paused'], existing, settings };
    const why =
      existing.status === 'exited' && existing.exitCode === 0 && oneShot.has(service.name)
        ? 'a one-shot job that completed: docker compose up runs it again'
        : existing.status === 'exited'
          ? `it had exited (code ${existing.exitCode})`
          : `it was ${existing.status}`;
    return { service, action: 'start', reasons: [why], existing, settings };
  });

  followRecreatedDependencies(model, services, opts.composeVersion ?? [2, 26, 1]);

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
  // Only what aixcl-deploy deployed is removed: recorded in the output directory, or labelled by an earlier version of it.
  const recordedIds = new Set(Object.values(record.services).map((s) => s.containerId));
  const recordedNetworks = new Set(record.networks);
  const current = new Set(services.map((s) => s.existing?.id));
  const strayContainers = actual.containers.filter((c) => !current.has(c.id) && !model.services.some((s) => s.name === c.labels[ComposeLabel.SERVICE]));
  const strayNetworks = actual.networks.filter((n) => n.Labels?.[ComposeLabel.PROJECT] === project && !networkNames.has(n.Name));
  const ourContainer = (c: ContainerState) => recordedIds.has(c.id) || !!c.labels[DeployLabel.TOOL_VERSION];
  const ourNetwork = (n: (typeof strayNetworks)[number]) => recordedNetworks.has(n.Name) || !!n.Labels?.[DeployLabel.TOOL_VERSION];
  const keptContainers = strayContainers.filter((c) => !ourContainer(c));
  const keptNetworks = strayNetworks
    .filter((n) => !ourNetwork(n))
    .map((n) => n.Name)
    .sort();
  for (const c of keptContainers) warnings.push(`container ${c.name} is ${notOurs(project)}`);
  for (const n of keptNetworks) warnings.push(`network ${n} is ${notOurs(project)}`);
  return {
    project,
    services,
    networks,
    volumes,
    orphanContainers: strayContainers.filter(ourContainer),
    orphanNetworks: strayNetworks
      .filter(ourNetwork)
      .map((n) => n.Name)
      .sort(),
    keptContainers,
    keptNetworks,
    orphanVolumes: actual.volumes
      .filter((v) => v.Labels?.[ComposeLabel.PROJECT] === project && !volumeNames.has(v.Name))
      .map((v) => v.Name)
      .sort(),
    pulls: [...images.values()]
      .filter((i) => i.pulled)
      .map((i) => i.ref)
      .sort(),
    warnings,
  };
}

/**
 * What Compose does to the dependents of a recreated service. Up to 2.29.3
 * it recreates them (convergence.go recreateContainer calls
 * setDependentLifecycle(project, service, forceRecreate), which
 * mustRecreate honours); from 2.29.4 it stops them before the recreate and
 * starts them again (docker/compose 1076f1d9a, stopDependentContainers).
 * Services are visited dependencies first, so this follows chains.
 */
function followRecreatedDependencies(model: ComposeProject, services: ServicePlan[], [a, b, c]: readonly [number, number, number]): void {
  const recreatesDependents = a < 2 || (a === 2 && (b < 29 || (b === 29 && c < 4)));
  const index = new Map(services.map((sp, i) => [sp.service.name, i]));
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    const i = index.get(name)!;
    const sp = services[i]!;
    for (const d of sp.service.dependsOn) if (index.has(d.service)) visit(d.service);
    if (sp.action !== 'keep' && sp.action !== 'start') return;
    if (!sp.existing) return;
    const recreated = sp.service.dependsOn.map((d) => d.service).filter((d) => services[index.get(d) ?? -1]?.action === 'recreate');
    if (!recreated.length) return;
    const which = recreated.map((d) => `'${d}'`).join(', ');
    services[i] = recreatesDependents
      ? {
          ...sp,
          action: 'recreate',
          reasons: [`its dependency ${which} is recreated, and Compose before 2.29.4 recreates the dependents of a recreated service`],
        }
      : sp.existing.status === 'running'
        ? { ...sp, action: 'start', reasons: [`its dependency ${which} is recreated: Compose stops it first and starts it again`] }
        : sp;
  };
  for (const s of model.services) visit(s.name);
}

/** How a project's container or network that aixcl-deploy did not create is reported. */
function notOurs(project: string): string {
  return `kept (not created by aixcl-deploy): remove it yourself or with \`docker compose -p ${project} down\``;
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
    lines.push(
      `  remove    container ${c.name} (${inStack.has(service) ? `a leftover of service '${service}', which has another container` : `service '${service}' is no longer in the stack`})`,
    );
  }
  for (const n of p.orphanNetworks) lines.push(`  remove    network ${n}`);
  for (const c of p.keptContainers) lines.push(`  keep      container ${c.name}: ${notOurs(p.project)}`);
  for (const n of p.keptNetworks) lines.push(`  keep      network ${n}: ${notOurs(p.project)}`);
  for (const v of p.orphanVolumes) lines.push(`  keep      volume ${v} (no longer in the stack; its data is kept: remove it with docker volume rm ${v})`);
  const kept = p.services.filter((s) => s.action === 'keep').map((s) => s.service.name);
  if (!planHasChanges(p))
    return `Project ${p.project}: nothing to change (${kept.length} service${kept.length === 1 ? '' : 's'} up to date).\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
  return `Project ${p.project}:\n${lines.join('\n')}\n${kept.length ? `  unchanged ${kept.join(', ')}\n` : ''}`;
}
