import { homedir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseBytes, parseDurationNs, splitShellWords } from './compose-units.js';
import { DeployError } from './errors.js';
import { containerName } from './labels.js';
import { isComposeProjectName } from '../core/stack.js';

/** A published port (bridge networking). */
export interface PortModel {
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  /** Host address; '' means every address. */
  readonly hostIp: string;
  /** Host port; undefined lets Docker choose one. */
  readonly hostPort?: number;
}

/** A mount of a service. */
export type MountModel =
  | {
      readonly type: 'volume';
      /** Key of the volume in the compose file; undefined for an anonymous volume. */
      readonly key?: string;
      readonly dockerName?: string;
      readonly target: string;
      readonly readOnly: boolean;
      readonly noCopy?: boolean;
    }
  | { readonly type: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean; readonly propagation?: string }
  | { readonly type: 'tmpfs'; readonly target: string; readonly sizeBytes?: number; readonly mode?: number };

/** A healthcheck; `test: ['NONE']` disables the image's. */
export interface HealthcheckModel {
  readonly test: readonly string[];
  readonly intervalNs?: number;
  readonly timeoutNs?: number;
  readonly retries?: number;
  readonly startPeriodNs?: number;
}

/** One `depends_on` entry. */
export interface DependencyModel {
  readonly service: string;
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  /** When false, the dependent starts even if this dependency fails. */
  readonly required: boolean;
  readonly restart: boolean;
}

/** A network a container joins. */
export interface NetworkAttachment {
  readonly key: string;
  readonly dockerName: string;
  readonly aliases: readonly string[];
  readonly ipv4Address?: string;
}

/** A service as aixcl-deploy runs it: one container. */
export interface ServiceModel {
  readonly name: string;
  readonly containerName: string;
  readonly image: string;
  readonly pullPolicy?: 'always' | 'missing' | 'never';
  /** The interpolated definition with paths resolved: what the config hash covers. */
  readonly definition: Readonly<Record<string, unknown>>;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** `host`, `none`, `container:NAME`, or undefined (the networks below). */
  readonly networkMode?: string;
  readonly networks: readonly NetworkAttachment[];
  readonly ports: readonly PortModel[];
  readonly expose: readonly string[];
  readonly mounts: readonly MountModel[];
  readonly healthcheck?: HealthcheckModel;
  readonly dependsOn: readonly DependencyModel[];
  /** `no`, `always`, `unless-stopped`, `on-failure[:N]`. */
  readonly restart: string;
  readonly stopGraceSeconds?: number;
  readonly stopSignal?: string;
  readonly user?: string;
  readonly workingDir?: string;
  readonly hostname?: string;
  readonly memoryBytes?: number;
  readonly memorySwapBytes?: number;
  readonly memoryReservationBytes?: number;
  readonly nanoCpus?: number;
  readonly shmSizeBytes?: number;
  readonly pidsLimit?: number;
  readonly readOnly?: boolean;
  readonly privileged?: boolean;
  readonly init?: boolean;
  readonly tty?: boolean;
  readonly stdinOpen?: boolean;
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly securityOpt: readonly string[];
  readonly extraHosts: readonly string[];
  readonly dns: readonly string[];
  readonly groupAdd: readonly string[];
  readonly devices: ReadonlyArray<{ host: string; container: string; permissions: string }>;
  readonly deviceRequests: ReadonlyArray<{ driver?: string; count?: number; deviceIds?: string[]; capabilities: string[][]; options?: Record<string, string> }>;
  readonly sysctls: Readonly<Record<string, string>>;
  readonly ulimits: ReadonlyArray<{ name: string; soft: number; hard: number }>;
  readonly pid?: string;
  readonly ipc?: string;
  readonly logging?: { driver: string; options: Record<string, string> };
  readonly platform?: string;
  /** Generated files (paths relative to the compose file) this service bind-mounts, with their hashes. */
  readonly mountedFiles: ReadonlyArray<{ path: string; sha256: string }>;
  /**
   * Paths in {@link definition} (`environment.NAME`, `environment[2]`,
   * `command[1]`) of the values that came from a `${VAR}` reference: they
   * may be secrets, so they are only fingerprinted together, with a key.
   */
  readonly interpolated: readonly string[];
}

