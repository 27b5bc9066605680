import { posix } from 'node:path';
import type Docker from 'dockerode';
import { canonicalJson } from './config-hash.js';
import { COMPOSE_COMPAT_VERSION, ComposeLabel, DeployLabel, dependsOnLabel } from './labels.js';
import type { ProjectModel, ServiceModel } from './project.js';
import { TOOL_VERSION } from './version.js';

/** What creating a service's container takes: the create call, then the networks to connect before start. */
export interface ContainerSpec {
  readonly create: Docker.ContainerCreateOptions;
  /** Networks beyond the first (API < 1.44 takes one network at create). */
  readonly connect: ReadonlyArray<{ network: string; aliases: readonly string[]; ipv4Address?: string }>;
}

/** An anonymous volume of a replaced container, mounted again on its successor. */
export interface InheritedVolume {
  /** The volume's (generated) name. */
  readonly name: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** The Docker API request that creates the service's container, with Compose's labels. */
export function containerSpec(
  model: ProjectModel,
  s: ServiceModel,
  opts: {
    configHash: string;
    settings: Record<string, string>;
    imageId?: string;
    /** Anonymous volumes of the container it replaces, to mount again by name (their data is kept). @default none */
    inheritedVolumes?: readonly InheritedVolume[];
  },
): ContainerSpec {
  const labels: Record<string, string> = {
    ...s.labels,
    [ComposeLabel.PROJECT]: model.name,
    [ComposeLabel.SERVICE]: s.name,
    [ComposeLabel.CONTAINER_NUMBER]: '1',
    [ComposeLabel.ONEOFF]: 'False',
    [ComposeLabel.CONFIG_HASH]: opts.configHash,
    [ComposeLabel.WORKING_DIR]: model.workingDir,
    [ComposeLabel.CONFIG_FILES]: model.configFile,
    [ComposeLabel.VERSION]: COMPOSE_COMPAT_VERSION,
    [ComposeLabel.DEPENDS_ON]: dependsOnLabel(s.dependsOn.map((d) => ({ service: d.service, condition: d.condition, restart: d.restart }))),
    [DeployLabel.SETTINGS]: canonicalJson(opts.settings),
    [DeployLabel.TOOL_VERSION]: TOOL_VERSION,
  };
  if (opts.imageId) labels[ComposeLabel.IMAGE] = opts.imageId;

  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const e of s.expose) exposed[e] = {};
  for (const p of s.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort === undefined ? '' : String(p.hostPort) });
  }

  // What is left of `inherited` after mountOf are the image's VOLUMEs the stack does not mount.
  const inherited = new Map((opts.inheritedVolumes ?? []).map((v) => [cleanPath(v.target), v]));
  const mountOf = (m: ServiceModel['mounts'][number]) => {
    switch (m.type) {
      case 'volume': {
        // A declared anonymous volume takes over the replaced container's one.
        const source = m.dockerName ?? inherited.get(cleanPath(m.target))?.name;
        if (!m.dockerName) inherited.delete(cleanPath(m.target));
        return {
          Type: 'volume' as const,
          Target: m.target,
          ReadOnly: m.readOnly,
          ...(source ? { Source: source } : {}),
          ...(m.noCopy ? { VolumeOptions: { NoCopy: true } } : {}),
        };
      }
      case 'bind':
        return { Type: 'bind' as const, Source: m.source, Target: m.target, ReadOnly: m.readOnly, ...(m.propagation ? { BindOptions: { Propagation: m.propagation } } : {}) };
      case 'tmpfs':
        return { Type: 'tmpfs' as const, Target: m.target, ...(m.sizeBytes !== undefined ? { TmpfsOptions: { SizeBytes: m.sizeBytes } } : {}) };
    }
  };
  const [first, ...rest] = s.networks;
  const networkMode = s.networkMode ?? first?.dockerName ?? 'none';
  const hostConfig: Docker.HostConfig = {
    NetworkMode: networkMode,
    RestartPolicy: restartPolicy(s.restart),
    Mounts: [...s.mounts.map(mountOf), ...[...inherited.values()].map((v) => ({ Type: 'volume' as const, Source: v.name, Target: v.target, ReadOnly: v.readOnly }))] as Docker.MountConfig,
    ...(networkMode !== 'host' && Object.keys(bindings).length ? { PortBindings: bindings } : {}),
    ...(s.memoryBytes !== undefined ? { Memory: s.memoryBytes } : {}),
    ...(s.memorySwapBytes !== undefined ? { MemorySwap: s.memorySwapBytes } : {}),
    ...(s.memoryReservationBytes !== undefined ? { MemoryReservation: s.memoryReservationBytes } : {}),
    ...(s.nanoCpus !== undefined ? { NanoCpus: s.nanoCpus } : {}),
    ...(s.shmSizeBytes !== undefined ? { ShmSize: s.shmSizeBytes } : {}),
    ...(s.pidsLimit !== undefined ? { PidsLimit: s.pidsLimit } : {}),
    ...(s.readOnly !== undefined ? { ReadonlyRootfs: s.readOnly } : {}),
    ...(s.privileged !== undefined ? { Privileged: s.privileged } : {}),
    ...(s.init !== undefined ? { Init: s.init } : {}),
    ...(s.capAdd.length ? { CapAdd: [...s.capAdd] } : {}),
    ...(s.capDrop.length ? { CapDrop: [...s.capDrop] } : {}),
    ...(s.securityOpt.length ? { SecurityOpt: [...s.securityOpt] } : {}),
    ...(s.extraHosts.length ? { ExtraHosts: [...s.extraHosts] } : {}),
    ...(s.dns.length ? { Dns: [...s.dns] } : {}),
    ...(s.groupAdd.length ? { GroupAdd: [...s.groupAdd] } : {}),
    ...(s.devices.length ? { Devices: s.devices.map((d) => ({ PathOnHost: d.host, PathInContainer: d.container, CgroupPermissions: d.permissions })) } : {}),
    ...(s.deviceRequests.length
      ? {
          DeviceRequests: s.deviceRequests.map((d) => ({
            Driver: d.driver ?? '',
            Count: d.count ?? 0,
            DeviceIDs: d.deviceIds ?? null,
            Capabilities: d.capabilities,
            Options: d.options ?? {},
          })),
        }
      : {}),
    ...(Object.keys(s.sysctls).length ? { Sysctls: { ...s.sysctls } } : {}),
    ...(s.ulimits.length ? { Ulimits: s.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) } : {}),
    ...(s.pid ? { PidMode: s.pid } : {}),
    ...(s.ipc ? { IpcMode: s.ipc } : {}),
    ...(s.logging ? { LogConfig: { Type: s.logging.driver, Config: s.logging.options } } : {}),
  } as Docker.HostConfig;

  const hc = s.healthcheck;
  const create: Docker.ContainerCreateOptions = {
    name: s.containerName,
    Image: s.image,
    Labels: labels,
    Env: Object.entries(s.environment).map(([k, v]) => `${k}=${v}`),
    ...(s.command ? { Cmd: [...s.command] } : {}),
    ...(s.entrypoint ? { Entrypoint: [...s.entrypoint] } : {}),
    ...(s.user !== undefined ? { User: s.user } : {}),
    ...(s.workingDir !== undefined ? { WorkingDir: s.workingDir } : {}),
    ...(s.hostname !== undefined ? { Hostname: s.hostname } : {}),
    ...(s.stopSignal !== undefined ? { StopSignal: s.stopSignal } : {}),
    ...(s.stopGraceSeconds !== undefined ? { StopTimeout: s.stopGraceSeconds } : {}),
    ...(s.tty !== undefined ? { Tty: s.tty } : {}),
    ...(s.stdinOpen !== undefined ? { OpenStdin: s.stdinOpen } : {}),
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    ...(hc
      ? {
          Healthcheck: {
            Test: [...hc.test],
            ...(hc.intervalNs !== undefined ? { Interval: hc.intervalNs } : {}),
            ...(hc.timeoutNs !== undefined ? { Timeout: hc.timeoutNs } : {}),
            ...(hc.retries !== undefined ? { Retries: hc.retries } : {}),
            ...(hc.startPeriodNs !== undefined ? { StartPeriod: hc.startPeriodNs } : {}),
          },
        }
      : {}),
    HostConfig: hostConfig,
    ...(first && !s.networkMode
      ? {
          NetworkingConfig: {
            EndpointsConfig: {
              [first.dockerName]: { Aliases: [...first.aliases], ...(first.ipv4Address ? { IPAMConfig: { IPv4Address: first.ipv4Address } } : {}) },
            },
          },
        }
      : {}),
    ...(s.platform ? { platform: s.platform } : {}),
  };
  return {
    create,
    connect: s.networkMode ? [] : rest.map((n) => ({ network: n.dockerName, aliases: n.aliases, ...(n.ipv4Address ? { ipv4Address: n.ipv4Address } : {}) })),
  };
}

/** A container path without `.`, `..` or a trailing slash, to compare mount points. */
export function cleanPath(p: string): string {
  return posix.normalize(p).replace(/(.)\/+$/, '$1');
}

function restartPolicy(r: string): { Name: string; MaximumRetryCount?: number } {
  const m = /^on-failure(?::(\d+))?$/.exec(r);
  if (m) return { Name: 'on-failure', ...(m[1] ? { MaximumRetryCount: Number(m[1]) } : {}) };
  return { Name: r === 'no' ? '' : r };
}