/** A network of the project. */
export interface NetworkModel {
  readonly key: string;
  readonly dockerName: string;
  readonly external: boolean;
  readonly driver: string;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly enableIpv6: boolean;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** A named volume of the project. */
export interface VolumeModel {
  readonly key: string;
  readonly dockerName: string;
  readonly external: boolean;
  readonly driver: string;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** A compose project, ready to deploy. */
export interface ProjectModel {
  readonly name: string;
  /** Absolute directory of the compose file: relative paths resolve against it. */
  readonly workingDir: string;
  /** Absolute path of the compose file. */
  readonly configFile: string;
  /** Services, sorted by name. */
  readonly services: readonly ServiceModel[];
  /** Networks used by at least one service (and declared ones), sorted by key. */
  readonly networks: readonly NetworkModel[];
  /** Declared volumes, sorted by key. */
  readonly volumes: readonly VolumeModel[];
}

/** Inputs of {@link parseProject}. */
export interface ParseProjectOptions {
  /** Absolute path of the compose file (it need not exist yet). */
  readonly configFile: string;
  /** Project name. @default the document's `name` */
  readonly projectName?: string;
  /** Generated files (relative to the compose file's directory) with their hashes, from the synthesis manifest. @default none */
  readonly generatedFiles?: ReadonlyArray<{ path: string; sha256: string }>;
  /** Document paths of the values that came from `${VAR}` references (`interpolated` of the interpolation report). @default none */
  readonly interpolated?: readonly string[];
}

const SERVICE_KEYS = new Set([
  'image', 'container_name', 'command', 'entrypoint', 'environment', 'ports', 'expose', 'volumes', 'tmpfs', 'healthcheck',
  'depends_on', 'restart', 'mem_limit', 'memswap_limit', 'mem_reservation', 'cpus', 'shm_size', 'pids_limit', 'labels',
  'network_mode', 'networks', 'user', 'working_dir', 'hostname', 'stop_grace_period', 'stop_signal', 'read_only',
  'privileged', 'init', 'tty', 'stdin_open', 'cap_add', 'cap_drop', 'security_opt', 'extra_hosts', 'dns', 'group_add',
  'devices', 'sysctls', 'ulimits', 'pid', 'ipc', 'logging', 'deploy', 'platform', 'pull_policy',
]);
const TOP_KEYS = new Set(['name', 'services', 'networks', 'volumes', 'version']);
/**
 * Settings that do not change the container. (Unlike Compose, depends_on IS
 * hashed: it is recorded in a label that `docker compose down` reads, and a
 * stale one naming a removed service breaks it.)
 */
const NOT_HASHED = new Set(['pull_policy']);

/**
 * Reads an interpolated compose document into the model aixcl-deploy works
 * from, resolving relative bind mounts against the compose file's directory.
 * @throws DeployError listing every setting it does not support or cannot read
 */
export function parseProject(doc: unknown, opts: ParseProjectOptions): ProjectModel {
  const problems: string[] = [];
  if (!isRecord(doc)) throw new DeployError('the compose file is not a YAML mapping');
  const workingDir = resolve(opts.configFile, '..');
  const name = opts.projectName ?? (typeof doc.name === 'string' ? doc.name : undefined);
  if (!name || !isComposeProjectName(name)) {
    throw new DeployError(`the compose file has no valid project name ('name:'): got '${String(name)}'`);
  }
  for (const k of Object.keys(doc)) {
    if (!TOP_KEYS.has(k) && !k.startsWith('x-')) problems.push(`top-level '${k}' is not supported by aixcl-deploy`);
  }
  if (!isRecord(doc.services) || Object.keys(doc.services).length === 0) throw new DeployError('the compose file has no services');

  const declaredVolumes = new Map<string, VolumeModel>();
  for (const [key, raw] of Object.entries(asRecord(doc.volumes))) {
    const v = asRecord(raw);
    const external = v.external === true;
    declaredVolumes.set(key, {
      key,
      dockerName: typeof v.name === 'string' ? v.name : external ? key : `${name}_${key}`,
      external,
      driver: typeof v.driver === 'string' ? v.driver : 'local',
      driverOpts: stringMap(v.driver_opts),
      labels: stringMap(v.labels),
    });
  }
  const declaredNetworks = new Map<string, NetworkModel>();
  const networkOf = (key: string, raw: unknown): NetworkModel => {
    const n = asRecord(raw);
    const external = n.external === true;
    return {
      key,
      dockerName: typeof n.name === 'string' ? n.name : external ? key : `${name}_${key}`,
      external,
      driver: typeof n.driver === 'string' ? n.driver : 'bridge',
      internal: n.internal === true,
      attachable: n.attachable === true,
      enableIpv6: n.enable_ipv6 === true,
      driverOpts: stringMap(n.driver_opts),
      labels: stringMap(n.labels),
    };
  };
  for (const [key, raw] of Object.entries(asRecord(doc.networks))) declaredNetworks.set(key, networkOf(key, raw));
  const usedNetworks = new Set<string>();

  const services: ServiceModel[] = [];
  for (const [svcName, raw] of Object.entries(doc.services).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const where = `service '${svcName}'`;
    const s = asRecord(raw);
    for (const k of Object.keys(s)) {
      if (!SERVICE_KEYS.has(k) && !k.startsWith('x-')) {
        problems.push(`${where} uses '${k}', which aixcl-deploy does not support: deploy this stack with docker compose, or remove the override that adds it`);
      }
    }
    if (typeof s.image !== 'string' || s.image === '') {
      problems.push(`${where} has no image ('build' is not supported: build the image first and name it in the stack)`);
      continue;
    }
    try {
      const prefix = `services.${svcName}.`;
      const interpolated = (opts.interpolated ?? []).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
      services.push(
        parseService(svcName, s, { project: name, workingDir, declaredVolumes, declaredNetworks, usedNetworks, generatedFiles: opts.generatedFiles ?? [], problems, interpolated }),
      );
    } catch (e) {
      if (e instanceof DeployError) problems.push(e.message);
      else throw e;
    }
  }
  const names = new Set(services.map((s) => s.name));
  for (const s of services) {
    for (const d of s.dependsOn) {
      if (!names.has(d.service)) problems.push(`service '${s.name}' depends on '${d.service}', which is not a service of the stack`);
    }
  }
  if (!problems.length) {
    const cycle = findCycle(services);
    if (cycle) problems.push(`depends_on has a cycle: ${cycle.join(' -> ')}`);
  }
  if (problems.length) {
    throw new DeployError(`the compose file cannot be deployed; nothing was changed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const networks = [...usedNetworks].map((k) => declaredNetworks.get(k) ?? networkOf(k, {}));
  for (const [k, n] of declaredNetworks) if (!usedNetworks.has(k)) networks.push(n);
  networks.sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    name,
    workingDir,
    configFile: resolve(opts.configFile),
    services,
    networks,
    volumes: [...declaredVolumes.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
}

interface ServiceContext {
  readonly project: string;
  readonly workingDir: string;
  readonly declaredVolumes: Map<string, VolumeModel>;
  readonly declaredNetworks: Map<string, NetworkModel>;
  readonly usedNetworks: Set<string>;
  readonly generatedFiles: ReadonlyArray<{ path: string; sha256: string }>;
  readonly problems: string[];
  /** Paths (relative to the service) of values that came from `${VAR}` references. */
  readonly interpolated: readonly string[];
}

function parseService(name: string, s: Record<string, unknown>, ctx: ServiceContext): ServiceModel {
  const where = `service '${name}'`;
  const cname = typeof s.container_name === 'string' ? s.container_name : containerName(ctx.project, name);
  const mounts = parseMounts(s, where, ctx);
  const mountedFiles = filesUnder(mounts, ctx);
  const networkMode = typeof s.network_mode === 'string' ? s.network_mode : undefined;
  let networks: NetworkAttachment[] = [];
  if (networkMode === undefined) {
    const entries: Array<[string, Record<string, unknown>]> = Array.isArray(s.networks)
      ? s.networks.map((n) => [String(n), {}])
      : Object.entries(asRecord(s.networks)).map(([k, v]) => [k, asRecord(v)]);
    if (entries.length === 0) entries.push(['default', {}]);
    networks = entries.map(([key, cfg]) => {
      if (key !== 'default' && !ctx.declaredNetworks.has(key)) {
        throw new DeployError(`${where} joins network '${key}', which is not declared under 'networks'`);
      }
      ctx.usedNetworks.add(key);
      const dockerName = ctx.declaredNetworks.get(key)?.dockerName ?? `${ctx.project}_${key}`;
      const aliases = [cname, name, ...stringList(cfg.aliases)];
      return { key, dockerName, aliases: [...new Set(aliases)], ...(typeof cfg.ipv4_address === 'string' ? { ipv4Address: cfg.ipv4_address } : {}) };
    });
  } else if (s.networks !== undefined) {
    throw new DeployError(`${where} sets both network_mode and networks: keep one`);
  }
  if (networkMode && !['host', 'none', 'bridge'].includes(networkMode) && !/^(service|container):.+/.test(networkMode)) {
    throw new DeployError(`${where}: network_mode '${networkMode}' is not supported`);
  }
  const deploy = asRecord(s.deploy);
  for (const k of Object.keys(deploy)) {
    if (k === 'replicas' && deploy.replicas === 1) continue;
    if (k !== 'resources') throw new DeployError(`${where} uses deploy.${k}, which aixcl-deploy does not support (one container per service)`);
  }
  const limits = asRecord(asRecord(deploy.resources).limits);
  const reservations = asRecord(asRecord(deploy.resources).reservations);
  const memory = s.mem_limit ?? limits.memory;
  const cpus = s.cpus ?? limits.cpus;
  const pull = typeof s.pull_policy === 'string' ? s.pull_policy : undefined;
  const definition: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (!NOT_HASHED.has(k) && !k.startsWith('x-')) definition[k] = v;
  if (mounts.length) definition.volumes = mounts;
  const healthcheck = parseHealthcheck(s.healthcheck, where);
  const grace = s.stop_grace_period !== undefined ? parseDurationNs(s.stop_grace_period, `${where} stop_grace_period`) / 1e9 : undefined;
  return {
    name,
    containerName: cname,
    image: s.image as string,
    ...(pull ? { pullPolicy: pull === 'always' ? 'always' : pull === 'never' ? 'never' : 'missing' } : {}),
    definition,
    command: optWords(s.command, `${where} command`),
    entrypoint: optWords(s.entrypoint, `${where} entrypoint`),
    environment: parseEnvironment(s.environment),
    labels: stringMap(s.labels),
    networkMode: networkMode?.startsWith('service:') ? `container:${containerName(ctx.project, networkMode.slice(8))}` : networkMode,
    networks,
    ports: parsePorts(s.ports, where),
    expose: stringList(s.expose).map((p) => (p.includes('/') ? p : `${p}/tcp`)),
    mounts,
    ...(healthcheck ? { healthcheck } : {}),
    dependsOn: parseDependsOn(s.depends_on),
    restart: typeof s.restart === 'string' ? s.restart : 'no',
    ...(grace !== undefined ? { stopGraceSeconds: Math.ceil(grace) } : {}),
    ...opt('stopSignal', s.stop_signal),
    ...opt('user', s.user === undefined ? undefined : String(s.user)),
    ...opt('workingDir', s.working_dir),
    ...opt('hostname', s.hostname),
    ...(memory !== undefined ? { memoryBytes: parseBytes(memory, `${where} mem_limit`) } : {}),
    ...(s.memswap_limit !== undefined ? { memorySwapBytes: s.memswap_limit === -1 ? -1 : parseBytes(s.memswap_limit, `${where} memswap_limit`) } : {}),
    ...((s.mem_reservation ?? reservations.memory) !== undefined
      ? { memoryReservationBytes: parseBytes(s.mem_reservation ?? reservations.memory, `${where} mem_reservation`) }
      : {}),
    ...(cpus !== undefined ? { nanoCpus: Math.round(Number(cpus) * 1e9) } : {}),
    ...(s.shm_size !== undefined ? { shmSizeBytes: parseBytes(s.shm_size, `${where} shm_size`) } : {}),
    ...((s.pids_limit ?? limits.pids) !== undefined ? { pidsLimit: Number(s.pids_limit ?? limits.pids) } : {}),
    ...optBool('readOnly', s.read_only),
    ...optBool('privileged', s.privileged),
    ...optBool('init', s.init),
    ...optBool('tty', s.tty),
    ...optBool('stdinOpen', s.stdin_open),
    capAdd: stringList(s.cap_add),
    capDrop: stringList(s.cap_drop),
    securityOpt: stringList(s.security_opt),
    extraHosts: Array.isArray(s.extra_hosts) ? stringList(s.extra_hosts) : Object.entries(stringMap(s.extra_hosts)).map(([h, ip]) => `${h}:${ip}`),
    dns: stringList(s.dns),
    groupAdd: stringList(s.group_add),
    devices: stringList(s.devices).map((d) => {
      const [host, container = host, permissions = 'rwm'] = d.split(':');
      return { host, container, permissions };
    }),
    deviceRequests: (Array.isArray(reservations.devices) ? reservations.devices : []).map((d) => {
      const r = asRecord(d);
      const count = r.count === 'all' ? -1 : typeof r.count === 'number' ? r.count : undefined;
      return {
        ...(typeof r.driver === 'string' ? { driver: r.driver } : {}),
        ...(count !== undefined ? { count } : r.device_ids ? {} : { count: -1 }),
        ...(Array.isArray(r.device_ids) ? { deviceIds: stringList(r.device_ids) } : {}),
        capabilities: [stringList(r.capabilities)],
        ...(r.options ? { options: stringMap(r.options) } : {}),
      };
    }),
    sysctls: Array.isArray(s.sysctls) ? Object.fromEntries(stringList(s.sysctls).map((x) => x.split('=', 2) as [string, string])) : stringMap(s.sysctls),
    ulimits: Object.entries(asRecord(s.ulimits)).map(([n, v]) =>
      typeof v === 'number' ? { name: n, soft: v, hard: v } : { name: n, soft: Number(asRecord(v).soft), hard: Number(asRecord(v).hard) },
    ),
    ...opt('pid', s.pid),
    ...opt('ipc', s.ipc),
    ...(isRecord(s.logging) ? { logging: { driver: String(s.logging.driver ?? 'json-file'), options: stringMap(s.logging.options) } } : {}),
    ...opt('platform', s.platform),
    mountedFiles,
    interpolated: [...ctx.interpolated].sort(),
  };
}

function parseMounts(s: Record<string, unknown>, where: string, ctx: ServiceContext): MountModel[] {
  const out: MountModel[] = [];
  const entries = Array.isArray(s.volumes) ? s.volumes : s.volumes === undefined ? [] : [s.volumes];
  for (const v of entries) {
    let type: string;
    let source: string | undefined;
    let target: string;
    let readOnly = false;
    let propagation: string | undefined;
    let noCopy: boolean | undefined;
    let sizeBytes: number | undefined;
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length === 1) {
        type = 'volume';
        target = parts[0];
      } else {
        [source, target] = parts;
        const flags = (parts[2] ?? '').split(',').filter(Boolean);
        readOnly = flags.includes('ro');
        propagation = flags.find((f) => /^r?(shared|slave|private)$/.test(f));
        noCopy = flags.includes('nocopy') || undefined;
        type = /^[./~]/.test(source) ? 'bind' : 'volume';
      }
    } else {
      const m = asRecord(v);
      type = String(m.type ?? 'volume');
      source = m.source === undefined ? undefined : String(m.source);
      target = String(m.target ?? '');
      readOnly = m.read_only === true;
      propagation = typeof asRecord(m.bind).propagation === 'string' ? String(asRecord(m.bind).propagation) : undefined;
      noCopy = asRecord(m.volume).nocopy === true || undefined;
      const size = asRecord(m.tmpfs).size;
      sizeBytes = size === undefined ? undefined : parseBytes(size, `${where} tmpfs size`);
    }
    if (!target.startsWith('/')) throw new DeployError(`${where}: mount target '${target}' is not an absolute path`);
    if (type === 'bind') {
      if (!source) throw new DeployError(`${where}: bind mount on ${target} has no source`);
      const abs = source.startsWith('~') ? resolve(homedir(), source.slice(source.startsWith('~/') ? 2 : 1)) : resolve(ctx.workingDir, source);
      out.push({ type: 'bind', source: abs, target, readOnly, ...(propagation ? { propagation } : {}) });
    } else if (type === 'volume') {
      if (source === undefined || source === '') {
        out.push({ type: 'volume', target, readOnly });
      } else {
        const vol = ctx.declaredVolumes.get(source);
        if (!vol) throw new DeployError(`${where} mounts volume '${source}', which is not declared under 'volumes'`);
        out.push({ type: 'volume', key: source, dockerName: vol.dockerName, target, readOnly, ...(noCopy ? { noCopy } : {}) });
      }
    } else if (type === 'tmpfs') {
      out.push({ type: 'tmpfs', target, ...(sizeBytes !== undefined ? { sizeBytes } : {}) });
    } else {
      throw new DeployError(`${where}: mount type '${type}' is not supported`);
    }
  }
  for (const t of Array.isArray(s.tmpfs) ? stringList(s.tmpfs) : typeof s.tmpfs === 'string' ? [s.tmpfs] : []) {
    out.push({ type: 'tmpfs', target: t.split(':')[0] });
  }
  return out;
}

/** The generated files a service sees through its bind mounts. */
function filesUnder(mounts: readonly MountModel[], ctx: ServiceContext): Array<{ path: string; sha256: string }> {
  const found = new Map<string, string>();
  for (const m of mounts) {
    if (m.type !== 'bind') continue;
    const rel = relative(ctx.workingDir, m.source).split('\\').join('/');
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    for (const f of ctx.generatedFiles) {
      if (rel === '' || f.path === rel || f.path.startsWith(rel + '/')) found.set(f.path, f.sha256);
    }
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, sha256]) => ({ path, sha256 }));
}

function parseHealthcheck(raw: unknown, where: string): HealthcheckModel | undefined {
  if (raw === undefined) return undefined;
  const h = asRecord(raw);
  if (h.disable === true) return { test: ['NONE'] };
  let test: string[];
  if (typeof h.test === 'string') test = ['CMD-SHELL', h.test];
  else if (Array.isArray(h.test)) test = h.test.map(String);
  else throw new DeployError(`${where}: healthcheck has no test`);
  if (!['CMD', 'CMD-SHELL', 'NONE'].includes(test[0])) {
    throw new DeployError(`${where}: healthcheck test must start with CMD, CMD-SHELL or NONE (got '${test[0]}')`);
  }
  const d = (k: string) => (h[k] === undefined ? {} : { [camel(k)]: parseDurationNs(h[k], `${where} healthcheck ${k}`) });
  return {
    test,
    ...d('interval'),
    ...d('timeout'),
    ...d('start_period'),
    ...(h.retries !== undefined ? { retries: Number(h.retries) } : {}),
  } as HealthcheckModel;
}

function camel(k: string): string {
  return { interval: 'intervalNs', timeout: 'timeoutNs', start_period: 'startPeriodNs' }[k] ?? k;
}

function parseDependsOn(raw: unknown): DependencyModel[] {
  if (Array.isArray(raw)) return stringList(raw).map((service) => ({ service, condition: 'service_started', required: true, restart: false }));
  return Object.entries(asRecord(raw)).map(([service, v]) => {
    const d = asRecord(v);
    const condition = String(d.condition ?? 'service_started') as DependencyModel['condition'];
    if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition)) {
      throw new DeployError(`depends_on '${service}': condition '${condition}' is not one of service_started, service_healthy, service_completed_successfully`);
    }
    return { service, condition, required: d.required !== false, restart: d.restart === true };
  });
}

function parsePorts(raw: unknown, where: string): PortModel[] {
  const out: PortModel[] = [];
  for (const p of Array.isArray(raw) ? raw : []) {
    if (typeof p === 'number' || typeof p === 'string') {
      const m = /^(?:(?:\[?([0-9a-fA-F.:]*?)\]?:)?(\d*):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(String(p));
      if (!m) throw new DeployError(`${where}: port '${p}' is not supported (write it as [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], no ranges)`);
      out.push({
        containerPort: Number(m[3]),
        protocol: (m[4] ?? 'tcp') as PortModel['protocol'],
        hostIp: m[1] ?? '',
        ...(m[2] ? { hostPort: Number(m[2]) } : {}),
      });
    } else {
      const r = asRecord(p);
      const published = r.published === undefined || r.published === '' ? undefined : String(r.published);
      if (published !== undefined && !/^\d+$/.test(published)) throw new DeployError(`${where}: published port '${published}' is not supported (no ranges)`);
      out.push({
        containerPort: Number(r.target),
        protocol: String(r.protocol ?? 'tcp') as PortModel['protocol'],
        hostIp: typeof r.host_ip === 'string' ? r.host_ip : '',
        ...(published !== undefined ? { hostPort: Number(published) } : {}),
      });
    }
  }
  return out;
}

function parseEnvironment(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const e of stringList(raw)) {
      const i = e.indexOf('=');
      // `- NAME` alone passes the variable through only if set; interpolation has already run, so skip it.
      if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
    }
  } else {
    for (const [k, v] of Object.entries(asRecord(raw))) if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

function optWords(raw: unknown, where: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw)) return raw.map(String);
  return splitShellWords(String(raw), where);
}

function opt<K extends string>(key: K, v: unknown): { [k in K]?: string } {
  return v === undefined || v === null ? {} : ({ [key]: String(v) } as { [k in K]: string });
}

function optBool<K extends string>(key: K, v: unknown): { [k in K]?: boolean } {
  return typeof v === 'boolean' ? ({ [key]: v } as { [k in K]: boolean }) : {};
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function asRecord(x: unknown): Record<string, unknown> {
  return isRecord(x) ? x : {};
}

function stringList(x: unknown): string[] {
  return Array.isArray(x) ? x.map(String) : typeof x === 'string' ? [x] : [];
}

function stringMap(x: unknown): Record<string, string> {
  if (Array.isArray(x)) {
    return Object.fromEntries(
      stringList(x).map((e) => {
        const i = e.indexOf('=');
        return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(asRecord(x)).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function findCycle(services: readonly ServiceModel[]): string[] | undefined {
  const by = new Map(services.map((s) => [s.name, s]));
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 2) return undefined;
    if (state.get(n) === 1) return [...path.slice(path.indexOf(n)), n];
    state.set(n, 1);
    path.push(n);
    for (const d of by.get(n)?.dependsOn ?? []) {
      const c = visit(d.service);
      if (c) return c;
    }
    path.pop();
    state.set(n, 2);
    return undefined;
  };
  for (const s of services) {
    const c = visit(s.name);
    if (c) return c;
  }
  return undefined;
}
